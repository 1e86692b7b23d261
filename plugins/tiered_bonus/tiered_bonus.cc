// tiered_bonus: a monthly incentive plugin. Pays the amount of the highest tier reached by the
// attainment of one primary metric, only when every gate passes, capped. Every agent of the
// input gets a row: amount 0 with the reason when nothing is paid, so that "why did I get no
// bonus?" has an answer. Config keys: plugins/tiered_bonus/README.md.
#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plugins/common/plugin_util.h"
#include "plugins/sdk/okr_plugin_cpp.h"

namespace okr::plugins::tiered_bonus {
namespace {

namespace pb = okr::plugin::v1;
using util::Json;
using util::Num;

// Attainments come out of divisions; treat 109.9999999% as 110%.
constexpr double kEpsilon = 1e-9;

struct Tier {
  double min_attainment = 0;
  double amount = 0;
};

struct Gate {
  std::string metric;
  std::optional<double> min_actual;
  std::optional<double> max_actual;
};

struct Config {
  std::string primary_metric;
  std::vector<Tier> tiers;  // ascending by min_attainment
  std::vector<Gate> gates;
  std::optional<double> cap;
  std::string currency;
  std::string rule;
};

Config ParseConfig(const Json& json) {
  util::RejectUnknownKeys(json, {"primary_metric", "tiers", "gates", "cap", "currency", "rule"},
                          "");
  Config config;
  config.primary_metric = util::RequireString(json, "primary_metric", "");
  config.currency = util::StringOr(json, "currency", "EUR", "");
  config.rule = util::StringOr(json, "rule", "tiered_bonus", "");
  if (json.contains("cap") && !json["cap"].is_null()) {
    config.cap = util::RequireNumber(json, "cap", "");
    if (*config.cap < 0) util::ConfigError("cap must not be negative");
  }
  if (!json.contains("tiers") || !json["tiers"].is_array() || json["tiers"].empty()) {
    util::ConfigError("tiers must be a non-empty array of {min_attainment, amount}");
  }
  for (size_t i = 0; i < json["tiers"].size(); ++i) {
    const Json& item = json["tiers"][i];
    const std::string where = "tiers[" + std::to_string(i) + "]";
    util::RejectUnknownKeys(item, {"min_attainment", "amount"}, where);
    Tier tier{util::RequireNumber(item, "min_attainment", where),
              util::RequireNumber(item, "amount", where)};
    if (tier.amount < 0) util::ConfigError(where + ".amount must not be negative");
    config.tiers.push_back(tier);
  }
  std::sort(config.tiers.begin(), config.tiers.end(),
            [](const Tier& a, const Tier& b) { return a.min_attainment < b.min_attainment; });
  for (size_t i = 1; i < config.tiers.size(); ++i) {
    if (config.tiers[i].min_attainment == config.tiers[i - 1].min_attainment) {
      util::ConfigError("two tiers with min_attainment " + Num(config.tiers[i].min_attainment));
    }
  }
  if (json.contains("gates") && !json["gates"].is_null()) {
    if (!json["gates"].is_array()) util::ConfigError("gates must be an array");
    for (size_t i = 0; i < json["gates"].size(); ++i) {
      const Json& item = json["gates"][i];
      const std::string where = "gates[" + std::to_string(i) + "]";
      util::RejectUnknownKeys(item, {"metric", "min_actual", "max_actual"}, where);
      Gate gate;
      gate.metric = util::RequireString(item, "metric", where);
      if (item.contains("min_actual")) {
        gate.min_actual = util::RequireNumber(item, "min_actual", where);
      }
      if (item.contains("max_actual")) {
        gate.max_actual = util::RequireNumber(item, "max_actual", where);
      }
      if (!gate.min_actual && !gate.max_actual) {
        util::ConfigError(where + " needs min_actual or max_actual");
      }
      config.gates.push_back(gate);
    }
  }
  return config;
}

// Checks one gate; appends "gate csat 93.1 >= 90 passed" or "gate csat >= 90 failed: 88.5".
bool CheckGate(const Gate& gate, const pb::AgentMonth& agent, std::vector<std::string>& parts) {
  const pb::MetricMonth* metric = util::FindMetric(agent, gate.metric);
  bool passed = true;
  auto check = [&](std::string_view op, double limit, bool ok) {
    if (metric == nullptr) {
      parts.push_back("gate " + gate.metric + " " + std::string(op) + " " + Num(limit) +
                      " failed: no data");
    } else if (ok) {
      parts.push_back("gate " + gate.metric + " " + Num(metric->actual()) + " " + std::string(op) +
                      " " + Num(limit) + " passed");
    } else {
      parts.push_back("gate " + gate.metric + " " + std::string(op) + " " + Num(limit) +
                      " failed: " + Num(metric->actual()));
    }
    passed = passed && metric != nullptr && ok;
  };
  if (gate.min_actual) {
    check(">=", *gate.min_actual, metric != nullptr && metric->actual() >= *gate.min_actual);
  }
  if (gate.max_actual) {
    check("<=", *gate.max_actual, metric != nullptr && metric->actual() <= *gate.max_actual);
  }
  return passed;
}

std::string Join(const std::vector<std::string>& parts) {
  std::string text;
  for (const std::string& part : parts) text += (text.empty() ? "" : "; ") + part;
  return text;
}

pb::Payout PayoutFor(const Config& config, const pb::AgentMonth& agent) {
  pb::Payout payout;
  payout.set_unit_id(agent.unit_id());
  payout.set_currency(config.currency);
  payout.set_rule(config.rule);
  payout.set_amount(0);
  const pb::MetricMonth* primary = util::FindMetric(agent, config.primary_metric);
  if (primary == nullptr || primary->status() == "no_data") {
    payout.set_explanation("no " + config.primary_metric + " data this month; no payout");
    return payout;
  }
  if (primary->status() == "no_target") {
    payout.set_explanation("no " + config.primary_metric + " target this month; no payout");
    return payout;
  }
  const double attainment = primary->attainment_pct();
  std::vector<std::string> parts{"attainment " + Num(attainment) + "% of " + config.primary_metric};
  const Tier* tier = nullptr;
  for (const Tier& candidate : config.tiers) {
    if (attainment + kEpsilon >= candidate.min_attainment) tier = &candidate;
  }
  if (tier == nullptr) {
    parts.push_back("below the lowest tier (" + Num(config.tiers.front().min_attainment) +
                    "%); no payout");
    payout.set_explanation(Join(parts));
    return payout;
  }
  parts.push_back("tier >=" + Num(tier->min_attainment) + "%: " + Num(tier->amount) + " " +
                  config.currency);
  bool gates_pass = true;
  for (const Gate& gate : config.gates) gates_pass = CheckGate(gate, agent, parts) && gates_pass;
  if (!gates_pass) {
    parts.push_back("no payout");
    payout.set_explanation(Join(parts));
    return payout;
  }
  double amount = tier->amount;
  if (config.cap && amount > *config.cap) {
    amount = *config.cap;
    parts.push_back("cap " + Num(*config.cap) + " applied");
  }
  payout.set_amount(util::RoundCents(amount));
  payout.set_explanation(Join(parts));
  return payout;
}

class TieredBonus {
 public:
  explicit TieredBonus(std::string_view config_json) : config_json_(config_json) {
    // Validate now, so that a bad config is refused by create() with ERROR_CONFIG.
    if (!config_json_.empty()) config_ = ParseConfig(util::ParseConfig(config_json_));
  }

  std::string Evaluate(std::string_view bytes) const {
    pb::IncentiveInput input;
    if (!input.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
      util::InputError("bytes do not parse as okr.plugin.v1.IncentiveInput");
    }
    const Config config =
        config_ ? *config_ : ParseConfig(util::ParseConfig("", input.config_json()));
    pb::IncentiveOutput output;
    for (const pb::AgentMonth& agent : input.agents()) {
      *output.add_payouts() = PayoutFor(config, agent);
    }
    return output.SerializeAsString();
  }

 private:
  std::string config_json_;
  std::optional<Config> config_;
};

}  // namespace
}  // namespace okr::plugins::tiered_bonus

OKR_PLUGIN_DEFINE(okr::plugins::tiered_bonus::TieredBonus, OKR_PLUGIN_KIND_INCENTIVE,
                  "tiered_bonus", "1.1.0")

// The config keys of README.md, for the host to check every config before it is stored.
// `tiers` and `gates` are replaced whole when a subtree sets them (no x-merge-key): a
// subtree's tiers are a new table, not amendments to its parent's.
OKR_PLUGIN_CONFIG_SCHEMA(R"json({
  "type": "object",
  "required": ["primary_metric", "tiers"],
  "properties": {
    "primary_metric": {"type": "string", "format": "metric",
                       "description": "metric whose attainment_pct picks the tier"},
    "tiers": {"type": "array", "minItems": 1,
              "description": "the highest tier with attainment >= min_attainment pays amount",
              "items": {"type": "object", "required": ["min_attainment", "amount"],
                        "properties": {"min_attainment": {"type": "number"},
                                       "amount": {"type": "number", "minimum": 0}}}},
    "gates": {"type": "array",
              "description": "each needs the metric's month actual >= min_actual, <= max_actual",
              "items": {"type": "object", "required": ["metric"],
                        "properties": {"metric": {"type": "string", "format": "metric"},
                                       "min_actual": {"type": "number"},
                                       "max_actual": {"type": "number"}}}},
    "cap": {"type": "number", "minimum": 0, "description": "the most one agent gets"},
    "currency": {"type": "string", "minLength": 1, "description": "default EUR"},
    "rule": {"type": "string", "minLength": 1, "description": "default tiered_bonus"}
  }
})json")
