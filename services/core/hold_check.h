// Whether a hold can stand, checked when it is set (PRODUCT.md "Review of monthly breakdowns":
// nothing gives an inactive agent a non-zero cell, and a hold that its parent cannot carry is
// refused when it is set, not at the next cascade).
#ifndef OKR_SERVICES_CORE_HOLD_CHECK_H_
#define OKR_SERVICES_CORE_HOLD_CHECK_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "services/core/server_state.h"
#include "services/domain/cascade.h"
#include "services/domain/metric.h"
#include "services/domain/org.h"

namespace okr {

// FAILED_PRECONDITION when `hold` gives a non-zero value to an agent that is not active on
// any day of the held month (or of the year, for a year hold).
absl::Status CheckHoldOnActiveAgent(const OrgSnapshot& org, int year, const Hold& hold);

// FAILED_PRECONDITION, naming the held unit, the period and what is available, when the
// stored plan of `year` could be re-cascaded before `hold` but not with it. A unit that no
// cascade has planned yet has nothing to check against (the cascade that plans it will). The
// caller holds plan_mu.
absl::Status CheckHoldIsCarried(ServerState& state, const OrgSnapshot& org, const Metric& metric,
                                int year, const Hold& hold);

// A stored hold that no longer fits, and why (the message of the checks above).
struct HoldMisfit {
  Hold hold;
  std::string problem;
};

// The stored holds of (metric, year) that the checks above would refuse now: on an agent who
// is no longer active in the period, or more than the plan can carry (a hold that the stored
// plan could be re-cascaded without but not with). For plan check; by unit and month.
absl::StatusOr<std::vector<HoldMisfit>> FindStoredHoldsThatDoNotFit(ServerState& state,
                                                                    const OrgSnapshot& org,
                                                                    const Metric& metric, int year);

}  // namespace okr

#endif  // OKR_SERVICES_CORE_HOLD_CHECK_H_
