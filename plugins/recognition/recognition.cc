// recognition: awards at month close. Agent of the month per group (best attainment of the
// primary metric among agents with enough volume), year-to-date milestones, streaks of months
// on track, and peer kudos received. Config keys: plugins/recognition/README.md.
#include <algorithm>
#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "plugins/common/plugin_util.h"
#include "plugins/sdk/okr_plugin_cpp.h"

namespace okr::plugins::recognition {
namespace {

namespace pb = okr::plugin::v1;
using util::Json;
using util::Num;

struct Config {
  std::string primary_metric;
  bool agent_of_the_month = true;
  double min_volume = 0;
  bool milestones = true;
  std::string milestone_metric;  // defaults to primary_metric
  std::vector<double> thresholds;
  bool streaks = true;
  int min_months = 3;
  std::set<std::string> streak_statuses;
  bool kudos = true;
  int min_kudos = 3;
};

Config ParseConfig(const Json& json) {
  util::RejectUnknownKeys(
      json, {"primary_metric", "agent_of_the_month", "milestones", "streak", "kudos"}, "");
  Config config;
  config.primary_metric = util::RequireString(json, "primary_metric", "");
  const Json empty = Json::object();
  if (const Json* aotm = util::ObjectOr(json, "agent_of_the_month", "")) {
    util::RejectUnknownKeys(*aotm, {"enabled", "min_volume"}, "agent_of_the_month");
    config.agent_of_the_month = util::BoolOr(*aotm, "enabled", true, "agent_of_the_month");
    config.min_volume = util::NumberOr(*aotm, "min_volume", 0, "agent_of_the_month");
  }
  const Json* milestones = util::ObjectOr(json, "milestones", "");
  if (milestones == nullptr) milestones = &empty;
  util::RejectUnknownKeys(*milestones, {"enabled", "metric", "thresholds"}, "milestones");
  config.milestones = util::BoolOr(*milestones, "enabled", true, "milestones");
  config.milestone_metric =
      util::StringOr(*milestones, "metric", config.primary_metric, "milestones");
  config.thresholds = util::NumbersOr(*milestones, "thresholds", {1000, 5000, 10000}, "milestones");
  std::sort(config.thresholds.begin(), config.thresholds.end());
  for (double threshold : config.thresholds) {
    if (threshold <= 0) util::ConfigError("milestones.thresholds must be positive");
  }
  const Json* streak = util::ObjectOr(json, "streak", "");
  if (streak == nullptr) streak = &empty;
  util::RejectUnknownKeys(*streak, {"enabled", "min_months", "statuses"}, "streak");
  config.streaks = util::BoolOr(*streak, "enabled", true, "streak");
  const double min_months = util::NumberOr(*streak, "min_months", 3, "streak");
  if (min_months < 1 || min_months > 120) util::ConfigError("streak.min_months must be 1..120");
  config.min_months = static_cast<int>(min_months);
  for (const std::string& status :
       util::StringsOr(*streak, "statuses", {"on_track", "achieved"}, "streak")) {
    config.streak_statuses.insert(status);
  }
  if (const Json* kudos = util::ObjectOr(json, "kudos", "")) {
    util::RejectUnknownKeys(*kudos, {"enabled", "min_received"}, "kudos");
    config.kudos = util::BoolOr(*kudos, "enabled", true, "kudos");
    const double min_kudos = util::NumberOr(*kudos, "min_received", 3, "kudos");
    if (min_kudos < 1) util::ConfigError("kudos.min_received must be at least 1");
    config.min_kudos = static_cast<int>(min_kudos);
  }
  return config;
}

// "2024-03" minus `back` months.
std::string MonthBefore(std::string_view month, int back) {
  int year = 0, number = 0;
  if (std::sscanf(std::string(month).c_str(), "%d-%d", &year, &number) != 2 || number < 1 ||
      number > 12) {
    util::InputError("month must be YYYY-MM, got '" + std::string(month) + "'");
  }
  int index = year * 12 + (number - 1) - back;
  char buffer[16];
  std::snprintf(buffer, sizeof(buffer), "%04d-%02d", index / 12, index % 12 + 1);
  return buffer;
}

pb::Award MakeAward(const std::string& unit_id, const char* award, double score,
                    std::string explanation) {
  pb::Award out;
  out.set_unit_id(unit_id);
  out.set_award(award);
  out.set_score(score);
  out.set_explanation(std::move(explanation));
  return out;
}

struct Candidate {
  const pb::AgentMonth* agent;
  const pb::MetricMonth* metric;
};

void AgentsOfTheMonth(const Config& config, const pb::RecognitionInput& input,
                      pb::RecognitionOutput& output) {
  std::map<std::string, std::vector<Candidate>> groups;  // sorted by group id
  for (const pb::AgentMonth& agent : input.agents()) {
    const pb::MetricMonth* metric = util::FindMetric(agent, config.primary_metric);
    if (metric == nullptr || metric->status() == "no_target" || metric->status() == "no_data") {
      continue;
    }
    if (metric->volume() < config.min_volume) continue;
    groups[agent.group_id()].push_back({&agent, metric});
  }
  for (auto& [group, candidates] : groups) {
    std::sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
      if (a.metric->attainment_pct() != b.metric->attainment_pct()) {
        return a.metric->attainment_pct() > b.metric->attainment_pct();
      }
      return a.agent->unit_id() < b.agent->unit_id();  // ties: the lower unit id wins
    });
    const Candidate& best = candidates.front();
    std::string explanation = "best " + config.primary_metric + " attainment in group " + group +
                              ": " + Num(best.metric->attainment_pct()) + "% (volume " +
                              Num(best.metric->volume()) + ", minimum " + Num(config.min_volume) +
                              ")";
    if (candidates.size() > 1) {
      const Candidate& second = candidates[1];
      explanation += "; runner-up " + second.agent->unit_id() + ": " +
                     Num(second.metric->attainment_pct()) + "%";
      if (second.metric->attainment_pct() == best.metric->attainment_pct()) {
        explanation += " (tie, broken by unit id)";
      }
    } else {
      explanation += "; no runner-up";
    }
    *output.add_awards() = MakeAward(best.agent->unit_id(), "agent_of_the_month",
                                     best.metric->attainment_pct(), explanation);
  }
}

void Milestones(const Config& config, const pb::RecognitionInput& input,
                const pb::AgentMonth& agent, pb::RecognitionOutput& output) {
  auto ytd = agent.year_to_date().find(config.milestone_metric);
  if (ytd == agent.year_to_date().end()) return;
  const pb::MetricMonth* metric = util::FindMetric(agent, config.milestone_metric);
  const double this_month = metric == nullptr ? 0 : metric->actual();
  const double before = ytd->second - this_month;
  for (double threshold : config.thresholds) {
    if (before < threshold && ytd->second >= threshold) {
      *output.add_awards() = MakeAward(agent.unit_id(), "milestone", threshold,
                                       "crossed " + Num(threshold) + " " + config.milestone_metric +
                                           " this year: " + Num(ytd->second) + " year to date (" +
                                           Num(before) + " before " + input.month() + ")");
    }
  }
}

void Streak(const Config& config, const pb::RecognitionInput& input, const pb::AgentMonth& agent,
            pb::RecognitionOutput& output) {
  const pb::MetricMonth* metric = util::FindMetric(agent, config.primary_metric);
  if (metric == nullptr || !config.streak_statuses.count(metric->status())) return;
  // The metric's own history when the input has it; else the agent's (the input producer's
  // choice of primary metric).
  const auto& history = metric->previous_statuses_size() > 0 ? metric->previous_statuses()
                                                             : agent.previous_statuses();
  int months = 1;  // this month
  for (int i = history.size() - 1; i >= 0; --i) {
    if (!config.streak_statuses.count(history[i])) break;
    ++months;
  }
  if (months < config.min_months) return;
  std::string statuses;
  for (const std::string& status : config.streak_statuses) {
    statuses += (statuses.empty() ? "" : " or ") + status;
  }
  *output.add_awards() =
      MakeAward(agent.unit_id(), "streak", months,
                std::to_string(months) + " consecutive months " + statuses + " on " +
                    config.primary_metric + " (" + MonthBefore(input.month(), months - 1) + " to " +
                    input.month() + ", minimum " + std::to_string(config.min_months) + ")");
}

void Kudos(const Config& config, const pb::RecognitionInput& input, const pb::AgentMonth& agent,
           pb::RecognitionOutput& output) {
  if (agent.kudos_received() < config.min_kudos) return;
  *output.add_awards() =
      MakeAward(agent.unit_id(), "kudos", agent.kudos_received(),
                std::to_string(agent.kudos_received()) + " kudos received in " + input.month() +
                    " (minimum " + std::to_string(config.min_kudos) + ")");
}

class Recognition {
 public:
  explicit Recognition(std::string_view config_json) {
    if (!config_json.empty()) config_ = ParseConfig(util::ParseConfig(config_json));
  }

  std::string Evaluate(std::string_view bytes) const {
    pb::RecognitionInput input;
    if (!input.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
      util::InputError("bytes do not parse as okr.plugin.v1.RecognitionInput");
    }
    MonthBefore(input.month(), 0);  // validates the month
    const Config config =
        config_ ? *config_ : ParseConfig(util::ParseConfig("", input.config_json()));
    pb::RecognitionOutput output;
    if (config.agent_of_the_month) AgentsOfTheMonth(config, input, output);
    std::vector<const pb::AgentMonth*> agents;
    for (const pb::AgentMonth& agent : input.agents()) agents.push_back(&agent);
    std::sort(agents.begin(), agents.end(), [](const pb::AgentMonth* a, const pb::AgentMonth* b) {
      return a->unit_id() < b->unit_id();
    });
    for (const pb::AgentMonth* agent : agents) {
      if (config.milestones) Milestones(config, input, *agent, output);
      if (config.streaks) Streak(config, input, *agent, output);
      if (config.kudos) Kudos(config, input, *agent, output);
    }
    return output.SerializeAsString();
  }

 private:
  std::optional<Config> config_;
};

}  // namespace
}  // namespace okr::plugins::recognition

OKR_PLUGIN_DEFINE(okr::plugins::recognition::Recognition, OKR_PLUGIN_KIND_RECOGNITION,
                  "recognition", "1.1.0")

// The config keys of README.md, for the host to check every config before it is stored.
OKR_PLUGIN_CONFIG_SCHEMA(R"json({
  "type": "object",
  "required": ["primary_metric"],
  "properties": {
    "primary_metric": {"type": "string", "format": "metric",
                       "description": "the metric for agent of the month and streaks"},
    "agent_of_the_month": {"type": "object", "properties": {
        "enabled": {"type": "boolean"},
        "min_volume": {"type": "number", "minimum": 0}}},
    "milestones": {"type": "object", "properties": {
        "enabled": {"type": "boolean"},
        "metric": {"type": "string", "format": "metric"},
        "thresholds": {"type": "array",
                       "items": {"type": "number", "exclusiveMinimum": 0}}}},
    "streak": {"type": "object", "properties": {
        "enabled": {"type": "boolean"},
        "min_months": {"type": "integer", "minimum": 1, "maximum": 120},
        "statuses": {"type": "array", "items": {"type": "string", "enum":
            ["achieved", "on_track", "at_risk", "off_track", "missed", "no_data", "no_target"]}}}},
    "kudos": {"type": "object", "properties": {
        "enabled": {"type": "boolean"},
        "min_received": {"type": "integer", "minimum": 1}}}
  }
})json")
