// The diff of two plans (services/domain/plan_diff.h): only changed cells, in the order of
// the tree; a unit with no plan before lists all its cells; year figures per unit.
#include "services/domain/plan_diff.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace okr {
namespace {

Unit MakeUnit(std::string id, std::string parent, UnitKind kind) {
  Unit unit;
  unit.id = std::move(id);
  unit.parent_id = std::move(parent);
  unit.kind = kind;
  unit.name = unit.id;
  return unit;
}

// co -> t1 -> {a1, a2}; co -> t2 -> {a3}; ids chosen so that id order is not tree order.
OrgSnapshot MakeOrg() {
  return OrgSnapshot({MakeUnit("co", "", UnitKind::kCompany), MakeUnit("t1", "co", UnitKind::kTeam),
                      MakeUnit("t2", "co", UnitKind::kTeam), MakeUnit("a1", "t1", UnitKind::kAgent),
                      MakeUnit("a2", "t1", UnitKind::kAgent),
                      MakeUnit("a3", "t2", UnitKind::kAgent)});
}

MonthValues Flat(double v) {
  MonthValues months;
  months.fill(v);
  return months;
}

TEST(PlanDiff, TreeOrderIsEachUnitThenItsChildrenById) {
  EXPECT_EQ(SubtreeInTreeOrder(MakeOrg(), "co"),
            (std::vector<std::string>{"co", "t1", "a1", "a2", "t2", "a3"}));
  EXPECT_EQ(SubtreeInTreeOrder(MakeOrg(), "t2"), (std::vector<std::string>{"t2", "a3"}));
}

TEST(PlanDiff, ChangedCellsInTreeOrderAndNewUnitsInFull) {
  Metric tickets;
  tickets.id = "tickets";
  const std::map<std::string, MonthValues> before = {
      {"co", Flat(100)}, {"t1", Flat(50)}, {"a1", Flat(25)}, {"a2", Flat(25)}, {"t2", Flat(50)}};
  std::map<std::string, MonthValues> after = before;
  after["a1"][2] = 35;  // March: a1 25 -> 35, a2 25 -> 15
  after["a2"][2] = 15;
  after["a3"] = Flat(50);  // no plan before: all twelve cells, 0 before
  const PlanDiff diff = DiffPlans(tickets, SubtreeInTreeOrder(MakeOrg(), "co"), before, after);
  ASSERT_EQ(diff.cells.size(), 14u);
  EXPECT_EQ(diff.cells[0].unit_id, "a1");
  EXPECT_EQ(diff.cells[0].month, 3);
  EXPECT_EQ(diff.cells[0].before, 25);
  EXPECT_EQ(diff.cells[0].after, 35);
  EXPECT_EQ(diff.cells[1].unit_id, "a2");
  EXPECT_EQ(diff.cells[1].after, 15);
  EXPECT_EQ(diff.cells[2].unit_id, "a3");
  EXPECT_EQ(diff.cells[2].month, 1);
  EXPECT_EQ(diff.cells[2].before, 0);
  EXPECT_EQ(diff.cells[13].month, 12);
  ASSERT_EQ(diff.units.size(), 3u);
  // Years: a1 25 x 12 + 10 = 310; a2 290; a3 600, new.
  EXPECT_EQ(diff.units[0].year_before, 300);
  EXPECT_EQ(diff.units[0].year_after, 310);
  EXPECT_EQ(diff.units[1].year_after, 290);
  EXPECT_FALSE(diff.units[2].had_plan);
  EXPECT_EQ(diff.units[2].year_after, 600);

  // A ratio's year figure is the mean of its months: (11 x 92 + 80) / 12 = 91.
  Metric csat;
  csat.id = "csat";
  csat.kind = MetricKind::kRatio;
  std::map<std::string, MonthValues> ratio_after = {{"co", Flat(92)}};
  ratio_after["co"][0] = 80;
  const PlanDiff ratio = DiffPlans(csat, {"co"}, {{"co", Flat(92)}}, ratio_after);
  ASSERT_EQ(ratio.units.size(), 1u);
  EXPECT_EQ(ratio.units[0].year_before, 92);
  EXPECT_EQ(ratio.units[0].year_after, 91);
  // Nothing changed: nothing listed.
  EXPECT_TRUE(DiffPlans(tickets, {"co"}, before, before).cells.empty());
}

}  // namespace
}  // namespace okr
