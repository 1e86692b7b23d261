#ifndef OKR_SERVICES_SERVER_EXPLAIN_SERVICE_H_
#define OKR_SERVICES_SERVER_EXPLAIN_SERVICE_H_

#include "okr/v1/explain.grpc.pb.h"
#include "services/server/server_state.h"

namespace okr {

class ExplainServiceImpl final : public v1::ExplainService::CallbackService {
 public:
  explicit ExplainServiceImpl(ServerState& state) : state_(state) {}
  grpc::ServerUnaryReactor* Explain(grpc::CallbackServerContext* ctx,
                                    const v1::ExplainRequest* request,
                                    v1::Explanation* reply) override;

 private:
  ServerState& state_;
};

class AdminServiceImpl final : public v1::AdminService::CallbackService {
 public:
  explicit AdminServiceImpl(ServerState& state) : state_(state) {}
  grpc::ServerUnaryReactor* Backup(grpc::CallbackServerContext* ctx,
                                   const v1::BackupRequest* request,
                                   v1::BackupReply* reply) override;

 private:
  ServerState& state_;
};

}  // namespace okr

#endif  // OKR_SERVICES_SERVER_EXPLAIN_SERVICE_H_
