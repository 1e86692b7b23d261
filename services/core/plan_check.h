// `okrctl plan check --year Y [--metric M]`: the gaps of a year's plans. For each metric: the
// units active in the year with no target and no plan, the plan rows written before the last
// org change (stale: re-plan them), and the stored holds that no longer fit (hold_check.h, the
// same rules as when a hold is set). A read: one snapshot, no writer lock.
#ifndef OKR_SERVICES_CORE_PLAN_CHECK_H_
#define OKR_SERVICES_CORE_PLAN_CHECK_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/core/hold_check.h"
#include "services/core/server_state.h"
#include "services/domain/org.h"

namespace okr {

struct PlanCheckQuery {
  int year = 0;
  std::string metric_id;  // empty: every metric
  std::string unit_id;    // empty: the caller's scope
};

// An active unit of a planned metric with no target and no plan.
struct MissingTarget {
  std::string unit_id;
  std::string name;
  UnitKind kind = UnitKind::kAgent;
};

// The rows in scope of one cascade written before the last org change.
struct StalePlan {
  std::string root_unit_id;  // the unit that cascade started from
  uint32_t units = 0;
  int64_t planned_at_unix_micros = 0;  // 0: written by an okrd that kept no time
};

struct MetricCheck {
  std::string metric_id;
  bool planned = false;                // some unit has a target or a plan for it in the year
  std::vector<MissingTarget> missing;  // only when planned
  std::vector<StalePlan> stale;
  std::vector<HoldMisfit> holds;
};

struct PlanCheck {
  int year = 0;
  int64_t last_org_change_at_unix_micros = 0;  // 0: the org never changed
  std::string last_org_change;                 // its audit action, e.g. "org.move"
  std::vector<MetricCheck> metrics;            // by metric id
};

// Within the caller's scope: the named unit's subtree, a lead's or agent's own unit when none
// is named, else the whole org.
absl::StatusOr<PlanCheck> CheckPlans(ServerState& state, const Caller& caller,
                                     const PlanCheckQuery& query);

}  // namespace okr

#endif  // OKR_SERVICES_CORE_PLAN_CHECK_H_
