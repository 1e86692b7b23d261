// `okrctl plan check --year Y [--metric M]`: the gaps of a year's plans. For each metric: the
// units active in the year with no target and no plan, the plan rows written before the last
// org change (stale: re-plan them), and the stored holds that no longer fit (hold_check.h, the
// same rules as when a hold is set). A read: one snapshot, no writer lock.
#ifndef OKR_SERVICES_CORE_PLAN_CHECK_H_
#define OKR_SERVICES_CORE_PLAN_CHECK_H_

#include "absl/status/status.h"
#include "okr/v1/plan.pb.h"
#include "services/core/server_state.h"

namespace okr {

// Within the caller's scope: the named unit's subtree, a lead's or agent's own unit when none
// is named, else the whole org.
absl::Status CheckPlans(ServerState& state, const Caller& caller, const v1::PlanCheckRequest& req,
                        v1::PlanCheckReply* out);

}  // namespace okr

#endif  // OKR_SERVICES_CORE_PLAN_CHECK_H_
