#include "clients/okrctl/plan_diff_output.h"

#include <algorithm>
#include <set>
#include <string>

#include "clients/okrctl/client.h"
#include "clients/okrctl/table.h"

namespace okrctl {

std::string SignedNumber(double value) { return (value > 0 ? "+" : "") + FormatNumber(value); }

namespace {

// An okrd that sends no counts (before replies were capped) lists every cell and unit.
int CellsChanged(const okr::v1::PlanDiff& diff) {
  return std::max<int>(static_cast<int>(diff.cells_changed()), diff.cells_size());
}
int UnitsChanged(const okr::v1::PlanDiff& diff) {
  return std::max<int>(static_cast<int>(diff.units_changed()), diff.units_size());
}

}  // namespace

nlohmann::json PlanDiffJson(const okr::v1::PlanDiff& diff) {
  nlohmann::json cells = nlohmann::json::array();
  for (const auto& c : diff.cells()) {
    cells.push_back({{"unit", c.unit_id()},
                     {"month", c.month()},
                     {"before", Number(c.before())},
                     {"after", Number(c.after())},
                     {"change", Number(c.after() - c.before())}});
  }
  nlohmann::json units = nlohmann::json::array();
  for (const auto& u : diff.units()) {
    units.push_back({{"unit", u.unit_id()},
                     {"had_plan", u.had_plan()},
                     {"year_before", Number(u.year_before())},
                     {"year_after", Number(u.year_after())},
                     {"change", Number(u.year_after() - u.year_before())}});
  }
  nlohmann::json json = {{"cells", cells},
                         {"units", units},
                         {"cells_changed", CellsChanged(diff)},
                         {"units_changed", UnitsChanged(diff)}};
  // Only a large change is cut short: "cells" and "units" then list its first ones.
  if (diff.truncated()) json["truncated"] = true;
  return json;
}

void PrintPlanDiff(const okr::v1::PlanDiff& diff, std::ostream& out) {
  if (diff.cells().empty()) {
    out << "no cell changes\n";
    return;
  }
  std::set<std::string> new_units;
  for (const auto& u : diff.units()) {
    if (!u.had_plan()) new_units.insert(u.unit_id());
  }
  const int cells_changed = CellsChanged(diff);
  const int units_changed = UnitsChanged(diff);
  out << cells_changed << (cells_changed == 1 ? " cell" : " cells") << " in " << units_changed
      << (units_changed == 1 ? " unit" : " units") << " change"
      << (diff.truncated() ? " (the first " + std::to_string(diff.cells_size()) + " cells and " +
                                 std::to_string(diff.units_size()) + " units shown)"
                           : "")
      << ":\n";
  Table cells({"UNIT", "MONTH", "BEFORE", "AFTER", "CHANGE"});
  cells.AlignRight({2, 3, 4});
  for (const auto& c : diff.cells()) {
    const bool is_new = new_units.contains(c.unit_id());
    cells.Add({c.unit_id(), c.month(), is_new ? "-" : FormatNumber(c.before()),
               FormatNumber(c.after()), SignedNumber(c.after() - c.before())});
  }
  cells.Print(out);
  out << "\n";
  Table years({"UNIT", "YEAR BEFORE", "YEAR AFTER", "CHANGE"});
  years.AlignRight({1, 2, 3});
  for (const auto& u : diff.units()) {
    years.Add({u.unit_id(), u.had_plan() ? FormatNumber(u.year_before()) : "-",
               FormatNumber(u.year_after()), SignedNumber(u.year_after() - u.year_before())});
  }
  years.Print(out);
}

}  // namespace okrctl
