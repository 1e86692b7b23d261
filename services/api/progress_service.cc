#include "services/api/progress_service.h"

#include <algorithm>
#include <charconv>

#include "services/api/grpc_handoff.h"
#include "services/api/request_fields.h"
#include "services/api/rpc.h"
#include "services/api/watch_reactor.h"
#include "services/core/pool_jobs.h"
#include "services/core/progress_ops.h"

namespace okr {

namespace {

constexpr std::string_view kWatch = "/okr.v1.ProgressService/Watch";

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

v1::Progress ToProto(const ProgressLine& line, const std::string& metric_id, const Period& period) {
  v1::Progress out;
  out.set_unit_id(line.unit_id);
  out.set_unit_name(line.unit_name);
  out.set_metric_id(metric_id);
  out.set_period(period.ToString());
  out.set_target(line.progress.target);
  out.set_actual(line.progress.actual);
  out.set_attainment_pct(line.progress.attainment_pct);
  out.set_expected_to_date(line.progress.expected_to_date);
  out.set_status(ToProto(line.progress.status));
  out.set_status_name(std::string(ProgressStatusName(line.progress.status)));
  out.set_events(line.events);
  out.set_group_id(line.group_id);
  out.set_group_name(line.group_name);
  out.set_volume(line.volume);
  return out;
}

// The request's period and as-of day (unset: today, at each evaluation).
ProgressQuery QueryOf(const std::string& unit_id, const std::string& metric_id,
                      const std::string& period, const std::string& as_of) {
  return ProgressQuery{unit_id, metric_id, Period::Parse(period),
                       ParseOptionalDateField("as_of", as_of)};
}

absl::Status ReplyProgress(ServerState& state, const Caller& caller, const v1::ProgressRequest& req,
                           v1::ProgressReply* out) {
  auto report =
      GetProgress(state, caller, QueryOf(req.unit_id(), req.metric_id(), req.period(), req.as_of()),
                  req.children());
  if (!report.ok()) return report.status();
  out->set_as_of(report->as_of.ToString());
  *out->mutable_progress() = ToProto(report->unit, report->metric_id, report->period);
  for (const ProgressLine& child : report->children) {
    *out->add_children() = ToProto(child, report->metric_id, report->period);
  }
  return absl::OkStatus();
}

absl::Status ReplyLeaderboard(ServerState& state, const Caller& caller,
                              const v1::LeaderboardRequest& req, v1::LeaderboardReply* out) {
  std::optional<double> min_volume;
  if (req.has_min_volume()) min_volume = req.min_volume();
  auto board = GetLeaderboard(state, caller,
                              {QueryOf(req.unit_id(), req.metric_id(), req.period(), req.as_of()),
                               req.limit(), min_volume});
  if (!board.ok()) return board.status();
  out->set_min_volume(board->min_volume);
  out->set_below_min_volume(board->below_min_volume);
  for (const ProgressLine& agent : board->agents) {
    *out->add_agents() = ToProto(agent, board->metric_id, board->period);
  }
  return absl::OkStatus();
}

// Pushes the progress now and after every change of actuals below the unit.
class ProgressWatchReactor final : public WatchReactor<v1::ProgressReply> {
 public:
  ProgressWatchReactor(ServerState& state, grpc::CallbackServerContext* ctx,
                       const v1::ProgressRequest* request)
      : WatchReactor(state, ctx, kWatch), request_(*request) {
    absl::StatusOr<Caller> caller = Authorize(state, ctx, kWatch, request->unit_id());
    if (caller.ok()) caller_ = *caller;
    Begin(caller, request->unit_id());
  }

 private:
  absl::StatusOr<std::vector<v1::ProgressReply>> Collect() override {
    std::vector<v1::ProgressReply> replies(1);
    absl::Status status = ReplyProgress(state_, caller_, request_, &replies[0]);
    if (!status.ok()) return status;
    return replies;
  }

  v1::ProgressRequest request_;
  Caller caller_;
};

}  // namespace

grpc::ServerUnaryReactor* ProgressServiceImpl::GetProgress(grpc::CallbackServerContext* ctx,
                                                           const v1::ProgressRequest* request,
                                                           v1::ProgressReply* reply) {
  return ServeUnary(state_, ctx, "/okr.v1.ProgressService/GetProgress", request, reply,
                    [this](const Caller& caller, const auto& req, auto* out) {
                      return ReplyProgress(state_, caller, req, out);
                    });
}

grpc::ServerUnaryReactor* ProgressServiceImpl::Leaderboard(grpc::CallbackServerContext* ctx,
                                                           const v1::LeaderboardRequest* request,
                                                           v1::LeaderboardReply* reply) {
  return ServeUnary(state_, ctx, "/okr.v1.ProgressService/Leaderboard", request, reply,
                    [this](const Caller& caller, const auto& req, auto* out) {
                      return ReplyLeaderboard(state_, caller, req, out);
                    });
}

grpc::ServerWriteReactor<v1::ProgressReply>* ProgressServiceImpl::Watch(
    grpc::CallbackServerContext* ctx, const v1::ProgressRequest* request) {
  return new ProgressWatchReactor(state_, ctx, request);
}

}  // namespace okr
