// The cascade's trace stored with each plan row (store::PlanRecord's trace_* fields): why each
// month has its value, so explain reads a handful of rows instead of replaying the cascade.
#ifndef OKR_SERVICES_CORE_PLAN_TRACE_H_
#define OKR_SERVICES_CORE_PLAN_TRACE_H_

#include <array>
#include <optional>

#include "services/domain/cascade.h"
#include "store/records.pb.h"

namespace okr {

// Which months of a written row carry a new trace.
struct TraceMonths {
  // The months whose own cell the cascade traced anew; the others keep `existing`'s trace
  // (a month the unit sat elsewhere in, or the root's months taken as given, which the
  // cascade did not move).
  std::array<bool, 12> cell{};
  // The months whose split among the unit's children the cascade made.
  std::array<bool, 12> split{};
};

// The months of `row` traced anew: its covered months, only `only_month` when it is 1..12;
// a cell whose rule is "given" keeps its earlier trace when there is one.
TraceMonths FreshMonths(const PlanRow& row, int only_month, const store::PlanRecord* existing);

// Writes `trace` into `record` for the months in `fresh`; other months are taken from
// `existing` (may be null: none).
void SetRowTrace(const RowTrace& trace, const TraceMonths& fresh, const store::PlanRecord* existing,
                 store::PlanRecord* record);

// True when the row has a stored trace.
bool HasTrace(const store::PlanRecord& row);

// The stored trace of `row`'s month (1..12) whose stored value is `value`; the split's pool and
// weights' total of a split month are on `parent`'s row (may be null). None when the row (or
// the parent's, for a split) has no trace for the month.
std::optional<CellTrace> StoredCellTrace(const store::PlanRecord& row,
                                         const store::PlanRecord* parent, int month, double value);

}  // namespace okr

#endif  // OKR_SERVICES_CORE_PLAN_TRACE_H_
