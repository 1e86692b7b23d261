// Plan changes and reads: targets, holds, cascades, breakdowns. Each change validates, reads
// what it needs, and writes everything (cells, version, audit) in one atomic batch under
// ServerState::plan_mu, so concurrent changes serialise.
#ifndef OKR_SERVICES_CORE_PLAN_OPS_H_
#define OKR_SERVICES_CORE_PLAN_OPS_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "okr/v1/plan.pb.h"
#include "services/core/server_state.h"
#include "services/domain/cascade.h"
#include "store/records.pb.h"

namespace okr {

absl::Status SetTarget(ServerState& state, const Caller& caller, const v1::SetTargetRequest& req,
                       v1::Target* out);
absl::Status RunCascade(ServerState& state, const Caller& caller, const v1::CascadeRequest& req,
                        v1::CascadeReply* out);
absl::Status SetHold(ServerState& state, const Caller& caller, const v1::HoldRequest& req,
                     v1::HoldReply* out);
absl::Status GetBreakdown(ServerState& state, const v1::BreakdownRequest& req, v1::Breakdown* out);

// The pieces shared with review and explain.

// The stored months of (unit, metric, year), if a cascade wrote them.
absl::StatusOr<std::optional<MonthValues>> LoadPlanRow(ServerState& state,
                                                       std::string_view metric_id, int year,
                                                       std::string_view unit_id);
absl::StatusOr<std::vector<Hold>> LoadHolds(ServerState& state, std::string_view metric_id,
                                            int year);
// Every stored plan row of (metric, year), by unit.
absl::StatusOr<std::map<std::string, store::PlanRecord>> LoadPlanRows(ServerState& state,
                                                                      std::string_view metric_id,
                                                                      int year);

// The request for the domain cascade of `root` as things are stored now (target or stored
// months, holds, previous plan); `extra_holds` are added as if stored (review approvals).
absl::StatusOr<CascadeRequest> BuildCascadeRequest(ServerState& state, const Metric& metric,
                                                   int year, const std::string& root,
                                                   SplitMethod method,
                                                   std::map<std::string, double> weights,
                                                   int from_month);

// Adds the plan's rows, a new plan version and nothing else to `batch`; returns the version.
// The root's row also records how it was split (method, weights, from_month) for explain.
absl::StatusOr<int64_t> WritePlan(ServerState& state, store::Batch& batch, const Metric& metric,
                                  int year, const std::string& root, const CascadePlan& plan,
                                  const CascadeRequest& request);

// The year figure of a row: the sum (count) or the mean (ratio) of its months.
double YearFigure(const Metric& metric, const MonthValues& months);

// A request's unit, metric and month, checked: NotFound names what is unknown.
struct UnitMetricMonth {
  const Unit* unit = nullptr;
  Metric metric;
  int year = 0;
  int month = 0;
};
absl::StatusOr<UnitMetricMonth> ResolveUnitMetricMonth(const ServerState& state,
                                                       const OrgSnapshot& org,
                                                       std::string_view unit_id,
                                                       std::string_view metric_id,
                                                       std::string_view month);

// Validates and finds a metric: NotFound names it.
absl::StatusOr<Metric> RequireMetric(const ServerState& state, std::string_view metric_id);
absl::Status RequireYear(int year);
// Targets and holds: INVALID_ARGUMENT unless finite and >= 0; OUT_OF_RANGE above 10^15 (the
// cascade's bound, services/domain/cascade.h).
inline constexpr double kMaxPlanValue = 1e15;
absl::Status CheckPlanValue(double value, std::string_view what);
// OUT_OF_RANGE when a percentage ratio (scale 100) is given a target or hold above 100.
absl::Status CheckPercentage(const Metric& metric, double value, std::string_view what);

}  // namespace okr

#endif  // OKR_SERVICES_CORE_PLAN_OPS_H_
