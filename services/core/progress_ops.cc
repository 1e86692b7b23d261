#include "services/core/progress_ops.h"

#include <algorithm>
#include <cmath>

#include "services/core/access_policy.h"
#include "services/core/actuals_ops.h"
#include "services/core/plan_ops.h"
#include "services/domain/volume.h"

namespace okr {
namespace {

struct Query {
  Metric metric;
  Period period;
  Date as_of;
};

absl::StatusOr<Query> ResolveQuery(ServerState& state, const ProgressQuery& q) {
  if (q.unit_id.empty()) return absl::InvalidArgumentError("unit is required");
  if (state.org()->Find(q.unit_id) == nullptr) {
    return absl::NotFoundError("no unit '" + q.unit_id + "'");
  }
  auto metric = RequireMetric(state, q.metric_id);
  if (!metric.ok()) return metric.status();
  if (!q.period.ok()) return q.period.status();
  if (!q.as_of.ok()) return q.as_of.status();
  return Query{*metric, *q.period, q.as_of->value_or(state.clock().Today())};
}

absl::StatusOr<ProgressLine> LineOf(ServerState& state, const Query& q,
                                    const std::string& unit_id) {
  ProgressLine line;
  auto progress = UnitProgress(state, q.metric, unit_id, q.period, q.as_of, &line.events);
  if (!progress.ok()) return progress.status();
  line.unit_id = unit_id;
  if (const Unit* unit = state.org()->Find(unit_id)) line.unit_name = unit->name;
  line.progress = *progress;
  return line;
}

}  // namespace

absl::StatusOr<Progress> UnitProgress(ServerState& state, const Metric& metric,
                                      std::string_view unit_id, const Period& period,
                                      const Date& as_of, int64_t* events) {
  auto plan = LoadPlanRow(state, metric.id, period.year, unit_id);
  if (!plan.ok()) return plan.status();
  ActualSums sums;
  if (auto window = ActualsWindow(period, as_of)) {
    auto read = ReadActualSums(state, unit_id, metric.id, window->first, window->last);
    if (!read.ok()) return read.status();
    sums = *read;
  }
  if (events != nullptr) *events = sums.events;
  return ComputeProgress(metric, period, as_of, *plan, sums);
}

absl::StatusOr<ProgressReport> GetProgress(ServerState& state, const Caller& caller,
                                           const ProgressQuery& query, bool children) {
  RollupSnapshot snapshot(state.rollups());  // the unit and its children at one point in time
  auto q = ResolveQuery(state, query);
  if (!q.ok()) return q.status();
  ProgressReport report{q->metric.id, q->period, q->as_of, {}, {}};
  auto unit = LineOf(state, *q, query.unit_id);
  if (!unit.ok()) return unit.status();
  report.unit = *std::move(unit);
  if (!children) return report;
  auto org = state.org();
  for (const std::string& child : org->ChildrenEver(query.unit_id)) {
    if (!MayRead(caller, child, *org)) continue;
    auto line = LineOf(state, *q, child);
    if (!line.ok()) return line.status();
    report.children.push_back(*std::move(line));
  }
  return report;
}

absl::StatusOr<LeaderboardReport> GetLeaderboard(ServerState& state, const Caller& caller,
                                                 const LeaderboardQuery& query) {
  RollupSnapshot snapshot(state.rollups());  // every agent at one point in time
  auto q = ResolveQuery(state, query.progress);
  if (!q.ok()) return q.status();
  const bool ratio = q->metric.kind == MetricKind::kRatio;
  if (query.min_volume) {
    if (!ratio) {
      return absl::InvalidArgumentError(
          "min_volume applies to ratio metrics (their denominators); '" + q->metric.id +
          "' is a count metric");
    }
    if (!std::isfinite(*query.min_volume) || *query.min_volume < 0) {
      return absl::InvalidArgumentError("min_volume must be a number >= 0");
    }
  }
  LeaderboardReport report;
  report.metric_id = q->metric.id;
  report.period = q->period;
  report.min_volume = !ratio ? 0 : query.min_volume.value_or(kDefaultMinVolume);
  auto org = state.org();
  const auto window = ActualsWindow(q->period, q->as_of);
  // The agent's group as the period stands (a move mid-period: the group at its last day so far).
  const Date group_day = window ? window->last : q->period.FirstDay();
  std::vector<ProgressLine> rows;
  for (const std::string& agent : org->AgentsBelowEver(query.progress.unit_id)) {
    if (!MayRead(caller, agent, *org)) continue;
    auto row = LineOf(state, *q, agent);
    if (!row.ok()) return row.status();
    if (row->progress.status == ProgressStatus::kNoTarget) continue;
    ActualSums sums;
    if (window) {
      auto read = ReadActualSums(state, agent, q->metric.id, window->first, window->last);
      if (!read.ok()) return read.status();
      sums = *read;
    }
    row->volume = Volume(q->metric, sums);
    if (row->volume < report.min_volume) {
      ++report.below_min_volume;
      continue;
    }
    if (const Unit* unit = org->Find(agent)) {
      row->group_id = unit->ParentOn(group_day);
      if (const Unit* group = org->Find(row->group_id)) row->group_name = group->name;
    }
    rows.push_back(*std::move(row));
  }
  // Best first: the highest attainment of an "up" metric, the lowest actual of a "down" one
  // (attainment of a down metric is capped at 100 for an actual of 0, so it cannot rank none
  // above few). Agents without data last; ties by id for a stable order.
  const bool lowest_first = q->metric.direction == Direction::kDown;
  std::sort(rows.begin(), rows.end(), [&](const ProgressLine& a, const ProgressLine& b) {
    const bool a_data = a.progress.status != ProgressStatus::kNoData;
    const bool b_data = b.progress.status != ProgressStatus::kNoData;
    if (a_data != b_data) return a_data;
    if (lowest_first) {
      if (a.progress.actual != b.progress.actual) return a.progress.actual < b.progress.actual;
    } else if (a.progress.attainment_pct != b.progress.attainment_pct) {
      return a.progress.attainment_pct > b.progress.attainment_pct;
    }
    return a.unit_id < b.unit_id;
  });
  const size_t limit = query.limit == 0 ? 20 : query.limit;
  if (rows.size() > limit) rows.resize(limit);
  report.agents = std::move(rows);
  return report;
}

}  // namespace okr
