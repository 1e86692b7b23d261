#include "services/domain/plugin_output.h"

#include <gtest/gtest.h>

#include <limits>
#include <set>
#include <string>

namespace okr {
namespace {

const std::set<std::string> kGiven = {"A1", "A2"};

PluginPayout GoodPayout() { return {"A1", 150.0, "EUR", "tiered_bonus", "tier 2 of 3"}; }
PluginAward GoodAward() { return {"A2", "agent_of_the_month", "best in G1", 97.5}; }
PluginAlert GoodAlert() { return {"A1", "complaints", "critical", "4 in 14 days", "c:2026-03-02"}; }

TEST(PluginOutputTest, EntriesWithinTheRulesPass) {
  EXPECT_TRUE(CheckPluginPayout(GoodPayout(), kGiven).ok());
  EXPECT_TRUE(CheckPluginAward(GoodAward(), kGiven).ok());
  EXPECT_TRUE(CheckPluginAlert(GoodAlert(), kGiven).ok());
  PluginPayout zero = GoodPayout();
  zero.amount = 0;  // a rule that pays nothing this month still says so
  EXPECT_TRUE(CheckPluginPayout(zero, kGiven).ok());
}

TEST(PluginOutputTest, AUnitThePluginWasNotGivenIsRefusedWithoutQuotingIt) {
  PluginPayout payout = GoodPayout();
  payout.unit_id = "A9";
  absl::Status s = CheckPluginPayout(payout, kGiven);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "payout for a unit the plugin was not given (unknown id)");

  const std::string escape = "A1\x1b[2J";
  PluginAward award = GoodAward();
  award.unit_id = escape;
  EXPECT_EQ(CheckPluginAward(award, kGiven).message(),
            "award for a unit the plugin was not given (not a valid id)");

  PluginAlert alert = GoodAlert();
  alert.unit_id = "";
  EXPECT_EQ(CheckPluginAlert(alert, kGiven).message(), "alert names no unit");
}

TEST(PluginOutputTest, AmountsAndScoresMustBeFiniteAndPaysNotNegative) {
  PluginPayout payout = GoodPayout();
  payout.amount = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(CheckPluginPayout(payout, kGiven).message(), "payout for \"A1\": amount is not finite");
  payout.amount = std::numeric_limits<double>::infinity();
  EXPECT_EQ(CheckPluginPayout(payout, kGiven).message(), "payout for \"A1\": amount is not finite");
  payout.amount = -0.01;
  EXPECT_EQ(CheckPluginPayout(payout, kGiven).message(), "payout for \"A1\": amount is negative");

  PluginAward award = GoodAward();
  award.score = -std::numeric_limits<double>::infinity();
  EXPECT_EQ(CheckPluginAward(award, kGiven).message(), "award for \"A2\": score is not finite");
  award.score = -3;  // a score ranks; a negative one is still a rank
  EXPECT_TRUE(CheckPluginAward(award, kGiven).ok());
}

TEST(PluginOutputTest, TextFollowsTheStoredStringRules) {
  PluginPayout payout = GoodPayout();
  payout.currency = "";
  EXPECT_EQ(CheckPluginPayout(payout, kGiven).message(), "payout for \"A1\": currency is empty");
  payout = GoodPayout();
  const std::string long_rule(129, 'r');  // kMaxIdBytes is 128
  payout.rule = long_rule;
  EXPECT_EQ(CheckPluginPayout(payout, kGiven).message(),
            "payout for \"A1\": rule: longer than 128 bytes (129)");
  payout = GoodPayout();
  const std::string long_text(2001, 'x');  // kMaxReasonBytes is 2000
  payout.explanation = long_text;
  EXPECT_EQ(CheckPluginPayout(payout, kGiven).message(),
            "payout for \"A1\": explanation: longer than 2000 bytes (2001)");
  payout.explanation = "line one\nline two";  // free text may break lines
  EXPECT_TRUE(CheckPluginPayout(payout, kGiven).ok());

  PluginAward award = GoodAward();
  award.award = "star\tof the month";
  EXPECT_EQ(CheckPluginAward(award, kGiven).message(),
            "award for \"A2\": award: control character U+0009 at offset 4");

  PluginAlert alert = GoodAlert();
  alert.severity = "high";
  EXPECT_EQ(CheckPluginAlert(alert, kGiven).message(),
            "alert for \"A1\": severity is not info, warning or critical");
  alert = GoodAlert();
  alert.rule = "";
  EXPECT_EQ(CheckPluginAlert(alert, kGiven).message(), "alert for \"A1\": rule is empty");
  alert = GoodAlert();
  const std::string bad_utf8 = "\xff";
  alert.figures = bad_utf8;
  EXPECT_EQ(CheckPluginAlert(alert, kGiven).message(),
            "alert for \"A1\": figures: not valid UTF-8 (byte 0xFF at offset 0)");
}

}  // namespace
}  // namespace okr
