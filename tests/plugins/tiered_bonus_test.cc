// tiered_bonus through the real C ABI: the built .so, loaded by the host, fed serialized input.
// Expected amounts and explanations are worked out by hand from the config below.
#include <boost/asio/thread_pool.hpp>
#include <fstream>
#include <optional>
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

constexpr char kConfig[] = R"({
  "primary_metric": "tickets",
  "currency": "EUR",
  "tiers": [{"min_attainment": 110, "amount": 350}, {"min_attainment": 100, "amount": 200}],
  "gates": [{"metric": "csat", "min_actual": 90}],
  "cap": 300
})";

void AddMetric(pb::AgentMonth& agent, const std::string& id, double actual, double attainment) {
  pb::MetricMonth* metric = agent.add_metrics();
  metric->set_metric_id(id);
  metric->set_actual(actual);
  metric->set_attainment_pct(attainment);
  metric->set_status(attainment >= 100 ? "achieved" : "missed");
}

pb::AgentMonth Agent(const std::string& id, double tickets_attainment, std::optional<double> csat) {
  pb::AgentMonth agent;
  agent.set_unit_id(id);
  agent.set_group_id("g1");
  AddMetric(agent, "tickets", tickets_attainment * 4, tickets_attainment);
  if (csat) AddMetric(agent, "csat", *csat, *csat / 0.9);
  return agent;
}

pb::IncentiveInput SmallOrg() {
  pb::IncentiveInput input;
  input.set_month("2024-03");
  *input.add_agents() = Agent("a1", 112.5, 93.1);        // tier 110: 350, capped to 300
  *input.add_agents() = Agent("a2", 104, 95);            // tier 100: 200
  *input.add_agents() = Agent("a3", 120, 88.5);          // tier 110, but the csat gate fails
  *input.add_agents() = Agent("a4", 95, 99);             // below the lowest tier
  *input.add_agents() = Agent("a5", 100, std::nullopt);  // exactly tier 100, no csat at all
  return input;
}

class TieredBonusTest : public testing::ShippedPluginTest<pb::IncentiveOutput> {
 protected:
  TieredBonusTest() : ShippedPluginTest("tiered_bonus", PluginKind::kIncentive) {}
};

TEST_F(TieredBonusTest, PaysTiersWithGatesAndCapAndExplainsEveryRow) {
  const pb::IncentiveOutput output = Run(kConfig, SmallOrg());
  ASSERT_EQ(output.payouts_size(), 5);

  const pb::Payout& a1 = output.payouts(0);
  EXPECT_EQ(a1.unit_id(), "a1");
  EXPECT_DOUBLE_EQ(a1.amount(), 300);
  EXPECT_EQ(a1.currency(), "EUR");
  EXPECT_EQ(a1.rule(), "tiered_bonus");
  EXPECT_EQ(a1.explanation(),
            "attainment 112.5% of tickets; tier >=110%: 350 EUR; gate csat 93.1 >= 90 passed; "
            "cap 300 applied");

  const pb::Payout& a2 = output.payouts(1);
  EXPECT_DOUBLE_EQ(a2.amount(), 200);
  EXPECT_EQ(a2.explanation(),
            "attainment 104% of tickets; tier >=100%: 200 EUR; gate csat 95 >= 90 passed");

  const pb::Payout& a3 = output.payouts(2);
  EXPECT_DOUBLE_EQ(a3.amount(), 0);
  EXPECT_EQ(a3.explanation(),
            "attainment 120% of tickets; tier >=110%: 350 EUR; gate csat >= 90 failed: 88.5; "
            "no payout");

  const pb::Payout& a4 = output.payouts(3);
  EXPECT_DOUBLE_EQ(a4.amount(), 0);
  EXPECT_EQ(a4.explanation(), "attainment 95% of tickets; below the lowest tier (100%); no payout");

  const pb::Payout& a5 = output.payouts(4);
  EXPECT_DOUBLE_EQ(a5.amount(), 0);
  EXPECT_THAT(a5.explanation(), HasSubstr("tier >=100%: 200 EUR"));
  EXPECT_THAT(a5.explanation(), HasSubstr("gate csat >= 90 failed: no data; no payout"));
}

TEST_F(TieredBonusTest, WithoutCapOrGatesPaysTheTierAmount) {
  const pb::IncentiveOutput output = Run(
      R"({"primary_metric": "tickets", "currency": "USD", "rule": "q1_bonus",
          "tiers": [{"min_attainment": 100, "amount": 200},
                    {"min_attainment": 110, "amount": 350.5}]})",
      SmallOrg());
  ASSERT_EQ(output.payouts_size(), 5);
  EXPECT_DOUBLE_EQ(output.payouts(0).amount(), 350.5);
  EXPECT_EQ(output.payouts(0).currency(), "USD");
  EXPECT_EQ(output.payouts(0).rule(), "q1_bonus");
  EXPECT_EQ(output.payouts(0).explanation(),
            "attainment 112.5% of tickets; tier >=110%: 350.5 USD");
  EXPECT_DOUBLE_EQ(output.payouts(2).amount(), 350.5);  // no gate to fail
  EXPECT_DOUBLE_EQ(output.payouts(4).amount(), 200);
}

TEST_F(TieredBonusTest, TakesTheConfigFromTheInputWhenCreateGetsNone) {
  pb::IncentiveInput input = SmallOrg();
  input.set_config_json(kConfig);
  const pb::IncentiveOutput output = Run("", input);
  ASSERT_EQ(output.payouts_size(), 5);
  EXPECT_DOUBLE_EQ(output.payouts(0).amount(), 300);
}

TEST_F(TieredBonusTest, RefusesABadConfigWithTheKeyInTheMessage) {
  absl::StatusOr<std::string> out =
      host_.Evaluate("tiered_bonus", R"({"primary_metric": "tickets"})",
                     SmallOrg().SerializeAsString(), absl::Seconds(10));
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(out.status().message(), HasSubstr("tiers must be a non-empty array"));

  out = host_.Evaluate("tiered_bonus", R"({"primary_metric": "tickets", "tires": []})",
                       SmallOrg().SerializeAsString(), absl::Seconds(10));
  EXPECT_THAT(out.status().message(), HasSubstr("unknown key tires"));
  out = host_.Evaluate("tiered_bonus", "{not json", "", absl::Seconds(10));
  EXPECT_THAT(out.status().message(), HasSubstr("config: not valid JSON"));
}

TEST_F(TieredBonusTest, TheShippedExampleConfigIsValid) {
  std::ifstream file(std::string(OKR_PLUGIN_SOURCE_DIR) +
                     "/tiered_bonus/examples/tiered_bonus.json");
  std::stringstream text;
  text << file.rdbuf();
  ASSERT_FALSE(text.str().empty());
  const pb::IncentiveOutput output = Run(text.str(), SmallOrg());
  EXPECT_EQ(output.payouts_size(), 5);
}

}  // namespace
}  // namespace okr::plugins
