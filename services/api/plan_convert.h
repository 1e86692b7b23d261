// What a plan change moves, as okr.v1 shows it: shared by TargetService (a cascade's diff)
// and ReviewService (a proposal's changes).
#ifndef OKR_SERVICES_API_PLAN_CONVERT_H_
#define OKR_SERVICES_API_PLAN_CONVERT_H_

#include "okr/v1/plan.pb.h"
#include "services/domain/plan_diff.h"

namespace okr {

// The cells of `year` with their months as YYYY-MM.
void ToProto(const PlanDiff& diff, int year, v1::PlanDiff* out);

}  // namespace okr

#endif  // OKR_SERVICES_API_PLAN_CONVERT_H_
