#include "plugins/host/plugin_configs.h"

#include "absl/strings/str_cat.h"

namespace okr::plugins {
namespace {

std::pair<std::string, std::string> Key(std::string_view plugin, std::string_view unit_id) {
  return {std::string(plugin), std::string(unit_id)};
}

}  // namespace

absl::Status CheckOwnConfig(const nlohmann::json& config, const ConfigSchema* schema,
                            const std::function<bool(std::string_view)>& metric_defined) {
  if (!config.is_object()) return absl::InvalidArgumentError("$ must be a JSON object");
  if (schema == nullptr) return absl::OkStatus();
  return schema->Check(config, {.partial = true, .metric_defined = metric_defined});
}

void PluginConfigs::Set(std::string_view plugin, std::string_view unit_id,
                        std::string_view config_json) {
  configs_[Key(plugin, unit_id)] = std::string(config_json);
}

bool PluginConfigs::Remove(std::string_view plugin, std::string_view unit_id) {
  return configs_.erase(Key(plugin, unit_id)) > 0;
}

std::vector<ScopedConfig> PluginConfigs::Layers(std::string_view plugin,
                                                absl::Span<const std::string> unit_chain) const {
  std::vector<ScopedConfig> layers;
  for (auto unit = unit_chain.rbegin(); unit != unit_chain.rend(); ++unit) {
    auto it = configs_.find(Key(plugin, *unit));
    if (it != configs_.end()) layers.push_back({*unit, it->second});
  }
  return layers;
}

EffectiveConfig PluginConfigs::Effective(
    std::string_view plugin, absl::Span<const std::string> unit_chain, const ConfigSchema* schema,
    const std::function<bool(std::string_view)>& metric_defined) const {
  EffectiveConfig effective;
  std::vector<ConfigLayer> layers;
  for (ScopedConfig& scoped : Layers(plugin, unit_chain)) {
    nlohmann::json config = nlohmann::json::parse(scoped.config_json, nullptr, false);
    if ((config.is_discarded() || !config.is_object()) && effective.fits.ok()) {
      // Only a config stored before configs were checked can be so.
      effective.fits = absl::InvalidArgumentError(
          absl::StrCat("the config set on unit ", scoped.unit_id, " is not a JSON object"));
    }
    effective.set_on.push_back(scoped.unit_id);
    layers.push_back({std::move(scoped.unit_id), std::move(config)});
  }
  if (!effective.fits.ok()) return effective;
  effective.merged = MergeConfigs(layers, schema == nullptr ? nullptr : &schema->root());
  if (schema != nullptr) {
    effective.fits = schema->Check(effective.merged.config, {.metric_defined = metric_defined});
  }
  return effective;
}

}  // namespace okr::plugins
