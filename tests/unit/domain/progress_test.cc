#include "services/domain/progress.h"

#include <cmath>

#include "gtest/gtest.h"

namespace okr {
namespace {

Metric MakeMetric(MetricKind kind, Direction direction, double scale = 1.0) {
  Metric metric;
  metric.kind = kind;
  metric.direction = direction;
  metric.scale = scale;
  return metric;
}

const Metric kTickets = MakeMetric(MetricKind::kCount, Direction::kUp);
const Metric kComplaints = MakeMetric(MetricKind::kCount, Direction::kDown);
const Metric kCsat = MakeMetric(MetricKind::kRatio, Direction::kUp, 100);
const Metric kAht = MakeMetric(MetricKind::kRatio, Direction::kDown);

// 100 tickets a day in 2026 (not a leap year): the year is 36500.
constexpr MonthValues kHundredADay = {3100, 2800, 3100, 3000, 3100, 3000,
                                      3100, 3100, 3000, 3100, 3000, 3100};

Period P(const char* text) { return *Period::Parse(text); }
Date D(const char* text) { return *Date::Parse(text); }

ActualSums Count(double value, int64_t events = 1) {
  return ActualSums{std::llround(value * 1e6), 0, events};
}

ActualSums Ratio(double value, double denominator, int64_t events = 1) {
  return ActualSums{std::llround(value * 1e6), std::llround(denominator * 1e6), events};
}

TEST(ProgressStatusTest, Names) {
  EXPECT_EQ(ProgressStatusName(ProgressStatus::kNoTarget), "no_target");
  EXPECT_EQ(ProgressStatusName(ProgressStatus::kNoData), "no_data");
  EXPECT_EQ(ProgressStatusName(ProgressStatus::kOnTrack), "on_track");
  EXPECT_EQ(ProgressStatusName(ProgressStatus::kAtRisk), "at_risk");
  EXPECT_EQ(ProgressStatusName(ProgressStatus::kOffTrack), "off_track");
  EXPECT_EQ(ProgressStatusName(ProgressStatus::kAchieved), "achieved");
  EXPECT_EQ(ProgressStatusName(ProgressStatus::kMissed), "missed");
}

TEST(ActualsWindowTest, ClipsToAsOf) {
  EXPECT_EQ(ActualsWindow(P("2026-03"), D("2026-03-10")),
            (DayRange{D("2026-03-01"), D("2026-03-10")}));
  EXPECT_EQ(ActualsWindow(P("2026-03"), D("2026-03-01")),
            (DayRange{D("2026-03-01"), D("2026-03-01")}));
  EXPECT_EQ(ActualsWindow(P("2026-03"), D("2026-04-02")),
            (DayRange{D("2026-03-01"), D("2026-03-31")}));
  EXPECT_EQ(ActualsWindow(P("2026-Q2"), D("2026-05-20")),
            (DayRange{D("2026-04-01"), D("2026-05-20")}));
  EXPECT_EQ(ActualsWindow(P("2026"), D("2027-01-01")),
            (DayRange{D("2026-01-01"), D("2026-12-31")}));
  EXPECT_EQ(ActualsWindow(P("2026-03"), D("2026-02-28")), std::nullopt);
}

TEST(ProgressTest, CountMonthMidMonth) {
  // March 3100 over 31 days; as of the 10th, 10 days: 3100 x 10 / 31 = 1000 expected.
  Progress p =
      ComputeProgress(kTickets, P("2026-03"), D("2026-03-10"), kHundredADay, Count(1000, 40));
  EXPECT_DOUBLE_EQ(p.target, 3100);
  EXPECT_DOUBLE_EQ(p.actual, 1000);
  EXPECT_DOUBLE_EQ(p.expected_to_date, 1000);
  EXPECT_DOUBLE_EQ(p.attainment_pct, 1000.0 / 3100 * 100);  // 32.258...
  EXPECT_EQ(p.status, ProgressStatus::kOnTrack);            // pace 1.0
}

TEST(ProgressTest, PaceBoundaries) {
  auto status = [](double actual) {
    return ComputeProgress(kTickets, P("2026-03"), D("2026-03-10"), kHundredADay, Count(actual))
        .status;
  };
  EXPECT_EQ(status(1200), ProgressStatus::kOnTrack);     // 1.2
  EXPECT_EQ(status(999.99), ProgressStatus::kAtRisk);    // 0.99999
  EXPECT_EQ(status(950), ProgressStatus::kAtRisk);       // 0.95
  EXPECT_EQ(status(900), ProgressStatus::kAtRisk);       // exactly 0.9
  EXPECT_EQ(status(899.99), ProgressStatus::kOffTrack);  // 0.89999
  EXPECT_EQ(status(0), ProgressStatus::kOffTrack);       // events, all zero
}

TEST(ProgressTest, CountQuarter) {
  // Q1 as of Feb 14: January whole (3100) + February 2800 x 14 / 28 = 1400 + March 0.
  Progress p =
      ComputeProgress(kTickets, P("2026-Q1"), D("2026-02-14"), kHundredADay, Count(4500, 90));
  EXPECT_DOUBLE_EQ(p.target, 9000);  // 3100 + 2800 + 3100
  EXPECT_DOUBLE_EQ(p.expected_to_date, 4500);
  EXPECT_DOUBLE_EQ(p.attainment_pct, 50);
  EXPECT_EQ(p.status, ProgressStatus::kOnTrack);
}

TEST(ProgressTest, CountYearAtRiskExactlyAtPointNine) {
  // As of July 1: Jan..Jun whole (18100) + July 3100 x 1 / 31 = 100: 18200 expected.
  // 16380 / 18200 = 0.9 exactly.
  Progress p =
      ComputeProgress(kTickets, P("2026"), D("2026-07-01"), kHundredADay, Count(16380, 300));
  EXPECT_DOUBLE_EQ(p.target, 36500);
  EXPECT_DOUBLE_EQ(p.expected_to_date, 18200);
  EXPECT_DOUBLE_EQ(p.attainment_pct, 16380.0 / 36500 * 100);  // 44.876...
  EXPECT_EQ(p.status, ProgressStatus::kAtRisk);
}

TEST(ProgressTest, PaceThresholdSurvivesRoundingOfProRating) {
  // April 100 over 30 days, as of the 10th: 100 x 10 / 30 = 33.33... expected, and 30 is
  // exactly 0.9 of it. In doubles 30 / 33.333333333333336 = 0.8999999999999999, which
  // must still count as at risk.
  MonthValues plan{};
  plan[3] = 100;
  Progress p = ComputeProgress(kTickets, P("2026-04"), D("2026-04-10"), plan, Count(30));
  EXPECT_DOUBLE_EQ(p.expected_to_date, 100.0 / 3);
  EXPECT_LT(p.actual / p.expected_to_date, 0.9);  // the rounding this guards against
  EXPECT_EQ(p.status, ProgressStatus::kAtRisk);
  // One micro-unit less is a real shortfall (pace 0.89999997), not rounding.
  p = ComputeProgress(kTickets, P("2026-04"), D("2026-04-10"), plan, ActualSums{29'999'999, 0, 1});
  EXPECT_EQ(p.status, ProgressStatus::kOffTrack);
}

TEST(ProgressTest, LeapFebruary) {
  MonthValues plan{};
  plan[1] = 2900;
  Progress p = ComputeProgress(kTickets, P("2028-02"), D("2028-02-10"), plan, Count(1000));
  EXPECT_DOUBLE_EQ(p.expected_to_date, 1000);  // 2900 x 10 / 29
}

TEST(ProgressTest, LastDayOfThePeriodIsStillRunning) {
  Progress p = ComputeProgress(kTickets, P("2026-03"), D("2026-03-31"), kHundredADay, Count(3100));
  EXPECT_DOUBLE_EQ(p.expected_to_date, 3100);
  EXPECT_EQ(p.status, ProgressStatus::kOnTrack);
}

TEST(ProgressTest, AfterThePeriodAchievedOrMissed) {
  Progress p = ComputeProgress(kTickets, P("2026-03"), D("2026-04-02"), kHundredADay, Count(3100));
  EXPECT_DOUBLE_EQ(p.expected_to_date, 3100);
  EXPECT_DOUBLE_EQ(p.attainment_pct, 100);
  EXPECT_EQ(p.status, ProgressStatus::kAchieved);
  p = ComputeProgress(kTickets, P("2026-03"), D("2026-04-02"), kHundredADay, Count(3099));
  EXPECT_EQ(p.status, ProgressStatus::kMissed);  // 99.97%
  p = ComputeProgress(kTickets, P("2026-Q1"), D("2027-01-01"), kHundredADay, Count(9900));
  EXPECT_DOUBLE_EQ(p.attainment_pct, 110);
  EXPECT_EQ(p.status, ProgressStatus::kAchieved);
}

TEST(ProgressTest, CountDirectionDown) {
  // Complaints: at most 31 in March, 1 a day; as of the 10th, 10 expected.
  MonthValues plan{};
  plan[2] = 31;
  Progress p = ComputeProgress(kComplaints, P("2026-03"), D("2026-03-10"), plan, Count(11));
  EXPECT_DOUBLE_EQ(p.expected_to_date, 10);
  EXPECT_DOUBLE_EQ(p.attainment_pct, 31.0 / 11 * 100);  // 281.8...
  EXPECT_EQ(p.status, ProgressStatus::kAtRisk);         // pace 10 / 11 = 0.909
  EXPECT_EQ(ComputeProgress(kComplaints, P("2026-03"), D("2026-03-10"), plan, Count(10)).status,
            ProgressStatus::kOnTrack);
  EXPECT_EQ(ComputeProgress(kComplaints, P("2026-03"), D("2026-03-10"), plan, Count(12)).status,
            ProgressStatus::kOffTrack);  // 0.833
  // Events that report zero complaints: on track, and 100%.
  p = ComputeProgress(kComplaints, P("2026-03"), D("2026-03-10"), plan, Count(0, 3));
  EXPECT_DOUBLE_EQ(p.attainment_pct, 100);
  EXPECT_EQ(p.status, ProgressStatus::kOnTrack);
  // After March: 31 is exactly the target, 32 one too many (31 / 32 = 96.875%).
  EXPECT_EQ(ComputeProgress(kComplaints, P("2026-03"), D("2026-04-01"), plan, Count(31)).status,
            ProgressStatus::kAchieved);
  p = ComputeProgress(kComplaints, P("2026-03"), D("2026-04-01"), plan, Count(32));
  EXPECT_DOUBLE_EQ(p.attainment_pct, 96.875);
  EXPECT_EQ(p.status, ProgressStatus::kMissed);
}

TEST(ProgressTest, DownCountWithoutEventsIsZeroNotNoData) {
  // No complaints at all in March (target 31): actual 0, 100%, on track while March runs and
  // achieved after it. An "up" count or a "down" ratio without events stays no_data.
  MonthValues plan{};
  plan[2] = 31;
  const ActualSums none{0, 0, 0};
  Progress p = ComputeProgress(kComplaints, P("2026-03"), D("2026-03-10"), plan, none);
  EXPECT_DOUBLE_EQ(p.actual, 0);
  EXPECT_DOUBLE_EQ(p.attainment_pct, 100);
  EXPECT_EQ(p.status, ProgressStatus::kOnTrack);
  EXPECT_EQ(ComputeProgress(kComplaints, P("2026-03"), D("2026-04-01"), plan, none).status,
            ProgressStatus::kAchieved);
  EXPECT_EQ(ComputeProgress(kTickets, P("2026-03"), D("2026-03-10"), plan, none).status,
            ProgressStatus::kNoData);
  EXPECT_EQ(ComputeProgress(kAht, P("2026-03"), D("2026-03-10"), plan, none).status,
            ProgressStatus::kNoData);
}

TEST(ProgressTest, RatioDirectionDownAht) {
  // AHT target Q1: mean of 320, 300, 280 = 300 s. 33000 s over 100 tickets = 330 s.
  MonthValues plan{};
  plan[0] = 320;
  plan[1] = 300;
  plan[2] = 280;
  Progress p = ComputeProgress(kAht, P("2026-Q1"), D("2026-02-15"), plan, Ratio(33000, 100, 7));
  EXPECT_DOUBLE_EQ(p.target, 300);
  EXPECT_DOUBLE_EQ(p.expected_to_date, 300);  // a ratio expects its target throughout
  EXPECT_DOUBLE_EQ(p.actual, 330);
  EXPECT_DOUBLE_EQ(p.attainment_pct, 300.0 / 330 * 100);  // 90.909...
  EXPECT_EQ(p.status, ProgressStatus::kAtRisk);
  // 27000 s / 100 = 270 s: faster than the target.
  p = ComputeProgress(kAht, P("2026-Q1"), D("2026-04-01"), plan, Ratio(27000, 100));
  EXPECT_DOUBLE_EQ(p.attainment_pct, 300.0 / 270 * 100);
  EXPECT_EQ(p.status, ProgressStatus::kAchieved);
}

TEST(ProgressTest, RatioOfSumsNotMeanOfRatios) {
  // Agent a: 1 satisfied of 1 (100%); agent b: 80 of 100 (80%). The mean of the two ratios
  // would be 90% (on track against 90); the ratio of the sums is 81 / 101 = 80.198%.
  MonthValues plan;
  plan.fill(90);
  Progress p = ComputeProgress(kCsat, P("2026-05"), D("2026-05-20"), plan, Ratio(81, 101, 2));
  EXPECT_DOUBLE_EQ(p.target, 90);
  EXPECT_DOUBLE_EQ(p.actual, 81.0 / 101 * 100);
  EXPECT_DOUBLE_EQ(p.attainment_pct, 81.0 / 101 * 100 / 90 * 100);  // 89.108...
  EXPECT_EQ(p.status, ProgressStatus::kOffTrack);                   // pace 0.891
  // 460 of 500 is 92%: at 92% target, on track.
  plan.fill(92);
  p = ComputeProgress(kCsat, P("2026-05"), D("2026-05-20"), plan, Ratio(460, 500));
  EXPECT_DOUBLE_EQ(p.actual, 92);
  EXPECT_DOUBLE_EQ(p.attainment_pct, 100);
  EXPECT_EQ(p.status, ProgressStatus::kOnTrack);
}

TEST(ProgressTest, NoTarget) {
  Progress p = ComputeProgress(kTickets, P("2026-03"), D("2026-03-10"), std::nullopt, Count(5));
  EXPECT_EQ(p.status, ProgressStatus::kNoTarget);
  EXPECT_DOUBLE_EQ(p.target, 0);
  EXPECT_DOUBLE_EQ(p.actual, 5);  // the actual is still reported
  EXPECT_DOUBLE_EQ(p.expected_to_date, 0);
  EXPECT_DOUBLE_EQ(p.attainment_pct, 0);
}

TEST(ProgressTest, NoData) {
  Progress p = ComputeProgress(kTickets, P("2026-03"), D("2026-03-10"), kHundredADay, ActualSums{});
  EXPECT_EQ(p.status, ProgressStatus::kNoData);
  EXPECT_DOUBLE_EQ(p.target, 3100);
  EXPECT_DOUBLE_EQ(p.expected_to_date, 1000);
  EXPECT_DOUBLE_EQ(p.actual, 0);
  // Still no data once the period is over: not "missed".
  EXPECT_EQ(
      ComputeProgress(kTickets, P("2026-03"), D("2026-05-01"), kHundredADay, ActualSums{}).status,
      ProgressStatus::kNoData);
  // A ratio with events but no denominator has nothing to divide.
  MonthValues plan;
  plan.fill(92);
  p = ComputeProgress(kCsat, P("2026-03"), D("2026-03-10"), plan, ActualSums{0, 0, 4});
  EXPECT_EQ(p.status, ProgressStatus::kNoData);
  EXPECT_DOUBLE_EQ(p.actual, 0);
  // As of a day before the period: nothing expected, no actuals.
  p = ComputeProgress(kTickets, P("2026-03"), D("2026-02-20"), kHundredADay, ActualSums{});
  EXPECT_DOUBLE_EQ(p.expected_to_date, 0);
  EXPECT_EQ(p.status, ProgressStatus::kNoData);
}

TEST(ProgressTest, ZeroTarget) {
  MonthValues plan{};
  Progress p = ComputeProgress(kTickets, P("2026-03"), D("2026-03-10"), plan, Count(4));
  EXPECT_DOUBLE_EQ(p.attainment_pct, 100);  // up: 100 when the target is 0
  EXPECT_EQ(p.status, ProgressStatus::kOnTrack);
  // Down with a zero target and some complaints: 0 / 4 = 0%, off track.
  p = ComputeProgress(kComplaints, P("2026-03"), D("2026-03-10"), plan, Count(4));
  EXPECT_DOUBLE_EQ(p.attainment_pct, 0);
  EXPECT_EQ(p.status, ProgressStatus::kOffTrack);
}

}  // namespace
}  // namespace okr
