// Hand-worked examples of the cascade rules (PRODUCT.md "Cascade"). Every expected number is
// derived in the comment next to it.
#include "services/domain/cascade.h"

#include <optional>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace okr {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;

constexpr int kYear = 2026;  // not a leap year: 31 28 31 30 31 30 31 31 30 31 30 31 = 365

Unit MakeUnit(std::string id, std::string parent, UnitKind kind, double fte = 1.0,
              std::optional<Date> start = std::nullopt, std::optional<Date> end = std::nullopt) {
  Unit unit;
  unit.id = std::move(id);
  unit.parent_id = std::move(parent);
  unit.kind = kind;
  unit.name = unit.id;
  unit.fte = fte;
  unit.start_date = start;
  unit.end_date = end;
  return unit;
}

Unit Agent(std::string id, std::string parent, double fte = 1.0,
           std::optional<Date> start = std::nullopt, std::optional<Date> end = std::nullopt) {
  return MakeUnit(std::move(id), std::move(parent), UnitKind::kAgent, fte, start, end);
}

Unit Group(std::string id, std::string parent) {
  return MakeUnit(std::move(id), std::move(parent), UnitKind::kGroup);
}

Metric CountMetric() {
  Metric metric;
  metric.id = "tickets";
  metric.kind = MetricKind::kCount;
  return metric;
}

Metric RatioMetric() {
  Metric metric;
  metric.id = "csat";
  metric.kind = MetricKind::kRatio;
  metric.scale = 100;
  return metric;
}

CascadeRequest YearRequest(const OrgSnapshot& org, std::string root, double year_target) {
  CascadeRequest request;
  request.org = &org;
  request.metric = CountMetric();
  request.year = kYear;
  request.root_unit = std::move(root);
  request.year_target = year_target;
  return request;
}

// A request whose root months are given as they are, to test one month's split.
CascadeRequest MonthsRequest(const OrgSnapshot& org, std::string root, MonthValues months) {
  CascadeRequest request;
  request.org = &org;
  request.metric = CountMetric();
  request.year = kYear;
  request.root_unit = std::move(root);
  request.root_months = months;
  return request;
}

MonthValues Every(double value) {
  MonthValues months;
  months.fill(value);
  return months;
}

MonthValues Months(const CascadePlan& plan, const std::string& unit) {
  return plan.rows.at(unit).months;
}

double Cell(const CascadePlan& plan, const std::string& unit, int month) {
  return plan.rows.at(unit).months[month - 1];
}

// ---- Root: the year over its months ----

TEST(CascadeTest, YearByDaysInMonthDividesEvenly) {
  OrgSnapshot org({Group("co", ""), Agent("a1", "co")});
  // 365000 / 365 = 1000 a day, so each month is exactly 1000 x its days.
  absl::StatusOr<CascadePlan> plan = Cascade(YearRequest(org, "co", 365000));
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_THAT(Months(*plan, "co"), ElementsAre(31000, 28000, 31000, 30000, 31000, 30000, 31000,
                                               31000, 30000, 31000, 30000, 31000));
  // The only agent carries everything.
  EXPECT_EQ(Months(*plan, "a1"), Months(*plan, "co"));
}

TEST(CascadeTest, YearByDaysInMonthUsesLargestRemainders) {
  OrgSnapshot org({Group("co", ""), Agent("a1", "co")});
  // 1000 x days / 365:
  //   31-day months: 31000 / 365 = 84 remainder 340 (84.93)
  //   February:      28000 / 365 = 76 remainder 260 (76.71)
  //   30-day months: 30000 / 365 = 82 remainder  70 (82.19)
  // Floors: 7 x 84 + 76 + 4 x 82 = 588 + 76 + 328 = 992, so 8 units are left over; they go to
  // the 8 largest remainders: the seven 31-day months (340) and February (260).
  absl::StatusOr<CascadePlan> plan = Cascade(YearRequest(org, "co", 1000));
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_THAT(Months(*plan, "co"), ElementsAre(85, 77, 85, 82, 85, 82, 85, 85, 82, 85, 82, 85));
}

TEST(CascadeTest, SeasonalityWeights) {
  OrgSnapshot org({Group("co", ""), Agent("a1", "co")});
  CascadeRequest request = YearRequest(org, "co", 1400);
  // Weights sum to 14: 1400 / 14 = 100 per unit of weight; July and August weigh 2.
  request.seasonality = MonthValues{1, 1, 1, 1, 1, 1, 2, 2, 1, 1, 1, 1};
  absl::StatusOr<CascadePlan> plan = Cascade(request);
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_THAT(Months(*plan, "co"),
              ElementsAre(100, 100, 100, 100, 100, 100, 200, 200, 100, 100, 100, 100));
}

TEST(CascadeTest, EqualMonthRemaindersGoToTheEarlierMonths) {
  OrgSnapshot org({Group("co", ""), Agent("a1", "co")});
  CascadeRequest request = YearRequest(org, "co", 14);
  request.seasonality = Every(0.5);
  // 14 / 12 = 1 each, remainder 2: all remainders tie, so January and February get one more.
  absl::StatusOr<CascadePlan> plan = Cascade(request);
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_THAT(Months(*plan, "co"), ElementsAre(2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1));
}

// ---- Split of a month among children ----

TEST(CascadeTest, FteSplitWithHalfTimeAgent) {
  OrgSnapshot org({Group("g", ""), Agent("full", "g", 1.0), Agent("half", "g", 0.5)});
  MonthValues months = Every(0);
  months[0] = 300;  // 300 x 1/1.5 = 200, 300 x 0.5/1.5 = 100
  months[1] = 301;  // 200.67 and 100.33: floors 200 + 100, one left over to the .67
  absl::StatusOr<CascadePlan> plan = Cascade(MonthsRequest(org, "g", months));
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_EQ(Cell(*plan, "full", 1), 200);
  EXPECT_EQ(Cell(*plan, "half", 1), 100);
  EXPECT_EQ(Cell(*plan, "full", 2), 201);
  EXPECT_EQ(Cell(*plan, "half", 2), 100);
}

TEST(CascadeTest, JoinerAndLeaverArePRoRatedByActiveDays) {
  OrgSnapshot org({Group("g", ""), Agent("stay", "g"),
                   Agent("join", "g", 1.0, Date{kYear, 7, 16}, std::nullopt),
                   Agent("leave", "g", 1.0, std::nullopt, Date{kYear, 3, 15})});
  absl::StatusOr<CascadePlan> plan = Cascade(MonthsRequest(org, "g", Every(3100)));
  ASSERT_TRUE(plan.ok()) << plan.status();
  // January: stay 31 days, leave 31 days, join inactive: 1550 / 1550 / 0.
  EXPECT_EQ(Cell(*plan, "stay", 1), 1550);
  EXPECT_EQ(Cell(*plan, "leave", 1), 1550);
  EXPECT_EQ(Cell(*plan, "join", 1), 0);
  // March: stay 31 days, leave 15 days (1..15), total 46.
  //   stay:  3100 x 31 / 46 = 96100 / 46 = 2089 remainder 6
  //   leave: 3100 x 15 / 46 = 46500 / 46 = 1010 remainder 40
  //   floors 3099, one left over to leave (40 > 6).
  EXPECT_EQ(Cell(*plan, "stay", 3), 2089);
  EXPECT_EQ(Cell(*plan, "leave", 3), 1011);
  // April to June: only stay is active.
  EXPECT_EQ(Cell(*plan, "stay", 4), 3100);
  EXPECT_EQ(Cell(*plan, "leave", 4), 0);
  EXPECT_EQ(Cell(*plan, "join", 6), 0);
  // July: stay 31 days, join 16 days (16..31), total 47.
  //   stay: 96100 / 47 = 2044 remainder 32; join: 49600 / 47 = 1055 remainder 15.
  //   One left over to stay (32 > 15).
  EXPECT_EQ(Cell(*plan, "stay", 7), 2045);
  EXPECT_EQ(Cell(*plan, "join", 7), 1055);
  // August: both full months: 1550 each.
  EXPECT_EQ(Cell(*plan, "stay", 8), 1550);
  EXPECT_EQ(Cell(*plan, "join", 8), 1550);
}

TEST(CascadeTest, EqualRemaindersGoToTheSmallerUnitId) {
  // Listed out of order on purpose: the tie is broken by id, not by input order.
  OrgSnapshot org({Group("g", ""), Agent("c", "g"), Agent("b", "g"), Agent("a", "g")});
  MonthValues months = Every(0);
  months[0] = 4;  // 4/3 each: 1 + 1 + 1, one left over, three equal remainders: "a".
  months[1] = 5;  // 5/3 each: 1 + 1 + 1, two left over: "a" and "b".
  absl::StatusOr<CascadePlan> plan = Cascade(MonthsRequest(org, "g", months));
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_EQ(Cell(*plan, "a", 1), 2);
  EXPECT_EQ(Cell(*plan, "b", 1), 1);
  EXPECT_EQ(Cell(*plan, "c", 1), 1);
  EXPECT_EQ(Cell(*plan, "a", 2), 2);
  EXPECT_EQ(Cell(*plan, "b", 2), 2);
  EXPECT_EQ(Cell(*plan, "c", 2), 1);
}

TEST(CascadeTest, EvenSplitIgnoresFte) {
  OrgSnapshot org({Group("g", ""), Agent("a", "g", 1.0), Agent("b", "g", 0.25),
                   Agent("gone", "g", 1.0, std::nullopt, Date{kYear - 1, 12, 31})});
  CascadeRequest request = MonthsRequest(org, "g", Every(0));
  request.root_months->at(0) = 100;  // 50 / 50; "gone" is not active, so it does not count.
  request.method = SplitMethod::kEven;
  absl::StatusOr<CascadePlan> plan = Cascade(request);
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_EQ(Cell(*plan, "a", 1), 50);
  EXPECT_EQ(Cell(*plan, "b", 1), 50);
  EXPECT_EQ(Cell(*plan, "gone", 1), 0);
}

TEST(CascadeTest, ExplicitWeightsAndFteFallbackBelow) {
  OrgSnapshot org({Group("co", ""), Group("g1", "co"), Group("g2", "co"), Agent("a1", "g1"),
                   Agent("a2", "g1", 0.5), Agent("b1", "g2")});
  CascadeRequest request = MonthsRequest(org, "co", Every(0));
  request.root_months->at(0) = 1200;
  request.method = SplitMethod::kWeights;
  request.weights = {{"g1", 3}, {"g2", 1}};
  absl::StatusOr<CascadePlan> plan = Cascade(request);
  ASSERT_TRUE(plan.ok()) << plan.status();
  // co: 1200 x 3/4 = 900 to g1, 300 to g2.
  EXPECT_EQ(Cell(*plan, "g1", 1), 900);
  EXPECT_EQ(Cell(*plan, "g2", 1), 300);
  // No child of g1 is named, so g1 falls back to fte: 900 x 1/1.5 = 600, 900 x 0.5/1.5 = 300.
  EXPECT_EQ(Cell(*plan, "a1", 1), 600);
  EXPECT_EQ(Cell(*plan, "a2", 1), 300);
  EXPECT_EQ(Cell(*plan, "b1", 1), 300);
}

// ---- Holds ----

TEST(CascadeTest, MonthHoldTakesItsValueAndSiblingsShareTheRest) {
  OrgSnapshot org({Group("co", ""), Group("g1", "co"), Group("g2", "co"), Agent("a1", "g1"),
                   Agent("a2", "g1"), Agent("b1", "g2")});
  CascadeRequest request = MonthsRequest(org, "co", Every(0));
  request.root_months->at(0) = 900;
  request.root_months->at(1) = 900;
  request.holds = {{"g2", 1, 500}, {"a1", 2, 50}};
  absl::StatusOr<CascadePlan> plan = Cascade(request);
  ASSERT_TRUE(plan.ok()) << plan.status();
  // January: g2 held at 500, g1 gets 900 - 500 = 400, split 200 / 200.
  EXPECT_EQ(Cell(*plan, "g2", 1), 500);
  EXPECT_EQ(Cell(*plan, "g1", 1), 400);
  EXPECT_EQ(Cell(*plan, "a1", 1), 200);
  EXPECT_EQ(Cell(*plan, "a2", 1), 200);
  EXPECT_EQ(Cell(*plan, "b1", 1), 500);
  // February, no hold at group level: by fte g1 (2 agents) 600, g2 (1 agent) 300;
  // a1 held at 50, so a2 gets 600 - 50 = 550.
  EXPECT_EQ(Cell(*plan, "g1", 2), 600);
  EXPECT_EQ(Cell(*plan, "g2", 2), 300);
  EXPECT_EQ(Cell(*plan, "a1", 2), 50);
  EXPECT_EQ(Cell(*plan, "a2", 2), 550);
}

TEST(CascadeTest, YearHoldOnATeamFollowsItsParentsMonths) {
  OrgSnapshot org(
      {Group("co", ""), Group("t1", "co"), Group("t2", "co"), Agent("a", "t1"), Agent("b", "t2")});
  CascadeRequest request = YearRequest(org, "co", 365000);
  request.holds = {{"t1", 0, 36500}};
  absl::StatusOr<CascadePlan> plan = Cascade(request);
  ASSERT_TRUE(plan.ok()) << plan.status();
  // co's months are 1000 x days; t1's 36500 in proportion to them is 100 x days; t2 gets the
  // rest of each month, 900 x days.
  EXPECT_THAT(Months(*plan, "t1"),
              ElementsAre(3100, 2800, 3100, 3000, 3100, 3000, 3100, 3100, 3000, 3100, 3000, 3100));
  EXPECT_THAT(Months(*plan, "t2"), ElementsAre(27900, 25200, 27900, 27000, 27900, 27000, 27900,
                                               27900, 27000, 27900, 27000, 27900));
  EXPECT_EQ(Months(*plan, "a"), Months(*plan, "t1"));
}

TEST(CascadeTest, HeldMonthInsideAHeldYear) {
  OrgSnapshot org(
      {Group("co", ""), Group("t1", "co"), Group("t2", "co"), Agent("a", "t1"), Agent("b", "t2")});
  CascadeRequest request = YearRequest(org, "co", 365000);
  request.holds = {{"t1", 0, 36500}, {"t1", 1, 10000}};
  absl::StatusOr<CascadePlan> plan = Cascade(request);
  ASSERT_TRUE(plan.ok()) << plan.status();
  // t1 keeps January at 10000; the other 26500 go over February..December in proportion to
  // co's months (1000 x days, 334 days in all): 26500 x days / 334.
  //   28 days: 742000 / 334 = 2221 remainder 186
  //   31 days: 821500 / 334 = 2459 remainder 194  (Mar May Jul Aug Oct Dec)
  //   30 days: 795000 / 334 = 2380 remainder  80  (Apr Jun Sep Nov)
  // Floors: 2221 + 6 x 2459 + 4 x 2380 = 26495; 5 left over go to the largest remainders,
  // the 31-day months, earliest first: Mar May Jul Aug Oct; December keeps 2459.
  EXPECT_THAT(Months(*plan, "t1"),
              ElementsAre(10000, 2221, 2460, 2380, 2460, 2380, 2460, 2460, 2380, 2460, 2380, 2459));
  // t2 takes what is left of each month: 31000 - 10000, 28000 - 2221, 31000 - 2460, ...
  EXPECT_THAT(Months(*plan, "t2"), ElementsAre(21000, 25779, 28540, 27620, 28540, 27620, 28540,
                                               28540, 27620, 28540, 27620, 28541));
}

TEST(CascadeTest, RatioIsInheritedAndHeldValuesFlowDown) {
  OrgSnapshot org({Group("co", ""), Group("t1", "co"), Group("t2", "co"), Group("g1", "t1"),
                   Agent("a1", "g1"), Agent("a2", "g1"), Agent("b1", "t2")});
  CascadeRequest request;
  request.org = &org;
  request.metric = RatioMetric();
  request.year = kYear;
  request.root_unit = "co";
  request.year_target = 92;
  request.holds = {{"g1", 0, 95}, {"a1", 3, 80}};
  absl::StatusOr<CascadePlan> plan = Cascade(request);
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_EQ(Months(*plan, "co"), Every(92));
  EXPECT_EQ(Months(*plan, "t1"), Every(92));
  EXPECT_EQ(Months(*plan, "t2"), Every(92));
  EXPECT_EQ(Months(*plan, "b1"), Every(92));
  EXPECT_EQ(Months(*plan, "g1"), Every(95));  // the year hold, every month
  EXPECT_EQ(Months(*plan, "a2"), Every(95));  // inherited from g1
  MonthValues a1 = Every(95);
  a1[2] = 80;  // its own March hold
  EXPECT_EQ(Months(*plan, "a1"), a1);
}

// ---- Re-plan from a month ----

TEST(CascadeTest, FromMonthKeepsEarlierMonths) {
  // a2 leaves at the end of March; a3 joins in April and is not in the previous plan.
  OrgSnapshot org({Group("co", ""), Agent("a1", "co"),
                   Agent("a2", "co", 1.0, std::nullopt, Date{kYear, 3, 31}),
                   Agent("a3", "co", 1.0, Date{kYear, 4, 1}, std::nullopt)});
  CascadeRequest request = YearRequest(org, "co", 1227);
  request.seasonality = Every(1);
  request.from_month = 4;
  request.previous_plan = {{"co", Every(100)}, {"a1", Every(50)}, {"a2", Every(50)}};
  absl::StatusOr<CascadePlan> plan = Cascade(request);
  ASSERT_TRUE(plan.ok()) << plan.status();
  // January..March keep 100 (co), 50 (a1, a2) and 0 (a3, absent). The year's other
  // 1227 - 300 = 927 go over April..December by equal weights: 103 each.
  EXPECT_THAT(Months(*plan, "co"),
              ElementsAre(100, 100, 100, 103, 103, 103, 103, 103, 103, 103, 103, 103));
  // From April a1 and a3 split 103: 51.5 each, the left-over unit to the smaller id, a1.
  EXPECT_THAT(Months(*plan, "a1"), ElementsAre(50, 50, 50, 52, 52, 52, 52, 52, 52, 52, 52, 52));
  EXPECT_THAT(Months(*plan, "a2"), ElementsAre(50, 50, 50, 0, 0, 0, 0, 0, 0, 0, 0, 0));
  EXPECT_THAT(Months(*plan, "a3"), ElementsAre(0, 0, 0, 51, 51, 51, 51, 51, 51, 51, 51, 51));
}

// ---- The tree of each month ----

TEST(CascadeTest, MovesApplyFromTheFirstOfTheNextMonth) {
  Unit mover = Agent("m", "g1");
  // Effective mid-July: July's tree (as of the 1st) still has it in g1; from August it sits in
  // "other", outside the cascade.
  mover.moves = {Move{Date{kYear, 7, 15}, "other"}};
  OrgSnapshot org({Group("g1", ""), Group("other", ""), Agent("a", "g1"), mover});
  absl::StatusOr<CascadePlan> plan = Cascade(MonthsRequest(org, "g1", Every(10)));
  ASSERT_TRUE(plan.ok()) << plan.status();
  const PlanRow& row = plan->rows.at("m");
  EXPECT_THAT(row.covered, ElementsAre(true, true, true, true, true, true, true, false, false,
                                       false, false, false));
  EXPECT_EQ(Cell(*plan, "m", 7), 5);  // 10 between two full-time agents
  EXPECT_EQ(Cell(*plan, "m", 8), 0);
  EXPECT_EQ(Cell(*plan, "a", 8), 10);
  EXPECT_FALSE(plan->rows.contains("other"));
  EXPECT_THAT(plan->rows.at("g1").covered, ElementsAreArray(std::vector<bool>(12, true)));
}

TEST(CascadeTest, TraceExplainsCells) {
  OrgSnapshot org({Group("co", ""), Group("g", "co"), Agent("a", "g"), Agent("b", "g", 0.5)});
  CascadeRequest request = YearRequest(org, "co", 1000);
  request.holds = {{"a", 2, 60}};
  request.want_trace = true;
  absl::StatusOr<CascadePlan> plan = Cascade(request);
  ASSERT_TRUE(plan.ok()) << plan.status();
  const CellTrace& co_jan = plan->trace.at({"co", 1});
  EXPECT_EQ(co_jan.rule, "days");
  EXPECT_EQ(co_jan.weight, 31);
  EXPECT_EQ(co_jan.weight_total, 365);
  EXPECT_EQ(co_jan.pool, 1000);
  EXPECT_TRUE(co_jan.remainder_unit);  // 84.93 -> 85, see the days test
  EXPECT_EQ(plan->trace.at({"a", 2}).rule, "hold");
  EXPECT_EQ(Cell(*plan, "b", 2), 77 - 60);  // February is 77 (days test); a holds 60
  // January: g has 85; a weighs 1 FTE, b 0.5 FTE (full month). 85 x 0.5 / 1.5 = 28.33.
  const CellTrace& b_jan = plan->trace.at({"b", 1});
  EXPECT_EQ(b_jan.rule, "fte");
  EXPECT_DOUBLE_EQ(b_jan.weight, 0.5);
  EXPECT_DOUBLE_EQ(b_jan.weight_total, 1.5);
  EXPECT_EQ(b_jan.pool, 85);
  EXPECT_NEAR(b_jan.exact_share, 85.0 / 3, 1e-9);
  EXPECT_FALSE(b_jan.remainder_unit);  // a has 56.67, the larger remainder
  EXPECT_EQ(Cell(*plan, "a", 1), 57);
  EXPECT_EQ(Cell(*plan, "b", 1), 28);
}

// ---- Failures ----

TEST(CascadeTest, HoldsExceedingTheParentsMonthFail) {
  OrgSnapshot org({Group("grp-a", ""), Agent("a1", "grp-a"), Agent("a2", "grp-a")});
  CascadeRequest request = MonthsRequest(org, "grp-a", Every(100));
  request.holds = {{"a1", 3, 70}, {"a2", 3, 50}};
  absl::StatusOr<CascadePlan> plan = Cascade(request);
  EXPECT_EQ(plan.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(plan.status().message(),
              HasSubstr("cannot honour holds under unit 'grp-a' in 2026-03: held 120 exceeds "
                        "100 available"));
}

TEST(CascadeTest, AMonthWithNoActiveChildFails) {
  // The only agent joins in July, but the year is spread over every month by days.
  OrgSnapshot org({Group("g", ""), Agent("a", "g", 1.0, Date{kYear, 7, 1}, std::nullopt)});
  absl::StatusOr<CascadePlan> plan = Cascade(YearRequest(org, "g", 365));
  EXPECT_EQ(plan.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(plan.status().message(), HasSubstr("unit 'g' in 2026-01"));
  EXPECT_THAT(plan.status().message(), HasSubstr("no active child"));
}

TEST(CascadeTest, AllWeightsZeroFails) {
  OrgSnapshot org({Group("g", ""), Agent("a", "g"), Agent("b", "g")});
  CascadeRequest request = MonthsRequest(org, "g", Every(10));
  request.method = SplitMethod::kWeights;
  request.weights = {{"a", 0}};  // b is not named, so it weighs 0 too
  absl::StatusOr<CascadePlan> plan = Cascade(request);
  EXPECT_EQ(plan.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(plan.status().message(), HasSubstr("unit 'g' in 2026-01"));
}

TEST(CascadeTest, AGroupWithoutChildrenCannotCarryAHold) {
  OrgSnapshot org({Group("co", ""), Group("empty", "co"), Agent("a", "co")});
  CascadeRequest request = MonthsRequest(org, "co", Every(10));
  request.holds = {{"empty", 5, 4}};
  absl::StatusOr<CascadePlan> plan = Cascade(request);
  EXPECT_EQ(plan.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(plan.status().message(), HasSubstr("unit 'empty' in 2026-05"));
}

TEST(CascadeTest, YearHoldWithNoActiveMonthFails) {
  OrgSnapshot org({Group("co", ""), Group("t1", "co"), Agent("a", "co"),
                   Agent("late", "t1", 1.0, Date{kYear + 1, 1, 1}, std::nullopt)});
  CascadeRequest request = YearRequest(org, "co", 365);
  request.holds = {{"t1", 0, 10}};
  absl::StatusOr<CascadePlan> plan = Cascade(request);
  EXPECT_EQ(plan.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(plan.status().message(), HasSubstr("unit 't1' in 2026"));
}

TEST(CascadeTest, HeldMonthsAboveTheHeldYearFail) {
  OrgSnapshot org({Group("co", ""), Group("t1", "co"), Agent("a", "t1"), Agent("b", "co")});
  CascadeRequest request = YearRequest(org, "co", 365000);
  request.holds = {{"t1", 0, 100}, {"t1", 1, 200}};
  absl::StatusOr<CascadePlan> plan = Cascade(request);
  EXPECT_EQ(plan.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(plan.status().message(), HasSubstr("unit 't1' in 2026"));
}

TEST(CascadeTest, RootMonthHoldsAboveTheYearFail) {
  OrgSnapshot org({Group("co", ""), Agent("a", "co")});
  CascadeRequest request = YearRequest(org, "co", 100);
  request.holds = {{"co", 1, 200}};
  absl::StatusOr<CascadePlan> plan = Cascade(request);
  EXPECT_EQ(plan.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(plan.status().message(), HasSubstr("unit 'co' in 2026"));
}

TEST(CascadeTest, RootYearHoldOverridesTheTarget) {
  OrgSnapshot org({Group("co", ""), Agent("a", "co")});
  CascadeRequest request = YearRequest(org, "co", 100);
  request.holds = {{"co", 0, 365000}};
  absl::StatusOr<CascadePlan> plan = Cascade(request);
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_EQ(Cell(*plan, "co", 1), 31000);
  EXPECT_EQ(Cell(*plan, "co", 2), 28000);
}

TEST(CascadeTest, BadRequestsAreInvalidArguments) {
  OrgSnapshot org({Group("co", ""), Agent("a", "co")});
  const auto code_of = [&](auto mutate) {
    CascadeRequest request = YearRequest(org, "co", 1200);
    mutate(request);
    return Cascade(request).status().code();
  };
  constexpr auto kInvalid = absl::StatusCode::kInvalidArgument;
  EXPECT_EQ(code_of([](CascadeRequest& r) { r.root_unit = "nobody"; }), kInvalid);
  EXPECT_EQ(code_of([](CascadeRequest& r) { r.year_target = 10.5; }), kInvalid);
  EXPECT_EQ(code_of([](CascadeRequest& r) { r.year_target = -1; }), kInvalid);
  EXPECT_EQ(code_of([](CascadeRequest& r) {
              r.seasonality = Every(1);
              (*r.seasonality)[3] = -1;
            }),
            kInvalid);
  EXPECT_EQ(code_of([](CascadeRequest& r) { r.seasonality = Every(0); }), kInvalid);
  EXPECT_EQ(code_of([](CascadeRequest& r) { r.from_month = 0; }), kInvalid);
  EXPECT_EQ(code_of([](CascadeRequest& r) { r.from_month = 13; }), kInvalid);
  EXPECT_EQ(code_of([](CascadeRequest& r) { r.holds = {{"a", 2, -5}}; }), kInvalid);
  EXPECT_EQ(code_of([](CascadeRequest& r) { r.holds = {{"a", 2, 2.5}}; }), kInvalid);
  EXPECT_EQ(code_of([](CascadeRequest& r) { r.holds = {{"a", 13, 1}}; }), kInvalid);
  EXPECT_EQ(code_of([](CascadeRequest& r) {
              r.method = SplitMethod::kWeights;
              r.weights = {{"a", -1}};
            }),
            kInvalid);
  EXPECT_EQ(code_of([](CascadeRequest& r) { r.year_target.reset(); }), kInvalid);
  // Holds outside the subtree are ignored, whatever their values.
  EXPECT_EQ(code_of([](CascadeRequest& r) {
              r.holds = {{"elsewhere", 2, -5}};
            }),
            absl::StatusCode::kOk);
}

}  // namespace
}  // namespace okr
