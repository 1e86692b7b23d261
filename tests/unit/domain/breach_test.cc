// The same-breach rule (services/domain/breach.h), on hand-worked days.
#include "services/domain/breach.h"

#include <gtest/gtest.h>

namespace okr {
namespace {

Date D(int month, int day) { return Date{2024, month, day}; }

TEST(BreachTest, AnAlertInWorkTakesEveryLaterBreachOfItsRule) {
  // Open, last seen 03-18: a breach whose window starts on 04-22 (all new events) is still its.
  EXPECT_TRUE(IsSameBreach({true, D(3, 18)}, D(4, 22)));
}

TEST(BreachTest, AResolvedAlertTakesOnlyWindowsThatReachBackToItsDays) {
  const AlertSpan resolved{false, D(3, 18)};
  EXPECT_TRUE(IsSameBreach(resolved, D(3, 6)));    // 03-06..03-19 holds its complaints
  EXPECT_TRUE(IsSameBreach(resolved, D(3, 18)));   // the last day it saw, still shared
  EXPECT_FALSE(IsSameBreach(resolved, D(3, 19)));  // 03-19..: new events only
}

TEST(BreachTest, FindsTheAlertInWorkFirstThenTheLatestResolvedOneItOverlaps) {
  const std::vector<AlertSpan> earlier = {{false, D(2, 10)}, {false, D(3, 1)}, {true, D(3, 20)}};
  EXPECT_EQ(FindSameBreach(earlier, D(1, 1)), 2);
  const std::vector<AlertSpan> resolved = {{false, D(2, 10)}, {false, D(3, 1)}};
  EXPECT_EQ(FindSameBreach(resolved, D(2, 1)), 1);  // both overlap: the one seen last
  EXPECT_EQ(FindSameBreach(resolved, D(2, 20)), 1);
  EXPECT_EQ(FindSameBreach(resolved, D(3, 2)), -1);
  EXPECT_EQ(FindSameBreach({}, D(3, 2)), -1);
}

}  // namespace
}  // namespace okr
