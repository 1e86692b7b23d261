// What a plan change moves, as okr.v1 shows it: shared by TargetService (a cascade's diff)
// and ReviewService (a proposal's changes).
#ifndef OKR_SERVICES_API_PLAN_CONVERT_H_
#define OKR_SERVICES_API_PLAN_CONVERT_H_

#include "okr/v1/plan.pb.h"
#include "services/domain/plan_diff.h"

namespace okr {

// The cells of `year` with their months as YYYY-MM.
// The most cells, and the most units, a reply lists (v1::PlanDiff): 10,000 cells are about
// 400 KB, where a first cascade over 100,000 agents moves 1.2 million (36 MB, more than a
// gRPC message may hold).
inline constexpr size_t kMaxDiffItemsInReply = 10000;

// The first kMaxDiffItemsInReply cells and units of `diff`, and its whole counts.
void ToProto(const PlanDiff& diff, int year, v1::PlanDiff* out);

}  // namespace okr

#endif  // OKR_SERVICES_API_PLAN_CONVERT_H_
