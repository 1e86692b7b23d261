#include "services/core/plan_changes.h"

#include <cstdint>
#include <cstdio>
#include <optional>

#include "services/core/plan_ops.h"
#include "store/codecs.h"

namespace okr {
namespace {

// From this many units up a plan's stored rows are scanned rather than read one by one.
constexpr size_t kScanAtUnits = 256;

// The rows `plan` writes (PlanChange::rows).
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

}  // namespace

absl::StatusOr<std::map<std::string, MonthValues>> StoredRowsOf(ServerState& state,
                                                                const Metric& metric, int year,
                                                                const CascadePlan& plan) {
  std::map<std::string, MonthValues> rows;
  // A plan over much of the org reads the year's rows in one pass: a point read per unit of
  // 100,000 cost a cascade more than its computation (bench/README.md, "The cascade's audit
  // entry"). A small subtree reads its own rows only.
  if (plan.rows.size() < kScanAtUnits || plan.rows.size() * 4 < state.org()->size()) {
    for (const auto& [unit_id, row] : plan.rows) {
      auto stored = LoadPlanRow(state, metric.id, year, unit_id);
      if (!stored.ok()) return stored.status();
      if (stored->has_value()) rows[unit_id] = **stored;
    }
    return rows;
  }
  absl::Status damaged;
  absl::Status scanned = state.db().Scan(
      store::Cf::kPlans, store::PlanPrefix(metric.id, year),
      [&](std::string_view key, std::string_view value) {
        std::optional<std::string> unit = store::PlanKeyUnit(key);
        if (!unit || !plan.rows.contains(*unit)) return true;
        store::PlanRecord record;
        if (!record.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
          damaged = absl::DataLossError("stored " + record.GetTypeName() + " does not parse");
          return false;
        }
        MonthValues& months = rows[*std::move(unit)];
        for (int m = 0; m < 12 && m < record.months_size(); ++m) months[m] = record.months(m);
        return true;
      });
  if (!scanned.ok()) return scanned;
  if (!damaged.ok()) return damaged;
  return rows;
}

absl::StatusOr<PlanChange> DiffAgainstStored(ServerState& state, const OrgSnapshot& org,
                                             const Metric& metric, int year,
                                             const std::string& root, const CascadePlan& plan) {
  auto before = StoredRowsOf(state, metric, year, plan);
  if (!before.ok()) return before.status();
  auto after = RowsAsWritten(state, metric, year, plan);
  if (!after.ok()) return after.status();
  PlanChange change;
  change.diff = DiffPlans(metric, SubtreeInTreeOrder(org, root), *before, *after);
  change.rows = *std::move(after);
  return change;
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

}  // namespace okr
