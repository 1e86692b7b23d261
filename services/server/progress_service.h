#ifndef OKR_SERVICES_SERVER_PROGRESS_SERVICE_H_
#define OKR_SERVICES_SERVER_PROGRESS_SERVICE_H_

#include "okr/v1/actuals.grpc.pb.h"
#include "okr/v1/progress.grpc.pb.h"
#include "services/server/server_state.h"

namespace okr {

class ActualsServiceImpl final : public v1::ActualsService::CallbackService {
 public:
  explicit ActualsServiceImpl(ServerState& state) : state_(state) {}

  grpc::ServerUnaryReactor* Ingest(grpc::CallbackServerContext* ctx,
                                   const v1::IngestRequest* request,
                                   v1::IngestReply* reply) override;
  grpc::ServerReadReactor<v1::CsvChunk>* ImportCsv(grpc::CallbackServerContext* ctx,
                                                   v1::IngestReply* reply) override;
  grpc::ServerBidiReactor<v1::IngestRequest, v1::IngestReply>* IngestStream(
      grpc::CallbackServerContext* ctx) override;
  grpc::ServerUnaryReactor* DeleteEvent(grpc::CallbackServerContext* ctx,
                                        const v1::DeleteEventRequest* request,
                                        v1::DeleteEventReply* reply) override;

 private:
  ServerState& state_;
};

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

#endif  // OKR_SERVICES_SERVER_PROGRESS_SERVICE_H_
