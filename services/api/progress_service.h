// okr.v1.ProgressService: progress of a unit, the leaderboard and the progress watch.
#ifndef OKR_SERVICES_API_PROGRESS_SERVICE_H_
#define OKR_SERVICES_API_PROGRESS_SERVICE_H_

#include "okr/v1/progress.grpc.pb.h"
#include "services/core/server_state.h"

namespace okr {

class ProgressServiceImpl final : public v1::ProgressService::CallbackService {
 public:
  explicit ProgressServiceImpl(ServerState& state) : state_(state) {}

  grpc::ServerUnaryReactor* GetProgress(grpc::CallbackServerContext* ctx,
                                        const v1::ProgressRequest* request,
                                        v1::ProgressReply* reply) override;
  grpc::ServerUnaryReactor* Leaderboard(grpc::CallbackServerContext* ctx,
                                        const v1::LeaderboardRequest* request,
                                        v1::LeaderboardReply* reply) override;
  grpc::ServerWriteReactor<v1::ProgressReply>* Watch(grpc::CallbackServerContext* ctx,
                                                     const v1::ProgressRequest* request) override;

 private:
  ServerState& state_;
};

}  // namespace okr

#endif  // OKR_SERVICES_API_PROGRESS_SERVICE_H_
