// Per-subtree plugin configuration: a config set on a unit applies to its whole subtree, and
// the configs set on a unit and on its ancestors combine into its effective config by the rule
// of config_merge.h. Pure data; the caller supplies the unit chain and the metric check.
#ifndef OKR_PLUGINS_HOST_PLUGIN_CONFIGS_H_
#define OKR_PLUGINS_HOST_PLUGIN_CONFIGS_H_

#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/types/span.h"
#include "plugins/host/config_merge.h"
#include "plugins/host/config_schema.h"

namespace okr::plugins {

// A config and the unit it was set on (the subtree root it came from).
struct ScopedConfig {
  std::string unit_id;
  std::string config_json;

  friend bool operator==(const ScopedConfig&, const ScopedConfig&) = default;
};

// The config of a plugin that applies to one unit.
struct EffectiveConfig {
  // The units whose own configs it is merged from, root first. Empty: the plugin is not
  // configured for the unit, and does nothing there.
  std::vector<std::string> set_on;
  MergedConfig merged;
  // Whether `merged.config` fits the plugin's schema (without a schema: is a JSON object). A
  // config that fitted when it was set may stop fitting when a unit moves under another
  // parent; it is then not used.
  absl::Status fits;

  bool configured() const { return !set_on.empty(); }
};

// Whether one unit's own config may be stored: a JSON object whose keys fit `schema` (may be
// null) as a partial config (ConfigSchema::CheckOptions::partial). InvalidArgument with the
// paths of the bad keys.
absl::Status CheckOwnConfig(const nlohmann::json& config, const ConfigSchema* schema,
                            const std::function<bool(std::string_view)>& metric_defined);

class PluginConfigs {
 public:
  // Sets (or replaces) the config of `plugin` for the subtree rooted at `unit_id`.
  void Set(std::string_view plugin, std::string_view unit_id, std::string_view config_json);
  // Removes it; returns whether there was one.
  bool Remove(std::string_view plugin, std::string_view unit_id);

  // The configs of `plugin` set on the units of `unit_chain`, root first. `unit_chain` lists
  // the unit itself first, then its parent, and so on up to the root.
  std::vector<ScopedConfig> Layers(std::string_view plugin,
                                   absl::Span<const std::string> unit_chain) const;

  // The effective config of `plugin` for the first unit of `unit_chain`, checked against
  // `schema` (may be null) in full: required keys present, metrics defined.
  EffectiveConfig Effective(std::string_view plugin, absl::Span<const std::string> unit_chain,
                            const ConfigSchema* schema,
                            const std::function<bool(std::string_view)>& metric_defined) const;

  // Every (plugin, unit_id) -> config, sorted; for listing and persisting.
  const std::map<std::pair<std::string, std::string>, std::string, std::less<>>& All() const {
    return configs_;
  }

 private:
  std::map<std::pair<std::string, std::string>, std::string, std::less<>> configs_;
};

}  // namespace okr::plugins

#endif  // OKR_PLUGINS_HOST_PLUGIN_CONFIGS_H_
