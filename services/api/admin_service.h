// okr.v1.AdminService: online backups.
#ifndef OKR_SERVICES_API_ADMIN_SERVICE_H_
#define OKR_SERVICES_API_ADMIN_SERVICE_H_

#include "okr/v1/explain.grpc.pb.h"
#include "services/core/server_state.h"

namespace okr {

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

#endif  // OKR_SERVICES_API_ADMIN_SERVICE_H_
