#include "services/api/plugin_service.h"

#include "plugins/host/plugin_host.h"
#include "services/api/rpc.h"
#include "services/core/plugin_admin_ops.h"
#include "services/core/plugin_config_ops.h"

namespace okr {
namespace {

v1::PluginKind ToProto(plugins::PluginKind kind) {
  switch (kind) {
    case plugins::PluginKind::kIncentive:
      return v1::PLUGIN_KIND_INCENTIVE;
    case plugins::PluginKind::kRedline:
      return v1::PLUGIN_KIND_REDLINE;
    case plugins::PluginKind::kRecognition:
      return v1::PLUGIN_KIND_RECOGNITION;
  }
  return v1::PLUGIN_KIND_UNSPECIFIED;
}

v1::PluginInfo ToProto(ServerState& state, const plugins::PluginInfo& info) {
  v1::PluginInfo out;
  out.set_name(info.name);
  out.set_kind(ToProto(info.kind));
  out.set_version(info.version);
  out.set_abi_version(info.abi_version);
  out.set_path(info.path);
  out.set_enabled(info.enabled);
  out.set_faults(static_cast<uint32_t>(info.faults));
  out.set_last_error(info.last_error);
  out.set_has_config_schema(info.config_schema != nullptr);
  out.set_config_schema_json(info.config_schema_json);
  const auto configs = PluginConfigs(state);
  if (auto it = configs.find(info.name); it != configs.end()) {
    for (const auto& [unit, json] : it->second) (*out.mutable_configs())[unit] = json;
  }
  return out;
}

v1::EffectivePluginConfig ToProto(const ShownPluginConfig& shown) {
  const plugins::EffectiveConfig& effective = shown.effective;
  v1::EffectivePluginConfig out;
  out.set_name(shown.plugin);
  out.set_configured(effective.configured());
  out.set_has_config_schema(shown.has_config_schema);
  for (const std::string& unit : effective.set_on) out.add_set_on(unit);
  if (!effective.configured()) return out;
  out.set_config_json(effective.merged.config.dump());
  for (const plugins::ConfigSource& source : effective.merged.sources) {
    v1::ConfigSource* s = out.add_sources();
    s->set_path(source.path);
    s->set_unit_id(source.unit_id);
  }
  if (!effective.fits.ok()) out.set_problem(std::string(effective.fits.message()));
  return out;
}

// The reply of a change that returns a plugin.
absl::Status ReplyPlugin(ServerState& state, const absl::StatusOr<plugins::PluginInfo>& info,
                         v1::PluginInfo* out) {
  if (!info.ok()) return info.status();
  *out = ToProto(state, *info);
  return absl::OkStatus();
}

}  // namespace

grpc::ServerUnaryReactor* PluginServiceImpl::ListPlugins(grpc::CallbackServerContext* ctx,
                                                         const v1::ListPluginsRequest* request,
                                                         v1::ListPluginsReply* reply) {
  return ServeUnary(state_, ctx, "/okr.v1.PluginService/ListPlugins", request, reply,
                    [this](const Caller&, const auto&, v1::ListPluginsReply* out) {
                      auto plugins = okr::ListPlugins(state_);
                      if (!plugins.ok()) return plugins.status();
                      for (const auto& info : *plugins) *out->add_plugins() = ToProto(state_, info);
                      return absl::OkStatus();
                    });
}

grpc::ServerUnaryReactor* PluginServiceImpl::LoadPlugin(grpc::CallbackServerContext* ctx,
                                                        const v1::LoadPluginRequest* request,
                                                        v1::PluginInfo* reply) {
  return ServeUnary(
      state_, ctx, "/okr.v1.PluginService/LoadPlugin", request, reply,
      [this](const Caller& caller, const v1::LoadPluginRequest& req, v1::PluginInfo* out) {
        return ReplyPlugin(state_, okr::LoadPlugin(state_, caller, req.path()), out);
      });
}

grpc::ServerUnaryReactor* PluginServiceImpl::UnloadPlugin(grpc::CallbackServerContext* ctx,
                                                          const v1::PluginRef* request,
                                                          v1::PluginInfo* reply) {
  return ServeUnary(state_, ctx, "/okr.v1.PluginService/UnloadPlugin", request, reply,
                    [this](const Caller& caller, const v1::PluginRef& req, v1::PluginInfo* out) {
                      return ReplyPlugin(state_, okr::UnloadPlugin(state_, caller, req.name()),
                                         out);
                    });
}

grpc::ServerUnaryReactor* PluginServiceImpl::ReloadPlugin(grpc::CallbackServerContext* ctx,
                                                          const v1::PluginRef* request,
                                                          v1::PluginInfo* reply) {
  return ServeUnary(state_, ctx, "/okr.v1.PluginService/ReloadPlugin", request, reply,
                    [this](const Caller& caller, const v1::PluginRef& req, v1::PluginInfo* out) {
                      return ReplyPlugin(state_, okr::ReloadPlugin(state_, caller, req.name()),
                                         out);
                    });
}

grpc::ServerUnaryReactor* PluginServiceImpl::ConfigurePlugin(
    grpc::CallbackServerContext* ctx, const v1::ConfigurePluginRequest* request,
    v1::PluginInfo* reply) {
  return ServeUnary(
      state_, ctx, "/okr.v1.PluginService/ConfigurePlugin", request, reply,
      [this](const Caller& caller, const v1::ConfigurePluginRequest& req, v1::PluginInfo* out) {
        auto host = RequirePluginHost(state_);
        if (!host.ok()) return host.status();
        auto info = (*host)->Info(req.name());
        if (!info.ok()) return info.status();
        if (absl::Status s = okr::ConfigurePlugin(state_, caller,
                                                  {req.name(), req.unit_id(), req.config_json()});
            !s.ok()) {
          return s;
        }
        *out = ToProto(state_, *info);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* PluginServiceImpl::GetPluginConfig(
    grpc::CallbackServerContext* ctx, const v1::GetPluginConfigRequest* request,
    v1::GetPluginConfigReply* reply) {
  return ServeUnary(
      state_, ctx, "/okr.v1.PluginService/GetPluginConfig", request, reply,
      [this](const Caller&, const v1::GetPluginConfigRequest& req, v1::GetPluginConfigReply* out) {
        auto shown = ShowPluginConfig(state_, {req.unit_id(), req.name()});
        if (!shown.ok()) return shown.status();
        out->set_unit_id(req.unit_id());
        for (const ShownPluginConfig& config : *shown) *out->add_plugins() = ToProto(config);
        return absl::OkStatus();
      });
}

}  // namespace okr
