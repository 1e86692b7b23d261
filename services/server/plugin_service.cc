#include "services/server/plugin_service.h"

#include "plugins/host/plugin_host.h"
#include "plugins/host/plugin_trust.h"
#include "services/server/alerts.h"
#include "services/server/kudos.h"
#include "services/server/outcomes.h"
#include "services/server/plugin_ops.h"
#include "services/server/rpc.h"
#include "services/server/watch_reactor.h"

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

absl::StatusOr<plugins::PluginHost*> Host(ServerState& state) {
  if (state.plugin_host() == nullptr) return absl::FailedPreconditionError("no plugin host");
  return state.plugin_host();
}

// Audits a change to the loaded plugins.
absl::Status AuditPlugin(ServerState& state, const Caller& caller, std::string_view action,
                         const std::string& name) {
  store::Batch batch = state.db().NewBatch();
  store::AuditRecord audit;
  audit.set_actor(caller.Actor());
  audit.set_action(std::string(action));
  audit.set_after_json("{\"plugin\":\"" + name + "\"}");
  state.Audit(batch, std::move(audit));
  return state.db().Commit(batch);
}

// Streams alerts the caller may see as they open, escalate or change state; the first
// messages are the current matching alerts.
class AlertWatchReactor final : public WatchReactor<v1::Alert> {
 public:
  AlertWatchReactor(ServerState& state, grpc::CallbackServerContext* ctx,
                    const v1::ListAlertsRequest* request)
      : WatchReactor(state), request_(*request) {
    absl::StatusOr<Caller> caller =
        Authorize(state, ctx, "/okr.v1.AlertService/WatchAlerts", request->unit_id());
    if (caller.ok()) caller_ = *caller;
    Begin(caller, std::string(kAlertsTopic));
  }

 private:
  // Alerts not sent yet in their current state. Collects of one stream may overlap (one is
  // posted per touch), hence the lock on `seen_`.
  absl::StatusOr<std::vector<v1::Alert>> Collect() override {
    auto alerts = LoadAlerts(state_);
    if (!alerts.ok()) return alerts.status();
    auto org = state_.org();
    std::lock_guard<std::mutex> lock(seen_mu_);
    std::vector<v1::Alert> out;
    for (const auto& r : *alerts) {
      if (!MayRead(caller_, r.unit_id(), *org)) continue;
      if (!request_.unit_id().empty() && !org->IsInSubtreeEver(request_.unit_id(), r.unit_id())) {
        continue;
      }
      if (request_.status() != v1::ALERT_STATUS_UNSPECIFIED && r.status() != request_.status()) {
        continue;
      }
      const std::string fingerprint =
          std::to_string(r.status()) + "/" + std::to_string(r.escalation_level());
      std::string& seen = seen_[r.alert_id()];
      if (seen == fingerprint) continue;
      seen = fingerprint;
      out.push_back(okr::ToProto(r));
    }
    return out;
  }

  v1::ListAlertsRequest request_;
  Caller caller_;
  std::mutex seen_mu_;
  std::map<std::string, std::string> seen_;
};

}  // namespace

grpc::ServerUnaryReactor* PluginServiceImpl::ListPlugins(grpc::CallbackServerContext* ctx,
                                                         const v1::ListPluginsRequest* request,
                                                         v1::ListPluginsReply* reply) {
  return ServeUnary(state_, ctx, "/okr.v1.PluginService/ListPlugins", request, reply,
                    [this](const Caller&, const auto&, v1::ListPluginsReply* out) {
                      auto host = Host(state_);
                      if (!host.ok()) return host.status();
                      for (const auto& info : (*host)->List()) {
                        *out->add_plugins() = ToProto(state_, info);
                      }
                      return absl::OkStatus();
                    });
}

grpc::ServerUnaryReactor* PluginServiceImpl::LoadPlugin(grpc::CallbackServerContext* ctx,
                                                        const v1::LoadPluginRequest* request,
                                                        v1::PluginInfo* reply) {
  return ServeUnary(
      state_, ctx, "/okr.v1.PluginService/LoadPlugin", request, reply,
      [this](const Caller& caller, const v1::LoadPluginRequest& req, v1::PluginInfo* out) {
        auto host = Host(state_);
        if (!host.ok()) return host.status();
        // A name or a path inside --plugin-dir only: loading a file is running it as okrd.
        auto file = plugins::ResolvePluginFile(state_.plugin_dir(), req.path());
        if (!file.ok()) return file.status();
        auto info = (*host)->Load(*file);
        if (!info.ok()) return info.status();
        *out = ToProto(state_, *info);
        return AuditPlugin(state_, caller, "plugin.load", info->name);
      });
}

grpc::ServerUnaryReactor* PluginServiceImpl::UnloadPlugin(grpc::CallbackServerContext* ctx,
                                                          const v1::PluginRef* request,
                                                          v1::PluginInfo* reply) {
  return ServeUnary(state_, ctx, "/okr.v1.PluginService/UnloadPlugin", request, reply,
                    [this](const Caller& caller, const v1::PluginRef& req, v1::PluginInfo* out) {
                      auto host = Host(state_);
                      if (!host.ok()) return host.status();
                      auto info = (*host)->Info(req.name());
                      if (!info.ok()) return info.status();
                      if (absl::Status s = (*host)->Unload(req.name()); !s.ok()) return s;
                      *out = ToProto(state_, *info);
                      out->set_enabled(false);
                      return AuditPlugin(state_, caller, "plugin.unload", req.name());
                    });
}

grpc::ServerUnaryReactor* PluginServiceImpl::ReloadPlugin(grpc::CallbackServerContext* ctx,
                                                          const v1::PluginRef* request,
                                                          v1::PluginInfo* reply) {
  return ServeUnary(state_, ctx, "/okr.v1.PluginService/ReloadPlugin", request, reply,
                    [this](const Caller& caller, const v1::PluginRef& req, v1::PluginInfo* out) {
                      auto host = Host(state_);
                      if (!host.ok()) return host.status();
                      auto info = (*host)->Reload(req.name());
                      if (!info.ok()) return info.status();
                      *out = ToProto(state_, *info);
                      return AuditPlugin(state_, caller, "plugin.reload", req.name());
                    });
}

grpc::ServerUnaryReactor* PluginServiceImpl::ConfigurePlugin(
    grpc::CallbackServerContext* ctx, const v1::ConfigurePluginRequest* request,
    v1::PluginInfo* reply) {
  return ServeUnary(
      state_, ctx, "/okr.v1.PluginService/ConfigurePlugin", request, reply,
      [this](const Caller& caller, const v1::ConfigurePluginRequest& req, v1::PluginInfo* out) {
        auto host = Host(state_);
        if (!host.ok()) return host.status();
        auto info = (*host)->Info(req.name());
        if (!info.ok()) return info.status();
        if (absl::Status s = okr::ConfigurePlugin(state_, caller, req); !s.ok()) {
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
        return ShowPluginConfig(state_, req, out);
      });
}

grpc::ServerUnaryReactor* CloseServiceImpl::ClosePeriod(grpc::CallbackServerContext* ctx,
                                                        const v1::ClosePeriodRequest* request,
                                                        v1::ClosePeriodReply* reply) {
  return ServeUnary(
      state_, ctx, "/okr.v1.CloseService/ClosePeriod", request, reply,
      [this](const Caller& caller, const v1::ClosePeriodRequest& req, v1::ClosePeriodReply* out) {
        return okr::ClosePeriod(state_, caller, req.month(), out);
      });
}

grpc::ServerUnaryReactor* CloseServiceImpl::ListPayouts(grpc::CallbackServerContext* ctx,
                                                        const v1::ListOutcomesRequest* request,
                                                        v1::ListPayoutsReply* reply) {
  return ServeUnary(
      state_, ctx, "/okr.v1.CloseService/ListPayouts", request, reply,
      [this](const Caller& caller, const v1::ListOutcomesRequest& req, v1::ListPayoutsReply* out) {
        if (absl::Status s = ParseYearMonth(req.month()).status(); !s.ok()) return s;
        auto payouts = LoadPayouts(state_, req.month());
        if (!payouts.ok()) return payouts.status();
        auto org = state_.org();
        const std::string scope = ScopeUnit(caller, req.unit_id());
        for (const auto& p : *payouts) {
          if (!scope.empty() && !org->IsInSubtreeEver(scope, p.unit_id())) continue;
          if (!MayRead(caller, p.unit_id(), *org)) continue;
          *out->add_payouts() = okr::ToProto(p);
        }
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* CloseServiceImpl::ListAwards(grpc::CallbackServerContext* ctx,
                                                       const v1::ListOutcomesRequest* request,
                                                       v1::ListAwardsReply* reply) {
  return ServeUnary(
      state_, ctx, "/okr.v1.CloseService/ListAwards", request, reply,
      [this](const Caller& caller, const v1::ListOutcomesRequest& req, v1::ListAwardsReply* out) {
        if (absl::Status s = ParseYearMonth(req.month()).status(); !s.ok()) return s;
        auto awards = LoadAwards(state_, req.month());
        if (!awards.ok()) return awards.status();
        auto org = state_.org();
        const std::string scope = ScopeUnit(caller, req.unit_id());
        for (const auto& a : *awards) {
          if (!scope.empty() && !org->IsInSubtreeEver(scope, a.unit_id())) continue;
          if (!MayRead(caller, a.unit_id(), *org)) continue;
          *out->add_awards() = okr::ToProto(a);
        }
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* CloseServiceImpl::GiveKudos(grpc::CallbackServerContext* ctx,
                                                      const v1::GiveKudosRequest* request,
                                                      v1::GiveKudosReply* reply) {
  return ServeUnary(state_, ctx, "/okr.v1.CloseService/GiveKudos", request, reply,
                    [this](const Caller& caller, const auto& req, auto* out) {
                      return okr::GiveKudos(state_, caller, req, out);
                    });
}

grpc::ServerUnaryReactor* CloseServiceImpl::ListKudos(grpc::CallbackServerContext* ctx,
                                                      const v1::ListKudosRequest* request,
                                                      v1::ListKudosReply* reply) {
  return ServeUnary(state_, ctx, "/okr.v1.CloseService/ListKudos", request, reply,
                    [this](const Caller& caller, const auto& req, auto* out) {
                      return okr::ListKudos(state_, caller, req, out);
                    });
}

grpc::ServerUnaryReactor* AlertServiceImpl::ListAlerts(grpc::CallbackServerContext* ctx,
                                                       const v1::ListAlertsRequest* request,
                                                       v1::ListAlertsReply* reply) {
  return ServeUnary(
      state_, ctx, "/okr.v1.AlertService/ListAlerts", request, reply,
      [this](const Caller& caller, const v1::ListAlertsRequest& req, v1::ListAlertsReply* out) {
        auto alerts = LoadAlerts(state_);
        if (!alerts.ok()) return alerts.status();
        auto org = state_.org();
        const std::string scope = ScopeUnit(caller, req.unit_id());
        for (const auto& r : *alerts) {
          if (!scope.empty() && !org->IsInSubtreeEver(scope, r.unit_id())) continue;
          if (!MayRead(caller, r.unit_id(), *org)) continue;
          if (req.status() != v1::ALERT_STATUS_UNSPECIFIED && r.status() != req.status()) {
            continue;
          }
          v1::Alert* alert = out->add_alerts();
          *alert = okr::ToProto(r);
          if (const Unit* unit = org->Find(r.unit_id())) alert->set_unit_name(unit->name);
        }
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* AlertServiceImpl::AckAlert(grpc::CallbackServerContext* ctx,
                                                     const v1::AlertRef* request,
                                                     v1::Alert* reply) {
  return ServeUnary(state_, ctx, "/okr.v1.AlertService/AckAlert", request, reply,
                    [this](const Caller& caller, const v1::AlertRef& req, v1::Alert* out) {
                      return SetAlertStatus(state_, caller, req.alert_id(), v1::ALERT_STATUS_ACKED,
                                            req.note(), out);
                    });
}

grpc::ServerUnaryReactor* AlertServiceImpl::ResolveAlert(grpc::CallbackServerContext* ctx,
                                                         const v1::AlertRef* request,
                                                         v1::Alert* reply) {
  return ServeUnary(state_, ctx, "/okr.v1.AlertService/ResolveAlert", request, reply,
                    [this](const Caller& caller, const v1::AlertRef& req, v1::Alert* out) {
                      return SetAlertStatus(state_, caller, req.alert_id(),
                                            v1::ALERT_STATUS_RESOLVED, req.note(), out);
                    });
}

grpc::ServerWriteReactor<v1::Alert>* AlertServiceImpl::WatchAlerts(
    grpc::CallbackServerContext* ctx, const v1::ListAlertsRequest* request) {
  return new AlertWatchReactor(state_, ctx, request);
}

}  // namespace okr
