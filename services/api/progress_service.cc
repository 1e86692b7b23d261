#include "services/api/progress_service.h"

#include <algorithm>
#include <charconv>

#include "services/api/grpc_handoff.h"
#include "services/api/rpc.h"
#include "services/api/watch_reactor.h"
#include "services/core/pool_jobs.h"
#include "services/core/progress_ops.h"

namespace okr {

namespace {

constexpr std::string_view kWatch = "/okr.v1.ProgressService/Watch";

// Pushes the progress now and after every change of actuals below the unit.
class ProgressWatchReactor final : public WatchReactor<v1::ProgressReply> {
 public:
  ProgressWatchReactor(ServerState& state, grpc::CallbackServerContext* ctx,
                       const v1::ProgressRequest* request)
      : WatchReactor(state), request_(*request) {
    absl::StatusOr<Caller> caller = Authorize(state, ctx, kWatch, request->unit_id());
    if (caller.ok()) caller_ = *caller;
    Begin(caller, request->unit_id());
  }

 private:
  absl::StatusOr<std::vector<v1::ProgressReply>> Collect() override {
    std::vector<v1::ProgressReply> replies(1);
    absl::Status status = GetProgress(state_, caller_, request_, &replies[0]);
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
                      return okr::GetProgress(state_, caller, req, out);
                    });
}

grpc::ServerUnaryReactor* ProgressServiceImpl::Leaderboard(grpc::CallbackServerContext* ctx,
                                                           const v1::LeaderboardRequest* request,
                                                           v1::LeaderboardReply* reply) {
  return ServeUnary(state_, ctx, "/okr.v1.ProgressService/Leaderboard", request, reply,
                    [this](const Caller& caller, const auto& req, auto* out) {
                      return GetLeaderboard(state_, caller, req, out);
                    });
}

grpc::ServerWriteReactor<v1::ProgressReply>* ProgressServiceImpl::Watch(
    grpc::CallbackServerContext* ctx, const v1::ProgressRequest* request) {
  return new ProgressWatchReactor(state_, ctx, request);
}

}  // namespace okr
