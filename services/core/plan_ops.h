// Plan changes and reads: targets, holds, cascades, breakdowns. Each change checks its request,
// then, under ServerState::plan_mu (so concurrent changes serialise), runs a logged command whose
// Apply reads what it needs and writes everything (cells, version, audit) in one atomic batch.
#ifndef OKR_SERVICES_CORE_PLAN_OPS_H_
#define OKR_SERVICES_CORE_PLAN_OPS_H_

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "services/core/command_log.h"
#include "services/core/parsed_field.h"
#include "services/core/server_state.h"
#include "services/domain/calendar.h"
#include "services/domain/cascade.h"
#include "services/domain/plan_diff.h"
#include "store/records.pb.h"

namespace okr {

// A unit's year target for a metric, spread over the months by `seasonality` (12 weights) or,
// when it is empty, by the days of each month.
struct TargetChange {
  std::string unit_id;
  std::string metric_id;
  int year = 0;
  double value = 0;
  std::vector<double> seasonality;  // empty, or 12 weights
  std::string reason;
};
struct Target {
  std::string unit_id;
  std::string metric_id;
  int year = 0;
  double value = 0;
  std::vector<double> seasonality;
  std::string set_by;
};
absl::StatusOr<Target> SetTarget(ServerState& state, const Caller& caller,
                                 const TargetChange& change);

// Cascades a unit's target (or its stored months) down its subtree, for one metric or for
// every metric the unit has a target or a plan for; all of them are written or none.
struct CascadeRun {
  std::string unit_id;
  std::string metric_id;     // empty with all_metrics
  bool all_metrics = false;  // every metric with a target or plan on the unit
  int year = 0;
  Parsed<SplitMethod> method = SplitMethod::kFte;
  std::map<std::string, double> weights;  // child -> weight, with kWeights
  // (year, month) from which the months are spread again; nullopt: the whole year.
  Parsed<std::optional<std::pair<int, int>>> from_month = std::nullopt;
  bool dry_run = false;
  std::string reason;
};
// A unit's row of a plan as replies show it: its months and their year figure.
struct UnitPlan {
  std::string unit_id;
  double year_target = 0;
  MonthValues months{};
};
struct MetricCascade {
  std::string metric_id;
  size_t units = 0;  // rows the plan has
  std::optional<UnitPlan> root;
  std::vector<UnitPlan> children;  // each over the months it sat below the root
  PlanDiff diff;
  int64_t plan_version = 0;  // 0 on a dry run
};
struct CascadeResult {
  int year = 0;
  bool dry_run = false;
  std::vector<MetricCascade> metrics;  // by metric id
};
absl::StatusOr<CascadeResult> RunCascade(ServerState& state, const Caller& caller,
                                         const CascadeRun& run);

// Holds a unit's month (or its year total) at a value for the next cascades, or clears it.
struct HoldChange {
  std::string unit_id;
  std::string metric_id;
  Parsed<Period> period;  // YYYY or YYYY-MM
  double value = 0;
  bool clear = false;
  std::string reason;
};
struct HoldResult {
  std::string unit_id;
  std::string metric_id;
  Period period;
  bool held = false;  // false: cleared
  double value = 0;   // 0 when cleared
};
absl::StatusOr<HoldResult> SetHold(ServerState& state, const Caller& caller,
                                   const HoldChange& change);

// The changes of the plan commands (services/core/apply.h). ApplySetTarget's and ApplyCascade's
// `out` (may be null) gets the stored target and what the reply shows.
absl::Status ApplySetTarget(ServerState& state, const store::Command& command, Applied& applied,
                            store::TargetRecord* out);
absl::Status ApplyCascade(ServerState& state, const store::Command& command, Applied& applied,
                          CascadeResult* out);
absl::Status ApplySetHold(ServerState& state, const store::Command& command, Applied& applied);

// A unit's stored plan of a year: its months, its children's rows and its holds.
struct BreakdownQuery {
  std::string unit_id;
  std::string metric_id;
  int year = 0;
};
struct Breakdown {
  std::string unit_id;
  std::string metric_id;
  int year = 0;
  double year_target = 0;
  MonthValues months{};
  std::vector<UnitPlan> children;  // each over the months it sat below the unit
  std::vector<Period> held;        // the unit's holds: months, or the year
  int64_t plan_version = 0;
};
absl::StatusOr<Breakdown> GetBreakdown(ServerState& state, const BreakdownQuery& query);

// The pieces shared with review and explain.

// The stored months of (unit, metric, year), if a cascade wrote them.
absl::StatusOr<std::optional<MonthValues>> LoadPlanRow(ServerState& state,
                                                       std::string_view metric_id, int year,
                                                       std::string_view unit_id);
absl::StatusOr<std::vector<Hold>> LoadHolds(ServerState& state, std::string_view metric_id,
                                            int year);
// The period a hold of `year` is on: its month, or the year for a year total (month 0).
Period HeldPeriod(int year, int month);
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

// Adds the plan's `rows` (PlanChange::rows of services/core/plan_changes.h), a new plan version
// and nothing else to `batch`; returns the version.
// The root's row also records how it was split (method, weights, from_month) for explain.
// Rows are stamped as written at `now_unix_micros` (the command's accepted time). With a
// plan cascaded with want_row_trace, each row also stores its trace (services/core/
// plan_trace.h): of every covered month, or only of `traced_month` when it is 1..12 (the
// month a proposal re-spread), the other months keeping the trace stored before.
absl::StatusOr<int64_t> WritePlan(ServerState& state, store::Batch& batch, const Metric& metric,
                                  int year, const std::string& root, const CascadePlan& plan,
                                  const std::map<std::string, MonthValues>& rows,
                                  const CascadeRequest& request, int64_t now_unix_micros,
                                  int traced_month = 0);

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
                                                       const Parsed<std::pair<int, int>>& month);

// Validates and finds a metric: NotFound names it.
absl::StatusOr<Metric> RequireMetric(const ServerState& state, std::string_view metric_id);
// Targets and holds: INVALID_ARGUMENT unless finite and >= 0; OUT_OF_RANGE above 10^15 (the
// cascade's bound, services/domain/cascade.h).
inline constexpr double kMaxPlanValue = 1e15;
absl::Status CheckPlanValue(double value, std::string_view what);
// OUT_OF_RANGE when a percentage ratio (scale 100) is given a target or hold above 100.
absl::Status CheckPercentage(const Metric& metric, double value, std::string_view what);

}  // namespace okr

#endif  // OKR_SERVICES_CORE_PLAN_OPS_H_
