// Loading, unloading and reloading plugins while okrd runs (PRODUCT.md "Plugins": listed,
// unloaded and reloaded without a restart), each change audited. Only files inside okrd's
// plugin folder load: loading a file is running it as okrd.
#ifndef OKR_SERVICES_CORE_PLUGIN_ADMIN_OPS_H_
#define OKR_SERVICES_CORE_PLUGIN_ADMIN_OPS_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "plugins/host/plugin_host.h"
#include "services/core/access_policy.h"
#include "services/core/command_log.h"
#include "services/core/server_state.h"

namespace okr {

// INVALID_ARGUMENT unless `name` is a plugin name okrd can keep: UTF-8 of at most 256 bytes
// without control characters (kNameText; the host refuses to load a plugin whose name breaks
// it), checked before a name goes into a command, whose strings must be UTF-8.
absl::Status CheckPluginName(std::string_view name);

// The server's plugin host; FAILED_PRECONDITION when it runs without one.
absl::StatusOr<plugins::PluginHost*> RequirePluginHost(ServerState& state);

absl::StatusOr<std::vector<plugins::PluginInfo>> ListPlugins(ServerState& state);

// `path`: a plugin's name or a file inside the plugin folder.
absl::StatusOr<plugins::PluginInfo> LoadPlugin(ServerState& state, const Caller& caller,
                                               const std::string& path);
// The plugin as it was, now disabled.
absl::StatusOr<plugins::PluginInfo> UnloadPlugin(ServerState& state, const Caller& caller,
                                                 const std::string& name);
absl::StatusOr<plugins::PluginInfo> ReloadPlugin(ServerState& state, const Caller& caller,
                                                 const std::string& name);

// The command behind them (services/core/apply.h): the change's audit entry.
absl::Status ApplyPluginChange(ServerState& state, const store::Command& command, Applied& applied);

}  // namespace okr

#endif  // OKR_SERVICES_CORE_PLUGIN_ADMIN_OPS_H_
