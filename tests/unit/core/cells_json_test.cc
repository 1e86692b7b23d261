// CellsJsonText against an nlohmann::json tree of the same object: the text must be byte for
// byte what dump() gives, because the audit history read back by okrctl and the dashboard is
// that text.
#include "services/core/cells_json.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <map>
#include <random>
#include <string>

#include "services/domain/calendar.h"

namespace okr {
namespace {

// The audit sides as a tree (what the history wrote before CellsJsonText).
nlohmann::json Whole(double v) {
  if (v >= -0x1p63 && v < 0x1p63 && v == std::trunc(v)) return static_cast<int64_t>(v);
  return v;
}

nlohmann::json TreeOf(const PlanDiff& diff, int year, CellsSide side, nlohmann::json fields) {
  std::map<std::string, bool> had_plan;
  nlohmann::json years = nlohmann::json::object();
  for (const UnitChange& unit : diff.units) {
    had_plan[unit.unit_id] = unit.had_plan;
    if (side == CellsSide::kAfter) years[unit.unit_id] = Whole(unit.year_after);
    if (side == CellsSide::kBefore && unit.had_plan) years[unit.unit_id] = Whole(unit.year_before);
  }
  nlohmann::json cells = nlohmann::json::object();
  for (const CellChange& cell : diff.cells) {
    if (side == CellsSide::kBefore && !had_plan[cell.unit_id]) continue;
    cells[cell.unit_id][MonthText(year, cell.month)] =
        Whole(side == CellsSide::kBefore ? cell.before : cell.after);
  }
  fields["cells"] = cells;
  fields["years"] = years;
  return fields;
}

TEST(CellsJsonText, AHandWrittenChangeReadsAsExpected) {
  PlanDiff diff;
  diff.units = {{"t1", true, 120, 150}, {"a2", false, 0, 30.5}};
  diff.cells = {{"t1", 2, 10, 40}, {"t1", 1, 10, 10.25}, {"a2", 1, 0, 30.5}};
  EXPECT_EQ(CellsJsonText(diff, 2026, CellsSide::kBefore, {{"year", 2026}}),
            R"({"cells":{"t1":{"2026-01":10,"2026-02":10}},"year":2026,"years":{"t1":120}})");
  EXPECT_EQ(CellsJsonText(diff, 2026, CellsSide::kAfter, {{"from", 1}, {"units", 2}}),
            R"({"cells":{"a2":{"2026-01":30.5},"t1":{"2026-01":10.25,"2026-02":40}},)"
            R"("from":1,"units":2,"years":{"a2":30.5,"t1":150}})");
}

TEST(CellsJsonText, AnEmptyChangeHasEmptyObjects) {
  EXPECT_EQ(CellsJsonText(PlanDiff{}, 2026, CellsSide::kBefore), R"({"cells":{},"years":{}})");
}

TEST(CellsJsonText, RandomChangesMatchTheTreesDump) {
  std::mt19937_64 rng(20261202);
  const std::vector<std::string> ids = {"acme",    "Z-team", "t\xc3\xa9", "a_10", "a_9",
                                        "q\"uote", "b\\s",   "a",         "ab",   "t1g2a3"};
  const std::vector<double> values = {0,       1,     -3,   1e15,        2.5e20, 0.1,
                                      1.0 / 3, 92.75, -0.5, 1234567.125, 1e-7};
  for (int round = 0; round < 200; ++round) {
    PlanDiff diff;
    const int units = static_cast<int>(rng() % 8);
    for (int u = 0; u < units; ++u) {
      diff.units.push_back({ids[rng() % ids.size()], rng() % 3 != 0, values[rng() % values.size()],
                            values[rng() % values.size()]});
    }
    const int cells = static_cast<int>(rng() % 30);
    for (int c = 0; c < cells; ++c) {
      diff.cells.push_back({ids[rng() % ids.size()], 1 + static_cast<int>(rng() % 12),
                            values[rng() % values.size()], values[rng() % values.size()]});
    }
    const nlohmann::json fields = {
        {"year", 2027}, {"month", "2027-03"}, {"months", {1.5, 2, 3}}, {"holds", {{"x", nullptr}}}};
    for (CellsSide side : {CellsSide::kBefore, CellsSide::kAfter}) {
      EXPECT_EQ(CellsJsonText(diff, 2027, side, fields), TreeOf(diff, 2027, side, fields).dump())
          << "round " << round;
    }
  }
}

}  // namespace
}  // namespace okr
