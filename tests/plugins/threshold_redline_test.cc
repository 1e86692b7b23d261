// threshold_redline through the real C ABI; expectations worked out by hand. 2024-03-14 is a
// Thursday; the fortnights of the default breach key start on Mondays counted from Monday
// 1970-01-05, and 2024-03-04 is one of them (19782 days later = 1413 x 14).
#include <boost/asio/thread_pool.hpp>
#include <fstream>
#include <sstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "okr/plugin/v1/plugin.pb.h"
#include "plugins/host/plugin_host.h"
#include "tests/plugins/plugin_test_util.h"
#include "tests/plugins/shipped_plugin_test.h"

namespace okr::plugins {
namespace {

namespace pb = okr::plugin::v1;
using ::testing::HasSubstr;

void Day(pb::AgentWindow& agent, const char* date, const char* metric, double value,
         double denominator = 0) {
  pb::DailyValue* day = agent.add_days();
  day->set_date(date);
  day->set_metric_id(metric);
  day->set_value(value);
  day->set_denominator(denominator);
}

pb::RedlineInput SmallOrg(const char* as_of) {
  pb::RedlineInput input;
  input.set_as_of(as_of);
  input.set_window_days(31);
  pb::AgentWindow* a1 = input.add_agents();  // 3 complaints from 03-01 on; 5 before, outside
  a1->set_unit_id("a1");
  Day(*a1, "2024-02-28", "complaints", 5);
  Day(*a1, "2024-03-01", "complaints", 1);
  Day(*a1, "2024-03-05", "complaints", 2);
  pb::AgentWindow* a2 = input.add_agents();  // csat (70 + 80) / (100 + 100) = 75%
  a2->set_unit_id("a2");
  Day(*a2, "2024-02-20", "csat", 100, 100);
  Day(*a2, "2024-03-10", "csat", 70, 100);
  Day(*a2, "2024-03-12", "csat", 80, 100);
  pb::AgentWindow* a3 = input.add_agents();  // overtime 12 + 9.5 = 21.5 h in March
  a3->set_unit_id("a3");
  Day(*a3, "2024-02-28", "overtime_hours", 10);
  Day(*a3, "2024-03-02", "overtime_hours", 12);
  Day(*a3, "2024-03-09", "overtime_hours", 9.5);
  Day(*a3, "2024-03-09", "complaints", 2);
  Day(*a3, "2024-03-09", "csat", 0, 0);
  pb::AgentWindow* a4 = input.add_agents();  // every figure just inside its limit
  a4->set_unit_id("a4");
  Day(*a4, "2024-02-29", "complaints", 1);
  Day(*a4, "2024-03-03", "complaints", 2);
  Day(*a4, "2024-03-04", "csat", 85, 100);
  Day(*a4, "2024-03-04", "overtime_hours", 20);
  return input;
}

// The three rules of the README (the plugin has no defaults: every alert comes from a rule
// someone configured).
constexpr const char* kThreeRules = R"({"rules": [
  {"name": "complaints_14d", "type": "window_sum", "metric": "complaints", "days": 14,
   "op": ">=", "threshold": 3, "severity": "critical"},
  {"name": "csat_below_80_14d", "type": "window_ratio", "metric": "csat", "days": 14,
   "op": "<", "threshold": 80, "scale": 100, "severity": "warning"},
  {"name": "overtime_month", "type": "month_sum", "metric": "overtime_hours",
   "op": ">", "threshold": 20, "severity": "warning"}]})";

class ThresholdRedlineTest : public testing::ShippedPluginTest<pb::RedlineOutput> {
 protected:
  ThresholdRedlineTest() : ShippedPluginTest("threshold_redline", PluginKind::kRedline) {}
};

TEST_F(ThresholdRedlineTest, TheReadmeRulesOpenTheExpectedAlerts) {
  const pb::RedlineOutput output = Run(kThreeRules, SmallOrg("2024-03-14"));
  ASSERT_EQ(output.alerts_size(), 3);

  const pb::AlertOut& complaints = output.alerts(0);
  EXPECT_EQ(complaints.unit_id(), "a1");
  EXPECT_EQ(complaints.rule(), "complaints_14d");
  EXPECT_EQ(complaints.severity(), "critical");
  EXPECT_EQ(complaints.figures(), "3 complaints in 14 days to 2024-03-14 (alert at >= 3)");
  EXPECT_EQ(complaints.breach_key(), "complaints_14d|a1|2024-03-04");

  const pb::AlertOut& csat = output.alerts(1);
  EXPECT_EQ(csat.unit_id(), "a2");
  EXPECT_EQ(csat.rule(), "csat_below_80_14d");
  EXPECT_EQ(csat.severity(), "warning");
  EXPECT_EQ(csat.figures(), "csat 75 in 14 days to 2024-03-14 over 200 responses (alert at < 80)");
  EXPECT_EQ(csat.breach_key(), "csat_below_80_14d|a2|2024-03-04");

  const pb::AlertOut& overtime = output.alerts(2);
  EXPECT_EQ(overtime.unit_id(), "a3");
  EXPECT_EQ(overtime.rule(), "overtime_month");
  EXPECT_EQ(overtime.severity(), "warning");
  EXPECT_EQ(overtime.figures(), "21.5 overtime_hours in 2024-03 to 2024-03-14 (alert at > 20)");
  EXPECT_EQ(overtime.breach_key(), "overtime_month|a3|2024-03");
}

TEST_F(ThresholdRedlineTest, AnOngoingBreachKeepsItsKeyWithinThePeriod) {
  // Sunday 03-17 is in the same fortnight as Thursday 03-14; Monday 03-18 starts the next.
  const pb::RedlineOutput sunday = Run(kThreeRules, SmallOrg("2024-03-17"));
  const pb::RedlineOutput monday = Run(kThreeRules, SmallOrg("2024-03-18"));
  // On 03-17 the window starts 03-04: a1 has only 2 complaints left, a2 and a3 still breach.
  ASSERT_EQ(sunday.alerts_size(), 2);
  EXPECT_EQ(sunday.alerts(0).breach_key(), "csat_below_80_14d|a2|2024-03-04");
  EXPECT_EQ(sunday.alerts(1).breach_key(), "overtime_month|a3|2024-03");
  ASSERT_EQ(monday.alerts_size(), 2);
  EXPECT_EQ(monday.alerts(0).breach_key(), "csat_below_80_14d|a2|2024-03-18");
  EXPECT_EQ(monday.alerts(1).breach_key(), "overtime_month|a3|2024-03");
}

TEST_F(ThresholdRedlineTest, ARuleKeyedByIsoWeek) {
  // One rule: at least 2 complaints in 7 days, keyed by ISO week.
  const std::string config = R"({"rules": [
      {"name": "complaints_7d", "type": "window_sum", "metric": "complaints", "days": 7,
       "op": ">=", "threshold": 2, "severity": "info", "key_period": "iso_week"}]})";
  const pb::RedlineOutput output = Run(config, SmallOrg("2024-03-09"));
  // Window 03-03..03-09: a1 has 2 (03-05), a3 has 2 (03-09), a4 has 2 (03-03).
  ASSERT_EQ(output.alerts_size(), 3);
  EXPECT_EQ(output.alerts(0).unit_id(), "a1");
  EXPECT_EQ(output.alerts(0).severity(), "info");
  EXPECT_EQ(output.alerts(0).figures(), "2 complaints in 7 days to 2024-03-09 (alert at >= 2)");
  // Saturday 2024-03-09 is in ISO week 10 (2024 starts on a Monday).
  EXPECT_EQ(output.alerts(0).breach_key(), "complaints_7d|a1|2024-W10");
  EXPECT_EQ(output.alerts(1).unit_id(), "a3");
  EXPECT_EQ(output.alerts(2).unit_id(), "a4");

  // ISO week of a date whose week belongs to the previous year: 2021-01-01 is in 2020-W53.
  pb::RedlineInput new_year;
  new_year.set_as_of("2021-01-01");
  new_year.set_window_days(7);
  pb::AgentWindow* agent = new_year.add_agents();
  agent->set_unit_id("a9");
  Day(*agent, "2020-12-30", "complaints", 3);
  const pb::RedlineOutput turn = Run(config, new_year);
  ASSERT_EQ(turn.alerts_size(), 1);
  EXPECT_EQ(turn.alerts(0).breach_key(), "complaints_7d|a9|2020-W53");
}

TEST_F(ThresholdRedlineTest, RefusesABadRuleAndAShortWindow) {
  absl::StatusOr<std::string> out = host_.Evaluate(
      "threshold_redline", R"({"rules": [{"name": "x", "type": "window_avg", "metric": "m",
                                          "op": ">", "threshold": 1}]})",
      SmallOrg("2024-03-14").SerializeAsString(), absl::Seconds(10));
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(out.status().message(),
              HasSubstr("rules[0].type must be window_sum, window_ratio or month_sum"));

  pb::RedlineInput short_window = SmallOrg("2024-03-14");
  short_window.set_window_days(7);
  out = host_.Evaluate("threshold_redline", kThreeRules, short_window.SerializeAsString(),
                       absl::Seconds(10));
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(out.status().message(),
              HasSubstr("rule complaints_14d needs 14 days but window_days is 7"));
}

TEST_F(ThresholdRedlineTest, NoRulesNoAlertsAndADisabledRuleIsSkipped) {
  // Without `rules` the plugin refuses the config: there are no default rules to fall back on.
  absl::StatusOr<std::string> out = host_.Evaluate(
      "threshold_redline", "{}", SmallOrg("2024-03-14").SerializeAsString(), absl::Seconds(10));
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(out.status().message(), HasSubstr("config: rules is required"));
  EXPECT_EQ(Run(R"({"rules": []})", SmallOrg("2024-03-14")).alerts_size(), 0);
  // The three rules with overtime switched off (as a subtree does it): a1's and a2's alerts.
  const pb::RedlineOutput output = Run(R"({"rules": [
      {"name": "complaints_14d", "type": "window_sum", "metric": "complaints", "days": 14,
       "op": ">=", "threshold": 3, "severity": "critical"},
      {"name": "csat_below_80_14d", "type": "window_ratio", "metric": "csat", "days": 14,
       "op": "<", "threshold": 80, "scale": 100, "severity": "warning"},
      {"name": "overtime_month", "type": "month_sum", "metric": "overtime_hours",
       "op": ">", "threshold": 20, "severity": "warning", "enabled": false}]})",
                                       SmallOrg("2024-03-14"));
  ASSERT_EQ(output.alerts_size(), 2);
  EXPECT_EQ(output.alerts(0).rule(), "complaints_14d");
  EXPECT_EQ(output.alerts(1).rule(), "csat_below_80_14d");
}

TEST_F(ThresholdRedlineTest, TheShippedExampleConfigIsValid) {
  std::ifstream file(std::string(OKR_PLUGIN_SOURCE_DIR) +
                     "/threshold_redline/examples/threshold_redline.json");
  std::stringstream text;
  text << file.rdbuf();
  ASSERT_FALSE(text.str().empty());
  Run(text.str(), SmallOrg("2024-03-14"));
}

}  // namespace
}  // namespace okr::plugins
