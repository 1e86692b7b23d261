// threshold_redline: rules over an agent's recent daily values that open alerts. Three rule
// types: window_sum (sum over the last N days), window_ratio (ratio of sums over the last N
// days, only when the denominator is positive), month_sum (sum over the month of as_of).
//
// Each breach says the days its figures cover (window_first .. as_of): the host decides from
// them whether it is a breach already alerted (services/domain/breach.h), so that the plugin,
// run every day, need not remember anything. Breach keys name the breach for people:
// rule|unit|period, where the period is fixed rather than sliding: for window rules, by
// default, consecutive N-day periods starting on Mondays (N = the rule's days; for 14 days,
// fortnights), named by their first day; or the ISO week or the month (key_period). month_sum
// rules use the month. Config keys: plugins/threshold_redline/README.md.
#include <chrono>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plugins/common/plugin_util.h"
#include "plugins/sdk/okr_plugin_cpp.h"

namespace okr::plugins::threshold_redline {
namespace {

namespace pb = okr::plugin::v1;
using std::chrono::days;
using std::chrono::sys_days;
using util::Json;
using util::Num;

enum class Type { kWindowSum, kWindowRatio, kMonthSum };
enum class KeyPeriod { kWindow, kIsoWeek, kMonth };

struct Rule {
  std::string name;
  Type type = Type::kWindowSum;
  std::string metric;
  int days = 14;
  std::string op;
  double threshold = 0;
  double scale = 1;
  std::string severity;
  KeyPeriod key_period = KeyPeriod::kWindow;
  bool enabled = true;  // false: a subtree switches off a rule it inherits
};

Rule ParseRule(const Json& json, const std::string& where) {
  util::RejectUnknownKeys(json,
                          {"name", "enabled", "type", "metric", "days", "op", "threshold", "scale",
                           "severity", "key_period"},
                          where);
  Rule rule;
  rule.name = util::RequireString(json, "name", where);
  rule.enabled = util::BoolOr(json, "enabled", true, where);
  if (rule.name.empty() || rule.name.find('|') != std::string::npos) {
    util::ConfigError(where + ".name must be non-empty and without '|'");
  }
  const std::string type = util::RequireString(json, "type", where);
  if (type == "window_sum") {
    rule.type = Type::kWindowSum;
  } else if (type == "window_ratio") {
    rule.type = Type::kWindowRatio;
  } else if (type == "month_sum") {
    rule.type = Type::kMonthSum;
  } else {
    util::ConfigError(where + ".type must be window_sum, window_ratio or month_sum");
  }
  rule.metric = util::RequireString(json, "metric", where);
  rule.op = util::RequireString(json, "op", where);
  if (rule.op != ">=" && rule.op != ">" && rule.op != "<" && rule.op != "<=") {
    util::ConfigError(where + ".op must be one of >=, >, <, <=");
  }
  rule.threshold = util::RequireNumber(json, "threshold", where);
  rule.scale = util::NumberOr(json, "scale", 1, where);
  rule.severity = util::StringOr(json, "severity", "warning", where);
  if (rule.severity != "info" && rule.severity != "warning" && rule.severity != "critical") {
    util::ConfigError(where + ".severity must be info, warning or critical");
  }
  if (rule.type == Type::kMonthSum) {
    if (json.contains("days")) util::ConfigError(where + ".days does not apply to month_sum");
    rule.key_period = KeyPeriod::kMonth;
    const std::string period = util::StringOr(json, "key_period", "month", where);
    if (period != "month") util::ConfigError(where + ".key_period of month_sum must be month");
  } else {
    const double days = util::NumberOr(json, "days", 14, where);
    if (days < 1 || days > 366) util::ConfigError(where + ".days must be 1..366");
    rule.days = static_cast<int>(days);
    const std::string period = util::StringOr(json, "key_period", "window", where);
    if (period == "window") {
      rule.key_period = KeyPeriod::kWindow;
    } else if (period == "iso_week") {
      rule.key_period = KeyPeriod::kIsoWeek;
    } else if (period == "month") {
      rule.key_period = KeyPeriod::kMonth;
    } else {
      util::ConfigError(where + ".key_period must be window, iso_week or month");
    }
  }
  return rule;
}

std::vector<Rule> ParseConfig(const Json& json) {
  util::RejectUnknownKeys(json, {"rules"}, "");
  // No default rules: every alert comes from a rule someone wrote (the README has examples).
  if (!json.contains("rules")) util::ConfigError("rules is required");
  const Json& rules = json["rules"];
  if (!rules.is_array()) util::ConfigError("rules must be an array");
  std::vector<Rule> parsed;
  for (size_t i = 0; i < rules.size(); ++i) {
    parsed.push_back(ParseRule(rules[i], "rules[" + std::to_string(i) + "]"));
    for (size_t j = 0; j + 1 < parsed.size(); ++j) {
      if (parsed[j].name == parsed.back().name) {
        util::ConfigError("two rules named " + parsed.back().name);
      }
    }
  }
  return parsed;
}

// ---- Dates ----

std::optional<sys_days> ParseDate(std::string_view text) {
  int year = 0;
  unsigned month = 0, day = 0;
  char tail = 0;
  if (text.size() != 10 ||
      std::sscanf(std::string(text).c_str(), "%4d-%2u-%2u%c", &year, &month, &day, &tail) != 3) {
    return std::nullopt;
  }
  const std::chrono::year_month_day date{std::chrono::year(year), std::chrono::month(month),
                                         std::chrono::day(day)};
  if (!date.ok()) return std::nullopt;
  return sys_days(date);
}

std::string FormatDate(sys_days day) {
  const std::chrono::year_month_day date(day);
  char buffer[16];
  std::snprintf(buffer, sizeof(buffer), "%04d-%02u-%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  return buffer;
}

std::string FormatMonth(sys_days day) { return FormatDate(day).substr(0, 7); }

sys_days FirstOfMonth(sys_days day) {
  const std::chrono::year_month_day date(day);
  return sys_days(date.year() / date.month() / 1);
}

// Monday 1970-01-05 anchors the fixed periods, so that 7- and 14-day periods start on Mondays.
constexpr sys_days kAnchorMonday = sys_days(days(4));

std::string PeriodKey(const Rule& rule, sys_days as_of) {
  switch (rule.key_period) {
    case KeyPeriod::kMonth:
      return FormatMonth(as_of);
    case KeyPeriod::kIsoWeek: {
      const std::chrono::weekday weekday(as_of);
      const int from_monday = static_cast<int>(weekday.iso_encoding()) - 1;
      const sys_days thursday = as_of - days(from_monday) + days(3);  // decides the ISO year
      const std::chrono::year year = std::chrono::year_month_day(thursday).year();
      const int week = (thursday - sys_days(year / 1 / 1)).count() / 7 + 1;
      char buffer[16];
      std::snprintf(buffer, sizeof(buffer), "%04d-W%02d", static_cast<int>(year), week);
      return buffer;
    }
    case KeyPeriod::kWindow: {
      const long offset = (as_of - kAnchorMonday).count();
      const long period = offset >= 0 ? offset / rule.days : (offset - rule.days + 1) / rule.days;
      return FormatDate(kAnchorMonday + days(period * rule.days));
    }
  }
  return FormatDate(as_of);
}

bool Breaches(const Rule& rule, double value) {
  if (rule.op == ">=") return value >= rule.threshold;
  if (rule.op == ">") return value > rule.threshold;
  if (rule.op == "<") return value < rule.threshold;
  return value <= rule.threshold;
}

// ---- Evaluation ----

struct Sums {
  double value = 0;
  double denominator = 0;
};

// Sums the agent's daily values of `metric` dated in [from, to].
Sums SumDays(const pb::AgentWindow& agent, const std::string& metric, sys_days from, sys_days to) {
  Sums sums;
  for (const pb::DailyValue& day : agent.days()) {
    if (day.metric_id() != metric) continue;
    const std::optional<sys_days> date = ParseDate(day.date());
    if (!date)
      util::InputError("daily value of " + agent.unit_id() + " has date '" + day.date() +
                       "', not YYYY-MM-DD");
    if (*date < from || *date > to) continue;
    sums.value += day.value();
    sums.denominator += day.denominator();
  }
  return sums;
}

std::optional<pb::AlertOut> Check(const Rule& rule, const pb::RedlineInput& input, sys_days as_of,
                                  const pb::AgentWindow& agent) {
  const std::string limit = "alert at " + rule.op + " " + Num(rule.threshold);
  double value = 0;
  std::string figures;
  sys_days window_first = as_of - days(rule.days - 1);
  if (rule.type == Type::kMonthSum) {
    const sys_days first = FirstOfMonth(as_of);
    window_first = first;
    const int days_needed = (as_of - first).count() + 1;
    const pb::MetricMonth* progress = nullptr;
    for (const pb::MetricMonth& metric : agent.month()) {
      if (metric.metric_id() == rule.metric) progress = &metric;
    }
    if (input.window_days() >= days_needed) {
      value = SumDays(agent, rule.metric, first, as_of).value;
    } else if (progress != nullptr) {
      value = progress->actual();  // the window misses the month's start: use month-to-date
    } else {
      util::InputError("rule " + rule.name + " needs the month so far (" +
                       std::to_string(days_needed) + " days) but window_days is " +
                       std::to_string(input.window_days()));
    }
    if (!Breaches(rule, value)) return std::nullopt;
    figures = Num(value) + " " + rule.metric + " in " + FormatMonth(as_of) + " to " +
              FormatDate(as_of) + " (" + limit + ")";
  } else {
    if (input.window_days() < rule.days) {
      util::InputError("rule " + rule.name + " needs " + std::to_string(rule.days) +
                       " days but window_days is " + std::to_string(input.window_days()));
    }
    const Sums sums = SumDays(agent, rule.metric, as_of - days(rule.days - 1), as_of);
    const std::string span = " in " + std::to_string(rule.days) + " days to " + FormatDate(as_of);
    if (rule.type == Type::kWindowSum) {
      value = sums.value * rule.scale;
      figures = Num(value) + " " + rule.metric + span + " (" + limit + ")";
    } else {
      if (sums.denominator <= 0) return std::nullopt;  // no responses: nothing to judge
      value = sums.value / sums.denominator * rule.scale;
      figures = rule.metric + " " + Num(value) + span + " over " + Num(sums.denominator) +
                " responses (" + limit + ")";
    }
    if (!Breaches(rule, value)) return std::nullopt;
  }
  pb::AlertOut alert;
  alert.set_unit_id(agent.unit_id());
  alert.set_rule(rule.name);
  alert.set_severity(rule.severity);
  alert.set_figures(figures);
  alert.set_breach_key(rule.name + "|" + agent.unit_id() + "|" + PeriodKey(rule, as_of));
  alert.set_window_first(FormatDate(window_first));
  return alert;
}

class ThresholdRedline {
 public:
  explicit ThresholdRedline(std::string_view config_json) {
    if (!config_json.empty()) rules_ = ParseConfig(util::ParseConfig(config_json));
  }

  std::string Evaluate(std::string_view bytes) const {
    pb::RedlineInput input;
    if (!input.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
      util::InputError("bytes do not parse as okr.plugin.v1.RedlineInput");
    }
    const std::optional<sys_days> as_of = ParseDate(input.as_of());
    if (!as_of) util::InputError("as_of must be YYYY-MM-DD, got '" + input.as_of() + "'");
    const std::vector<Rule> rules =
        rules_ ? *rules_ : ParseConfig(util::ParseConfig("", input.config_json()));
    pb::RedlineOutput output;
    for (const pb::AgentWindow& agent : input.agents()) {
      for (const Rule& rule : rules) {
        if (!rule.enabled) continue;
        if (std::optional<pb::AlertOut> alert = Check(rule, input, *as_of, agent)) {
          *output.add_alerts() = *std::move(alert);
        }
      }
    }
    return output.SerializeAsString();
  }

 private:
  std::optional<std::vector<Rule>> rules_;
};

}  // namespace
}  // namespace okr::plugins::threshold_redline

OKR_PLUGIN_DEFINE(okr::plugins::threshold_redline::ThresholdRedline, OKR_PLUGIN_KIND_REDLINE,
                  "threshold_redline", "1.1.0")

// The config keys of README.md, for the host to check every config before it is stored.
// `rules` merge by name (x-merge-key) when a subtree sets its own: the subtree adds rules,
// adjusts an inherited one by naming it ({"name": "complaints_14d", "threshold": 2}) or
// switches one off ({"name": "overtime_month", "enabled": false}), and keeps the rest.
OKR_PLUGIN_CONFIG_SCHEMA(R"json({
  "type": "object",
  "required": ["rules"],
  "properties": {
    "rules": {"type": "array", "x-merge-key": "name", "items": {
      "type": "object",
      "required": ["name", "type", "metric", "op", "threshold"],
      "properties": {
        "name": {"type": "string", "minLength": 1, "description": "unique, no |"},
        "enabled": {"type": "boolean", "description": "default true"},
        "type": {"type": "string", "enum": ["window_sum", "window_ratio", "month_sum"]},
        "metric": {"type": "string", "format": "metric"},
        "days": {"type": "integer", "minimum": 1, "maximum": 366,
                 "description": "window rules only; default 14"},
        "op": {"type": "string", "enum": [">=", ">", "<", "<="]},
        "threshold": {"type": "number"},
        "scale": {"type": "number", "description": "default 1"},
        "severity": {"type": "string", "enum": ["info", "warning", "critical"]},
        "key_period": {"type": "string", "enum": ["window", "iso_week", "month"]}
      }}}
  }
})json")
