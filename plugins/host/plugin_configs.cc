#include "plugins/host/plugin_configs.h"

namespace okr::plugins {
namespace {

std::pair<std::string, std::string> Key(std::string_view plugin, std::string_view unit_id) {
  return {std::string(plugin), std::string(unit_id)};
}

}  // namespace

void PluginConfigs::Set(std::string_view plugin, std::string_view unit_id,
                        std::string_view config_json) {
  configs_[Key(plugin, unit_id)] = std::string(config_json);
}

bool PluginConfigs::Remove(std::string_view plugin, std::string_view unit_id) {
  return configs_.erase(Key(plugin, unit_id)) > 0;
}

std::optional<ScopedConfig> PluginConfigs::NearestConfig(
    std::string_view plugin, absl::Span<const std::string> unit_chain) const {
  for (const std::string& unit_id : unit_chain) {
    auto it = configs_.find(Key(plugin, unit_id));
    if (it != configs_.end()) return ScopedConfig{unit_id, it->second};
  }
  return std::nullopt;
}

}  // namespace okr::plugins
