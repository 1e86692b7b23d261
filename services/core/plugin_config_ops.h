// Plugin configs in okrd (docs/plugin-configs.md): a unit's own config is checked before it is
// stored, and the configs set on a unit and its ancestors combine into the effective config
// that the plugin gets for the unit. The merge rule is plugins/host/config_merge.h; this file
// reads and writes the stored configs and applies the rule on the org's tree of a given day.
#ifndef OKR_SERVICES_CORE_PLUGIN_CONFIG_OPS_H_
#define OKR_SERVICES_CORE_PLUGIN_CONFIG_OPS_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "plugins/host/plugin_configs.h"
#include "plugins/host/plugin_host.h"
#include "services/core/command_log.h"
#include "services/core/server_state.h"

namespace okr {

// Every stored config: plugin -> unit -> JSON.
std::map<std::string, std::map<std::string, std::string>> PluginConfigs(ServerState& state);

// Stores a unit's own config of a plugin. Refused with INVALID_ARGUMENT, storing nothing, when
// it is not a JSON object, when a key does not fit the plugin's schema (the message gives its
// JSON path: unknown key, wrong type, a metric that is not defined), when the effective config
// it makes for the unit, or for a unit below it that has a config of its own, misses a
// required key or does not fit, or when the plugin's create() refuses that effective config.
struct PluginConfigChange {
  std::string plugin;  // its name
  std::string unit_id;
  std::string config_json;
};
absl::Status ConfigurePlugin(ServerState& state, const Caller& caller,
                             const PluginConfigChange& change);
// The command behind it (services/core/apply.h): stores the config checked before it ran.
absl::Status ApplyConfigurePlugin(ServerState& state, const store::Command& command,
                                  Applied& applied);

// The effective config of one plugin at one unit on `day`, checked against its schema.
plugins::EffectiveConfig EffectivePluginConfig(ServerState& state,
                                               const plugins::PluginInfo& plugin,
                                               std::string_view unit, const Date& day);

// The effective configs of one plugin for the units of one evaluation run (a close, a day of
// red-lines): reads the stored configs once and merges once per distinct set of layers.
class EffectivePluginConfigs {
 public:
  EffectivePluginConfigs(ServerState& state, const plugins::PluginInfo& plugin);

  // The effective config (JSON text) to evaluate `unit` with on `day`. nullopt when the plugin
  // is not configured at the unit or above it (it then does nothing for the unit), or when the
  // config no longer fits (problems() says why, once per config).
  std::optional<std::string> For(std::string_view unit, const Date& day);

  const std::vector<std::string>& problems() const { return problems_; }

 private:
  ServerState& state_;
  const plugins::PluginInfo& plugin_;
  plugins::PluginConfigs configs_;
  std::map<std::vector<std::string>, std::optional<std::string>> by_layers_;  // set_on -> text
  std::vector<std::string> problems_;
};

// GetPluginConfig: the effective config of every loaded plugin (or the one named) at a unit,
// today, with the unit each part came from.
struct PluginConfigQuery {
  std::string unit_id;
  std::string plugin;  // one plugin's name; empty: every loaded plugin
};
struct ShownPluginConfig {
  std::string plugin;  // its name
  bool has_config_schema = false;
  plugins::EffectiveConfig effective;  // at the unit, today
};
absl::StatusOr<std::vector<ShownPluginConfig>> ShowPluginConfig(ServerState& state,
                                                                const PluginConfigQuery& query);

}  // namespace okr

#endif  // OKR_SERVICES_CORE_PLUGIN_CONFIG_OPS_H_
