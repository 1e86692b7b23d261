// recognition through the real C ABI; expectations worked out by hand from the org below.
#include <boost/asio/thread_pool.hpp>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

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

constexpr char kConfig[] = R"({
  "primary_metric": "tickets",
  "agent_of_the_month": {"min_volume": 100},
  "milestones": {"thresholds": [1000, 5000]},
  "streak": {"min_months": 3},
  "kudos": {"min_received": 5}
})";

struct AgentSpec {
  const char* id;
  const char* group;
  double attainment;
  double volume;  // = tickets actual this month
  const char* status;
  std::vector<std::string> previous;
  double ytd;
  int kudos;
};

pb::AgentMonth Agent(const AgentSpec& spec) {
  pb::AgentMonth agent;
  agent.set_unit_id(spec.id);
  agent.set_group_id(spec.group);
  pb::MetricMonth* tickets = agent.add_metrics();
  tickets->set_metric_id("tickets");
  tickets->set_kind("count");
  tickets->set_actual(spec.volume);
  tickets->set_volume(spec.volume);
  tickets->set_attainment_pct(spec.attainment);
  tickets->set_status(spec.status);
  for (const std::string& status : spec.previous) agent.add_previous_statuses(status);
  (*agent.mutable_year_to_date())["tickets"] = spec.ytd;
  agent.set_kudos_received(spec.kudos);
  return agent;
}

pb::RecognitionInput SmallOrg() {
  pb::RecognitionInput input;
  input.set_month("2024-04");
  // g1: a2 has the best attainment but too little volume, so a1 wins; a3 is runner-up.
  *input.add_agents() =
      Agent({"a3", "g1", 112, 300, "on_track", {"on_track", "on_track", "on_track"}, 5100, 0});
  *input.add_agents() =
      Agent({"a1", "g1", 118.2, 450, "achieved", {"missed", "on_track", "achieved"}, 1043, 2});
  *input.add_agents() = Agent({"a2", "g1", 125, 80, "achieved", {}, 5200, 6});
  // g2: a tie at 101%, broken by unit id.
  *input.add_agents() = Agent({"a5", "g2", 101, 150, "on_track", {"missed"}, 800, 5});
  *input.add_agents() = Agent({"a4", "g2", 101, 200, "on_track", {}, 900, 0});
  return input;
}

class RecognitionTest : public testing::ShippedPluginTest<pb::RecognitionOutput> {
 protected:
  RecognitionTest() : ShippedPluginTest("recognition", PluginKind::kRecognition) {}
};

TEST_F(RecognitionTest, AwardsAgentsOfTheMonthMilestonesStreaksAndKudos) {
  const pb::RecognitionOutput output = Run(kConfig, SmallOrg());
  ASSERT_EQ(output.awards_size(), 8);
  auto expect = [&](int i, const char* unit, const char* award, double score,
                    const std::string& explanation) {
    SCOPED_TRACE(i);
    EXPECT_EQ(output.awards(i).unit_id(), unit);
    EXPECT_EQ(output.awards(i).award(), award);
    EXPECT_DOUBLE_EQ(output.awards(i).score(), score);
    EXPECT_EQ(output.awards(i).explanation(), explanation);
  };
  expect(0, "a1", "agent_of_the_month", 118.2,
         "best tickets attainment in group g1: 118.2% (volume 450, minimum 100); "
         "runner-up a3: 112%");
  expect(1, "a4", "agent_of_the_month", 101,
         "best tickets attainment in group g2: 101% (volume 200, minimum 100); "
         "runner-up a5: 101% (tie, broken by unit id)");
  // 1043 year to date, 450 of them this month: 593 before, so 1000 was crossed in April.
  expect(2, "a1", "milestone", 1000,
         "crossed 1000 tickets this year: 1043 year to date (593 before 2024-04)");
  // February on track, March achieved, April achieved; January missed ends it.
  expect(3, "a1", "streak", 3,
         "3 consecutive months achieved or on_track on tickets (2024-02 to 2024-04, minimum 3)");
  expect(4, "a2", "kudos", 6, "6 kudos received in 2024-04 (minimum 5)");
  // 5100 - 300 = 4800 before: 5000 crossed now (1000 long before).
  expect(5, "a3", "milestone", 5000,
         "crossed 5000 tickets this year: 5100 year to date (4800 before 2024-04)");
  expect(6, "a3", "streak", 4,
         "4 consecutive months achieved or on_track on tickets (2024-01 to 2024-04, minimum 3)");
  expect(7, "a5", "kudos", 5, "5 kudos received in 2024-04 (minimum 5)");
}

TEST_F(RecognitionTest, AMetricsOwnHistoryWinsAndSectionsCanBeSwitchedOff) {
  pb::RecognitionInput input;
  input.set_month("2024-03");
  pb::AgentMonth agent = Agent({"a1", "g1", 105, 50, "on_track", {"missed", "missed"}, 10, 9});
  agent.mutable_metrics(0)->add_previous_statuses("achieved");
  agent.mutable_metrics(0)->add_previous_statuses("on_track");
  *input.add_agents() = agent;
  const pb::RecognitionOutput output = Run(
      R"({"primary_metric": "tickets", "agent_of_the_month": {"enabled": false},
          "kudos": {"enabled": false}})",
      input);
  ASSERT_EQ(output.awards_size(), 1);
  EXPECT_EQ(output.awards(0).award(), "streak");
  EXPECT_DOUBLE_EQ(output.awards(0).score(), 3);
}

TEST_F(RecognitionTest, NoCandidateWithEnoughVolumeMeansNoAgentOfTheMonth) {
  const pb::RecognitionOutput output =
      Run(R"({"primary_metric": "tickets", "agent_of_the_month": {"min_volume": 1000},
              "milestones": {"enabled": false}, "streak": {"enabled": false},
              "kudos": {"enabled": false}})",
          SmallOrg());
  EXPECT_EQ(output.awards_size(), 0);
}

TEST_F(RecognitionTest, RefusesAConfigWithoutPrimaryMetric) {
  absl::StatusOr<std::string> out =
      host_.Evaluate("recognition", R"({"streak": {"min_months": 3}})",
                     SmallOrg().SerializeAsString(), absl::Seconds(10));
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(out.status().message(), HasSubstr("primary_metric is required"));
}

TEST_F(RecognitionTest, TheShippedExampleConfigIsValid) {
  std::ifstream file(std::string(OKR_PLUGIN_SOURCE_DIR) + "/recognition/examples/recognition.json");
  std::stringstream text;
  text << file.rdbuf();
  ASSERT_FALSE(text.str().empty());
  Run(text.str(), SmallOrg());
}

}  // namespace
}  // namespace okr::plugins
