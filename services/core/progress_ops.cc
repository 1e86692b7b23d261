#include "services/core/progress_ops.h"

#include <algorithm>
#include <cmath>

#include "services/core/access_policy.h"
#include "services/core/actuals_ops.h"
#include "services/core/plan_ops.h"
#include "services/domain/volume.h"

namespace okr {
namespace {

v1::ProgressStatus ToProto(ProgressStatus status) {
  switch (status) {
    case ProgressStatus::kNoTarget:
      return v1::PROGRESS_STATUS_NO_TARGET;
    case ProgressStatus::kNoData:
      return v1::PROGRESS_STATUS_NO_DATA;
    case ProgressStatus::kOnTrack:
      return v1::PROGRESS_STATUS_ON_TRACK;
    case ProgressStatus::kAtRisk:
      return v1::PROGRESS_STATUS_AT_RISK;
    case ProgressStatus::kOffTrack:
      return v1::PROGRESS_STATUS_OFF_TRACK;
    case ProgressStatus::kAchieved:
      return v1::PROGRESS_STATUS_ACHIEVED;
    case ProgressStatus::kMissed:
      return v1::PROGRESS_STATUS_MISSED;
  }
  return v1::PROGRESS_STATUS_UNSPECIFIED;
}

struct Query {
  Metric metric;
  Period period;
  Date as_of;
};

absl::StatusOr<Query> ParseQuery(ServerState& state, std::string_view unit_id,
                                 std::string_view metric_id, std::string_view period,
                                 std::string_view as_of) {
  if (unit_id.empty()) return absl::InvalidArgumentError("unit is required");
  if (state.org()->Find(unit_id) == nullptr) {
    return absl::NotFoundError("no unit '" + std::string(unit_id) + "'");
  }
  Query query;
  auto metric = RequireMetric(state, metric_id);
  if (!metric.ok()) return metric.status();
  query.metric = *metric;
  auto parsed = Period::Parse(period);
  if (!parsed.ok()) return parsed.status();
  query.period = *parsed;
  if (as_of.empty()) {
    query.as_of = state.clock().Today();
  } else {
    auto day = Date::Parse(as_of);
    if (!day.ok())
      return absl::InvalidArgumentError("as_of: " + std::string(day.status().message()));
    query.as_of = *day;
  }
  return query;
}

absl::Status FillProgress(ServerState& state, const Query& q, const std::string& unit_id,
                          v1::Progress* out) {
  int64_t events = 0;
  auto progress = UnitProgress(state, q.metric, unit_id, q.period, q.as_of, &events);
  if (!progress.ok()) return progress.status();
  out->set_unit_id(unit_id);
  if (const Unit* unit = state.org()->Find(unit_id)) out->set_unit_name(unit->name);
  out->set_metric_id(q.metric.id);
  out->set_period(q.period.ToString());
  out->set_target(progress->target);
  out->set_actual(progress->actual);
  out->set_attainment_pct(progress->attainment_pct);
  out->set_expected_to_date(progress->expected_to_date);
  out->set_status(ToProto(progress->status));
  out->set_status_name(std::string(ProgressStatusName(progress->status)));
  out->set_events(events);
  return absl::OkStatus();
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

absl::Status GetProgress(ServerState& state, const Caller& caller, const v1::ProgressRequest& req,
                         v1::ProgressReply* out) {
  store::ReadSnapshot snapshot(state.db());  // the unit and its children at one point in time
  auto query = ParseQuery(state, req.unit_id(), req.metric_id(), req.period(), req.as_of());
  if (!query.ok()) return query.status();
  out->set_as_of(query->as_of.ToString());
  if (absl::Status s = FillProgress(state, *query, req.unit_id(), out->mutable_progress());
      !s.ok()) {
    return s;
  }
  if (!req.children()) return absl::OkStatus();
  auto org = state.org();
  for (const std::string& child : org->ChildrenEver(req.unit_id())) {
    if (!MayRead(caller, child, *org)) continue;
    if (absl::Status s = FillProgress(state, *query, child, out->add_children()); !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

absl::Status GetLeaderboard(ServerState& state, const Caller& caller,
                            const v1::LeaderboardRequest& req, v1::LeaderboardReply* out) {
  store::ReadSnapshot snapshot(state.db());  // every agent at one point in time
  auto query = ParseQuery(state, req.unit_id(), req.metric_id(), req.period(), req.as_of());
  if (!query.ok()) return query.status();
  const bool ratio = query->metric.kind == MetricKind::kRatio;
  if (req.has_min_volume()) {
    if (!ratio) {
      return absl::InvalidArgumentError(
          "min_volume applies to ratio metrics (their denominators); '" + query->metric.id +
          "' is a count metric");
    }
    if (!std::isfinite(req.min_volume()) || req.min_volume() < 0) {
      return absl::InvalidArgumentError("min_volume must be a number >= 0");
    }
  }
  const double min_volume = !ratio                 ? 0
                            : req.has_min_volume() ? req.min_volume()
                                                   : kDefaultMinVolume;
  out->set_min_volume(min_volume);
  auto org = state.org();
  const auto window = ActualsWindow(query->period, query->as_of);
  // The agent's group as the period stands (a move mid-period: the group at its last day so far).
  const Date group_day = window ? window->last : query->period.FirstDay();
  std::vector<v1::Progress> rows;
  for (const std::string& agent : org->AgentsBelowEver(req.unit_id())) {
    if (!MayRead(caller, agent, *org)) continue;
    v1::Progress row;
    if (absl::Status s = FillProgress(state, *query, agent, &row); !s.ok()) return s;
    if (row.status() == v1::PROGRESS_STATUS_NO_TARGET) continue;
    ActualSums sums;
    if (window) {
      auto read = ReadActualSums(state, agent, query->metric.id, window->first, window->last);
      if (!read.ok()) return read.status();
      sums = *read;
    }
    row.set_volume(Volume(query->metric, sums));
    if (row.volume() < min_volume) {
      out->set_below_min_volume(out->below_min_volume() + 1);
      continue;
    }
    if (const Unit* unit = org->Find(agent)) {
      row.set_group_id(unit->ParentOn(group_day));
      if (const Unit* group = org->Find(row.group_id())) row.set_group_name(group->name);
    }
    rows.push_back(std::move(row));
  }
  // Best first: the highest attainment of an "up" metric, the lowest actual of a "down" one
  // (attainment of a down metric is capped at 100 for an actual of 0, so it cannot rank none
  // above few). Agents without data last; ties by id for a stable order.
  const bool lowest_first = query->metric.direction == Direction::kDown;
  std::sort(rows.begin(), rows.end(), [&](const v1::Progress& a, const v1::Progress& b) {
    const bool a_data = a.status() != v1::PROGRESS_STATUS_NO_DATA;
    const bool b_data = b.status() != v1::PROGRESS_STATUS_NO_DATA;
    if (a_data != b_data) return a_data;
    if (lowest_first) {
      if (a.actual() != b.actual()) return a.actual() < b.actual();
    } else if (a.attainment_pct() != b.attainment_pct()) {
      return a.attainment_pct() > b.attainment_pct();
    }
    return a.unit_id() < b.unit_id();
  });
  const size_t limit = req.limit() == 0 ? 20 : req.limit();
  for (size_t i = 0; i < rows.size() && i < limit; ++i) *out->add_agents() = std::move(rows[i]);
  return absl::OkStatus();
}

}  // namespace okr
