// A PlanDiff (services/domain/plan_diff.h) as a proposal stores it and as the audit history
// records it (services/api/plan_convert.h shows it). Also the stored rows it is computed from.
#ifndef OKR_SERVICES_CORE_PLAN_CHANGES_H_
#define OKR_SERVICES_CORE_PLAN_CHANGES_H_

#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "services/core/server_state.h"
#include "services/domain/cascade.h"
#include "services/domain/plan_diff.h"
#include "store/records.pb.h"

namespace okr {

// The stored rows of the units of `plan` that have one.
absl::StatusOr<std::map<std::string, MonthValues>> StoredRowsOf(ServerState& state,
                                                                const Metric& metric, int year,
                                                                const CascadePlan& plan);

// The rows a cascade plan writes, unit -> months: the plan's months, and for the months in
// which a unit sat outside the root (not covered) what is stored (0 if nothing); and what
// writing them changes, in the tree order below the root. Computed once, under plan_mu, for
// both the diff and WritePlan.
struct PlanChange {
  std::map<std::string, MonthValues> rows;
  PlanDiff diff;
};
absl::StatusOr<PlanChange> DiffAgainstStored(ServerState& state, const OrgSnapshot& org,
                                             const Metric& metric, int year,
                                             const std::string& root, const CascadePlan& plan);

void ToRecord(const PlanDiff& diff, store::ProposalRecord* out);
PlanDiff FromRecord(const store::ProposalRecord& record);

}  // namespace okr

#endif  // OKR_SERVICES_CORE_PLAN_CHANGES_H_
