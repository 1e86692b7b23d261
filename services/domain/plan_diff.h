// What a plan change moves: the cells whose value differs between the stored plan and the
// plan about to be written, each unit's year figure before and after, in the order of the
// tree (a unit, then its children by id, down to agents). Shown by cascade --dry-run and by
// proposals, and written into the audit history of cascades and approvals.
#ifndef OKR_SERVICES_DOMAIN_PLAN_DIFF_H_
#define OKR_SERVICES_DOMAIN_PLAN_DIFF_H_

#include <map>
#include <string>
#include <vector>

#include "services/domain/metric.h"
#include "services/domain/org.h"

namespace okr {

struct CellChange {
  std::string unit_id;
  int month = 0;      // 1..12
  double before = 0;  // 0 when the unit had no plan
  double after = 0;
};

// A unit with at least one changed cell.
struct UnitChange {
  std::string unit_id;
  bool had_plan = false;   // false: the change gives the unit its first plan
  double year_before = 0;  // the year figure: the months' sum (count) or mean (ratio)
  double year_after = 0;
};

struct PlanDiff {
  std::vector<CellChange> cells;
  std::vector<UnitChange> units;
};

// The year figure of twelve months: their sum (count) or mean (ratio), the target of the
// whole year as progress reads it (PeriodTarget, progress.h).
double YearFigureOf(const Metric& metric, const MonthValues& months);

// The units of the subtree of `root` (every unit ever below it), the root first, each unit
// followed by its children in id order.
std::vector<std::string> SubtreeInTreeOrder(const OrgSnapshot& org, const std::string& root);

// The cells of `after` that differ from `before` (a unit absent from `before` had no plan:
// all its cells count as 0 before, and all of them are listed), in the order of `order`;
// units of `after` not in `order` come last, by id.
PlanDiff DiffPlans(const Metric& metric, const std::vector<std::string>& order,
                   const std::map<std::string, MonthValues>& before,
                   const std::map<std::string, MonthValues>& after);

}  // namespace okr

#endif  // OKR_SERVICES_DOMAIN_PLAN_DIFF_H_
