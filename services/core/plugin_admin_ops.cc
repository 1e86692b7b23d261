#include "services/core/plugin_admin_ops.h"

#include <nlohmann/json.hpp>

#include "plugins/host/plugin_trust.h"
#include "services/core/apply.h"
#include "services/domain/text.h"

namespace okr {
namespace {

// Audits a change to the loaded plugins (made in the host before: only its audit entry is
// in the database).
absl::Status AuditPlugin(ServerState& state, const Caller& caller, std::string_view action,
                         const std::string& name) {
  if (absl::Status s = CheckPluginName(name); !s.ok()) return s;
  store::Command command = NewCommand(state, caller);
  command.mutable_plugin_change()->set_action(std::string(action));
  command.mutable_plugin_change()->set_plugin(name);
  return state.commands().Run(std::move(command), [&](const store::Command& c, Applied& applied) {
    return ApplyPluginChange(state, c, applied);
  });
}

// `info` once its change is audited.
absl::StatusOr<plugins::PluginInfo> Audited(ServerState& state, const Caller& caller,
                                            std::string_view action, plugins::PluginInfo info) {
  if (absl::Status s = AuditPlugin(state, caller, action, info.name); !s.ok()) return s;
  return info;
}

}  // namespace

absl::Status ApplyPluginChange(ServerState& state, const store::Command& command,
                               Applied& applied) {
  const store::PluginChangeCommand& change = command.plugin_change();
  store::AuditRecord audit = NewAudit(command, change.action());
  audit.set_after_json(nlohmann::json{{"plugin", change.plugin()}}.dump(
      -1, ' ', false, nlohmann::json::error_handler_t::replace));
  state.Audit(applied.batch, std::move(audit));
  return absl::OkStatus();
}

absl::Status CheckPluginName(std::string_view name) {
  return CheckText("plugin name", name, kNameText);
}

absl::StatusOr<plugins::PluginHost*> RequirePluginHost(ServerState& state) {
  if (state.plugin_host() == nullptr) return absl::FailedPreconditionError("no plugin host");
  return state.plugin_host();
}

absl::StatusOr<std::vector<plugins::PluginInfo>> ListPlugins(ServerState& state) {
  auto host = RequirePluginHost(state);
  if (!host.ok()) return host.status();
  return (*host)->List();
}

absl::StatusOr<plugins::PluginInfo> LoadPlugin(ServerState& state, const Caller& caller,
                                               const std::string& path) {
  auto host = RequirePluginHost(state);
  if (!host.ok()) return host.status();
  auto file = plugins::ResolvePluginFile(state.plugin_dir(), path);
  if (!file.ok()) return file.status();
  auto info = (*host)->Load(*file);
  if (!info.ok()) return info.status();
  return Audited(state, caller, "plugin.load", *std::move(info));
}

absl::StatusOr<plugins::PluginInfo> UnloadPlugin(ServerState& state, const Caller& caller,
                                                 const std::string& name) {
  if (absl::Status s = CheckPluginName(name); !s.ok()) return s;
  auto host = RequirePluginHost(state);
  if (!host.ok()) return host.status();
  auto info = (*host)->Info(name);
  if (!info.ok()) return info.status();
  if (absl::Status s = (*host)->Unload(name); !s.ok()) return s;
  info->enabled = false;
  return Audited(state, caller, "plugin.unload", *std::move(info));
}

absl::StatusOr<plugins::PluginInfo> ReloadPlugin(ServerState& state, const Caller& caller,
                                                 const std::string& name) {
  if (absl::Status s = CheckPluginName(name); !s.ok()) return s;
  auto host = RequirePluginHost(state);
  if (!host.ok()) return host.status();
  auto info = (*host)->Reload(name);
  if (!info.ok()) return info.status();
  return Audited(state, caller, "plugin.reload", *std::move(info));
}

}  // namespace okr
