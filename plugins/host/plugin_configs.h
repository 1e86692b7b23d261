// Per-subtree plugin configuration: a config JSON set on a unit applies to its whole subtree
// unless a unit further down sets its own. Pure data; the caller supplies the unit chain.
#ifndef OKR_PLUGINS_HOST_PLUGIN_CONFIGS_H_
#define OKR_PLUGINS_HOST_PLUGIN_CONFIGS_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/types/span.h"

namespace okr::plugins {

// A config and the unit it was set on (the subtree root it came from).
struct ScopedConfig {
  std::string unit_id;
  std::string config_json;

  friend bool operator==(const ScopedConfig&, const ScopedConfig&) = default;
};

class PluginConfigs {
 public:
  // Sets (or replaces) the config of `plugin` for the subtree rooted at `unit_id`.
  void Set(std::string_view plugin, std::string_view unit_id, std::string_view config_json);
  // Removes it; returns whether there was one.
  bool Remove(std::string_view plugin, std::string_view unit_id);

  // The config of `plugin` set on the first unit of `unit_chain` that has one. `unit_chain`
  // lists the unit itself first, then its parent, and so on up to the root. nullopt if none.
  std::optional<ScopedConfig> NearestConfig(std::string_view plugin,
                                            absl::Span<const std::string> unit_chain) const;

  // Every (plugin, unit_id) -> config, sorted; for listing and persisting.
  const std::map<std::pair<std::string, std::string>, std::string, std::less<>>& All() const {
    return configs_;
  }

 private:
  std::map<std::pair<std::string, std::string>, std::string, std::less<>> configs_;
};

}  // namespace okr::plugins

#endif  // OKR_PLUGINS_HOST_PLUGIN_CONFIGS_H_
