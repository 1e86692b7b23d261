// The cascade: spreading a unit's annual target over its months and down the org tree.
//
// Pure and deterministic: an org snapshot, the target, holds and the previous plan in; the
// plan for every unit of the subtree out. The rules are those of PRODUCT.md "Cascade".
//
// The tree of a month is the tree on the first day of that month (a unit's parent as of the
// 1st); an agent's FTE weight is pro-rated by the days it is active in the month.
//
// Count plans are computed in exact integer arithmetic: FTE, seasonality and explicit weights
// are taken to 6 decimal places (fixed point), shares and remainders are exact rationals, so
// sums hold exactly and the result never depends on the machine or on the order of the units.
// Bounds: count values 0..10^15, weights 0..10^9, agent FTE 0..1000.
#ifndef OKR_SERVICES_DOMAIN_CASCADE_H_
#define OKR_SERVICES_DOMAIN_CASCADE_H_

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "services/domain/metric.h"
#include "services/domain/org.h"

namespace okr {

enum class SplitMethod { kFte, kEven, kWeights };

// A value pinned by a person: a month cell (month 1..12) or a unit's year total (month 0).
struct Hold {
  std::string unit_id;
  int month = 0;
  double value = 0;
};

struct CascadeRequest {
  const OrgSnapshot* org = nullptr;
  Metric metric;
  int year = 0;
  std::string root_unit;

  // The root's numbers. Either a year target (count: a whole number; ratio: display value)
  // spread over months by `seasonality` weights (default: days in each month), or, when
  // `year_target` is unset, the root's twelve months given as they are (re-cascading a
  // subtree whose months came from a cascade above it).
  std::optional<double> year_target;
  std::optional<MonthValues> seasonality;
  std::optional<MonthValues> root_months;

  SplitMethod method = SplitMethod::kFte;
  // kWeights: explicit weight per child id. Below a parent none of whose children is named,
  // the split falls back to fte.
  std::map<std::string, double> weights;

  // Holds outside the root's subtree, or on months before `from_month`, are ignored. A year
  // hold on the root replaces `year_target` (spread by `seasonality`/days; with only
  // `root_months`, in proportion to them). Two different values for one cell are invalid.
  std::vector<Hold> holds;

  // Re-spread only months >= from_month; earlier months keep `previous_plan` (0 if absent).
  int from_month = 1;
  std::map<std::string, MonthValues> previous_plan;

  bool want_trace = false;
  // Each row's trace, compact, in PlanRow::trace (stored with the plan for explain).
  bool want_row_trace = false;
};

// Why a cell has its value (for `explain`).
struct CellTrace {
  // seasonality, days (root months); fte, even, weights (split of the parent's month); hold;
  // year_hold (a held year over its months by the parent's months); kept (before from_month);
  // inherit (ratio); given (root months taken as given).
  std::string rule;
  double weight = 0;            // this cell's weight
  double weight_total = 0;      // the sum of the weights it was split by
  double pool = 0;              // the amount split among the unheld (parent month minus holds)
  double exact_share = 0;       // pool * weight / weight_total before rounding
  bool remainder_unit = false;  // largest-remainder added one unit
};

// Why a cell has its value, as a code (CellTrace::rule is its name, CellRuleName).
enum class CellRule : uint8_t {
  kNone,  // not covered
  kSeasonality,
  kDays,
  kGiven,
  kFte,
  kEven,
  kWeights,
  kHold,
  kYearHold,
  kKept,
  kInherit,
};
std::string_view CellRuleName(CellRule rule);

// A row's trace in compact form: each covered month's rule, this cell's weight and whether it
// got the remainder; the split of the unit's own year (seasonality, days, year_hold: the pool
// and the weights' total, one for all its months); and each month's split among its children
// (fte, even, weights: the pool left after holds and the weights' total). A cell's exact share
// is pool x weight / weight total of the split it came from.
struct ChildSplit {
  std::array<double, 12> pools{};
  std::array<double, 12> weight_totals{};
};
struct RowTrace {
  std::array<CellRule, 12> rules{};
  std::array<double, 12> weights{};
  uint16_t remainder_months = 0;  // bit m-1: month m got +1 by largest remainder
  double year_pool = 0;
  double year_weight_total = 0;
  std::unique_ptr<ChildSplit> child_split;  // null when no month is split among children
};

struct PlanRow {
  MonthValues months{};
  // Months in which the unit sat below the root (only those are written).
  std::array<bool, 12> covered{};
  std::shared_ptr<const RowTrace> trace;  // with request.want_row_trace
};

struct CascadePlan {
  std::map<std::string, PlanRow> rows;  // every unit ever below the root in the year, and it
  std::map<std::pair<std::string, int>, CellTrace> trace;  // (unit, month 1..12), on request
};

// Fails with FailedPrecondition naming the unit and month when holds cannot be honoured or a
// month's amount has no active child to carry it; InvalidArgument for bad requests.
absl::StatusOr<CascadePlan> Cascade(const CascadeRequest& request);

}  // namespace okr

#endif  // OKR_SERVICES_DOMAIN_CASCADE_H_
