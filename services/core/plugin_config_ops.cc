#include "services/core/plugin_config_ops.h"

#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/core/apply.h"
#include "services/core/plugin_admin_ops.h"
#include "services/core/plugin_ops.h"
#include "services/domain/text.h"
#include "store/keys.h"

namespace okr {
namespace {

using Json = nlohmann::json;

std::string ConfigKey(std::string_view plugin, std::string_view unit) {
  return store::KeyBuilder().Str(plugin).Str(unit).Release();
}

// The stored configs of one plugin.
plugins::PluginConfigs LoadConfigs(ServerState& state, std::string_view plugin) {
  plugins::PluginConfigs configs;
  state.db()
      .Scan(store::Cf::kPluginConfigs, store::KeyBuilder().Str(plugin).Release(),
            [&](std::string_view key, std::string_view value) {
              store::KeyReader reader(key);
              auto name = reader.Str();
              auto unit = reader.Str();
              if (name && unit) configs.Set(*name, *unit, value);
              return true;
            })
      .IgnoreError();
  return configs;
}

std::function<bool(std::string_view)> MetricDefined(ServerState& state) {
  std::set<std::string, std::less<>> ids;
  for (const Metric& metric : state.Metrics()) ids.insert(metric.id);
  return [ids = std::move(ids)](std::string_view id) { return ids.count(id) > 0; };
}

const plugins::ConfigSchema* SchemaOf(const plugins::PluginInfo& plugin) {
  return plugin.config_schema.get();
}

// Configures are checked against the configs stored when they start: one at a time, so that
// two changes in one chain cannot each pass against the other's old config.
std::mutex configure_mu;

}  // namespace

std::map<std::string, std::map<std::string, std::string>> PluginConfigs(ServerState& state) {
  std::map<std::string, std::map<std::string, std::string>> out;
  state.db()
      .Scan(store::Cf::kPluginConfigs, "",
            [&](std::string_view key, std::string_view value) {
              store::KeyReader reader(key);
              auto plugin = reader.Str();
              auto unit = reader.Str();
              if (plugin && unit) out[*plugin][*unit] = std::string(value);
              return true;
            })
      .IgnoreError();
  return out;
}

absl::Status ConfigurePlugin(ServerState& state, const Caller& caller,
                             const PluginConfigChange& change) {
  if (change.plugin.empty()) return absl::InvalidArgumentError("plugin name is required");
  // Both go into the command, whose strings must be UTF-8 (the edge checks them as well).
  if (absl::Status s = CheckPluginName(change.plugin); !s.ok()) return s;
  if (absl::Status s = CheckText("config_json", change.config_json, kConfigText); !s.ok()) {
    return s;
  }
  plugins::PluginHost* host = state.plugin_host();
  if (host == nullptr) return absl::FailedPreconditionError("no plugin host in this server");
  absl::StatusOr<plugins::PluginInfo> plugin = host->Info(change.plugin);
  if (!plugin.ok()) return plugin.status();
  auto org = state.org();
  if (org->Find(change.unit_id) == nullptr) {
    return absl::NotFoundError("no unit '" + change.unit_id + "'");
  }
  const std::string what = "config of plugin " + change.plugin + " for unit " + change.unit_id;
  const Json config = Json::parse(change.config_json, nullptr, /*allow_exceptions=*/false);
  if (config.is_discarded()) return absl::InvalidArgumentError(what + " is not valid JSON");
  const auto metric_defined = MetricDefined(state);
  const plugins::ConfigSchema* schema = SchemaOf(*plugin);
  if (absl::Status own = plugins::CheckOwnConfig(config, schema, metric_defined); !own.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(what, " does not fit: ", own.message()));
  }

  std::lock_guard<std::mutex> lock(configure_mu);
  plugins::PluginConfigs configs = LoadConfigs(state, change.plugin);
  const std::string stored = config.dump();
  configs.Set(change.plugin, change.unit_id, stored);
  // The effective configs this one changes: the unit's, and those of units below it with a
  // config of their own (theirs merge over this one), on today's tree.
  const Date today = state.clock().Today();
  std::vector<std::string> affected = {change.unit_id};
  for (const auto& [key, json] : configs.All()) {
    if (key.second == change.unit_id) continue;
    const std::vector<std::string> chain = org->AncestryOn(key.second, today);
    if (std::find(chain.begin(), chain.end(), change.unit_id) != chain.end()) {
      affected.push_back(key.second);
    }
  }
  for (const std::string& unit : affected) {
    const plugins::EffectiveConfig effective =
        configs.Effective(change.plugin, org->AncestryOn(unit, today), schema, metric_defined);
    const std::string whose =
        unit == change.unit_id
            ? (effective.set_on.size() == 1
                   ? what
                   : absl::StrCat(
                         what, ", merged over the configs of ",
                         absl::StrJoin(effective.set_on.begin(), effective.set_on.end() - 1, ", "),
                         ","))
            : absl::StrCat(what, " would break the effective config of unit ", unit,
                           " (merged from ", absl::StrJoin(effective.set_on, ", "), "):");
    if (!effective.fits.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          whose, unit == change.unit_id ? " does not fit: " : " ", effective.fits.message()));
    }
    const absl::Status accepted = host->CheckConfig(change.plugin, effective.merged.config.dump(),
                                                    absl::Milliseconds(kPluginBudgetMs));
    if (accepted.code() == absl::StatusCode::kInvalidArgument) {
      return absl::InvalidArgumentError(absl::StrCat(
          whose, unit == change.unit_id ? " is refused by the plugin: " : " ", accepted.message()));
    }
    if (!accepted.ok()) return accepted;
  }

  store::Command command = NewCommand(state, caller);
  command.mutable_configure_plugin()->set_plugin(change.plugin);
  command.mutable_configure_plugin()->set_unit_id(change.unit_id);
  command.mutable_configure_plugin()->set_config_json(stored);
  return state.commands().Run(std::move(command), [&](const store::Command& c, Applied& applied) {
    return ApplyConfigurePlugin(state, c, applied);
  });
}

absl::Status ApplyConfigurePlugin(ServerState& state, const store::Command& command,
                                  Applied& applied) {
  const store::ConfigurePluginCommand& change = command.configure_plugin();
  const std::string key = ConfigKey(change.plugin(), change.unit_id());
  auto before = state.db().Get(store::Cf::kPluginConfigs, key);
  if (!before.ok()) return before.status();
  const Json config = Json::parse(change.config_json(), nullptr, /*allow_exceptions=*/false);
  if (config.is_discarded()) {
    return absl::InvalidArgumentError("the logged config of plugin " + change.plugin() +
                                      " for unit " + change.unit_id() + " is not valid JSON");
  }
  applied.batch.Put(store::Cf::kPluginConfigs, key, change.config_json());
  store::AuditRecord audit = NewAudit(command, "plugin.configure", change.unit_id());
  if (before->has_value()) {
    const Json old = Json::parse(**before, nullptr, /*allow_exceptions=*/false);
    audit.set_before_json(Json{{"plugin", change.plugin()}, {"config", old}}.dump());
  }
  audit.set_after_json(Json{{"plugin", change.plugin()}, {"config", config}}.dump());
  state.Audit(applied.batch, std::move(audit));
  return absl::OkStatus();
}

plugins::EffectiveConfig EffectivePluginConfig(ServerState& state,
                                               const plugins::PluginInfo& plugin,
                                               std::string_view unit, const Date& day) {
  return LoadConfigs(state, plugin.name)
      .Effective(plugin.name, state.org()->AncestryOn(unit, day), SchemaOf(plugin),
                 MetricDefined(state));
}

EffectivePluginConfigs::EffectivePluginConfigs(ServerState& state,
                                               const plugins::PluginInfo& plugin)
    : state_(state), plugin_(plugin), configs_(LoadConfigs(state, plugin.name)) {}

std::optional<std::string> EffectivePluginConfigs::For(std::string_view unit, const Date& day) {
  const std::vector<std::string> chain = state_.org()->AncestryOn(unit, day);
  std::vector<std::string> set_on;
  for (const plugins::ScopedConfig& layer : configs_.Layers(plugin_.name, chain)) {
    set_on.push_back(layer.unit_id);
  }
  if (set_on.empty()) return std::nullopt;  // not configured here: the plugin does nothing
  auto cached = by_layers_.find(set_on);
  if (cached != by_layers_.end()) return cached->second;
  const plugins::EffectiveConfig effective =
      configs_.Effective(plugin_.name, chain, SchemaOf(plugin_), MetricDefined(state_));
  std::optional<std::string> text;
  if (effective.fits.ok()) {
    text = effective.merged.config.dump();
  } else {
    problems_.push_back(absl::StrCat(
        plugin_.name, ": the config merged from ", absl::StrJoin(set_on, ", "), " (at ",
        std::string(unit), ") does not fit, so it is not used: ", effective.fits.message()));
  }
  by_layers_.emplace(std::move(set_on), text);
  return text;
}

absl::StatusOr<std::vector<ShownPluginConfig>> ShowPluginConfig(ServerState& state,
                                                                const PluginConfigQuery& query) {
  plugins::PluginHost* host = state.plugin_host();
  if (host == nullptr) return absl::FailedPreconditionError("no plugin host in this server");
  if (state.org()->Find(query.unit_id) == nullptr) {
    return absl::NotFoundError("no unit '" + query.unit_id + "'");
  }
  std::vector<plugins::PluginInfo> plugins;
  if (query.plugin.empty()) {
    plugins = host->List();
  } else {
    absl::StatusOr<plugins::PluginInfo> plugin = host->Info(query.plugin);
    if (!plugin.ok()) return plugin.status();
    plugins.push_back(*std::move(plugin));
  }
  const Date today = state.clock().Today();
  std::vector<ShownPluginConfig> out;
  for (const plugins::PluginInfo& plugin : plugins) {
    out.push_back({plugin.name, plugin.config_schema != nullptr,
                   EffectivePluginConfig(state, plugin, query.unit_id, today)});
  }
  return out;
}

}  // namespace okr
