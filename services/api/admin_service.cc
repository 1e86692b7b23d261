#include "services/api/admin_service.h"

#include "services/api/rpc.h"
#include "services/core/backup_ops.h"

namespace okr {

grpc::ServerUnaryReactor* AdminServiceImpl::Backup(grpc::CallbackServerContext* ctx,
                                                   const v1::BackupRequest* request,
                                                   v1::BackupReply* reply) {
  return ServeUnary(state_, ctx, "/okr.v1.AdminService/Backup", request, reply,
                    [this](const Caller& caller, const auto& req, auto* out) {
                      return okr::Backup(state_, caller, req, out);
                    });
}

}  // namespace okr
