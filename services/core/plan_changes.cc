#include "services/core/plan_changes.h"

#include <cstdint>
#include <cstdio>

#include "services/core/plan_ops.h"

namespace okr {
namespace {

// Whole values as integers (count plans), others as they are.
nlohmann::json Value(double v) {
  if (v == static_cast<double>(static_cast<int64_t>(v))) return static_cast<int64_t>(v);
  return v;
}

}  // namespace

absl::StatusOr<std::map<std::string, MonthValues>> RowsAsWritten(ServerState& state,
                                                                 const Metric& metric, int year,
                                                                 const CascadePlan& plan) {
  std::map<std::string, MonthValues> rows;
  for (const auto& [unit_id, row] : plan.rows) {
    MonthValues months = row.months;
    bool all_covered = true;
    for (bool c : row.covered) all_covered = all_covered && c;
    if (!all_covered) {
      // Months in which the unit sat elsewhere keep what the other cascade wrote.
      auto existing = LoadPlanRow(state, metric.id, year, unit_id);
      if (!existing.ok()) return existing.status();
      for (int m = 0; m < 12; ++m) {
        if (!row.covered[m]) months[m] = existing->has_value() ? (**existing)[m] : 0.0;
      }
    }
    rows[unit_id] = months;
  }
  return rows;
}

absl::StatusOr<std::map<std::string, MonthValues>> StoredRowsOf(ServerState& state,
                                                                const Metric& metric, int year,
                                                                const CascadePlan& plan) {
  std::map<std::string, MonthValues> rows;
  for (const auto& [unit_id, row] : plan.rows) {
    auto stored = LoadPlanRow(state, metric.id, year, unit_id);
    if (!stored.ok()) return stored.status();
    if (stored->has_value()) rows[unit_id] = **stored;
  }
  return rows;
}

absl::StatusOr<PlanDiff> DiffAgainstStored(ServerState& state, const OrgSnapshot& org,
                                           const Metric& metric, int year, const std::string& root,
                                           const CascadePlan& plan) {
  auto before = StoredRowsOf(state, metric, year, plan);
  if (!before.ok()) return before.status();
  auto after = RowsAsWritten(state, metric, year, plan);
  if (!after.ok()) return after.status();
  return DiffPlans(metric, SubtreeInTreeOrder(org, root), *before, *after);
}

void ToRecord(const PlanDiff& diff, store::ProposalRecord* out) {
  out->clear_changed_cells();
  out->clear_changed_units();
  for (const CellChange& cell : diff.cells) {
    store::CellChangeRecord* c = out->add_changed_cells();
    c->set_unit_id(cell.unit_id);
    c->set_month(cell.month);
    c->set_before(cell.before);
    c->set_after(cell.after);
  }
  for (const UnitChange& unit : diff.units) {
    store::UnitChangeRecord* u = out->add_changed_units();
    u->set_unit_id(unit.unit_id);
    u->set_had_plan(unit.had_plan);
    u->set_year_before(unit.year_before);
    u->set_year_after(unit.year_after);
  }
}

PlanDiff FromRecord(const store::ProposalRecord& record) {
  PlanDiff diff;
  for (const auto& c : record.changed_cells()) {
    diff.cells.push_back(CellChange{c.unit_id(), c.month(), c.before(), c.after()});
  }
  for (const auto& u : record.changed_units()) {
    diff.units.push_back(UnitChange{u.unit_id(), u.had_plan(), u.year_before(), u.year_after()});
  }
  return diff;
}

nlohmann::json CellsBeforeJson(const PlanDiff& diff, int year) {
  std::map<std::string, bool> had_plan;
  nlohmann::json years = nlohmann::json::object();
  for (const UnitChange& unit : diff.units) {
    had_plan[unit.unit_id] = unit.had_plan;
    if (unit.had_plan) years[unit.unit_id] = Value(unit.year_before);
  }
  nlohmann::json cells = nlohmann::json::object();
  for (const CellChange& cell : diff.cells) {
    if (!had_plan[cell.unit_id]) continue;
    cells[cell.unit_id][MonthText(year, cell.month)] = Value(cell.before);
  }
  return {{"cells", cells}, {"years", years}};
}

nlohmann::json CellsAfterJson(const PlanDiff& diff, int year) {
  nlohmann::json years = nlohmann::json::object();
  for (const UnitChange& unit : diff.units) years[unit.unit_id] = Value(unit.year_after);
  nlohmann::json cells = nlohmann::json::object();
  for (const CellChange& cell : diff.cells) {
    cells[cell.unit_id][MonthText(year, cell.month)] = Value(cell.after);
  }
  return {{"cells", cells}, {"years", years}};
}

}  // namespace okr
