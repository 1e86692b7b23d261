#include "services/api/admin_service.h"

#include "services/api/rpc.h"
#include "services/core/backup_ops.h"

namespace okr {

grpc::ServerUnaryReactor* AdminServiceImpl::Backup(grpc::CallbackServerContext* ctx,
                                                   const v1::BackupRequest* request,
                                                   v1::BackupReply* reply) {
  return ServeUnary(
      state_, ctx, "/okr.v1.AdminService/Backup", request, reply,
      [this](const Caller& caller, const v1::BackupRequest& req, v1::BackupReply* out) {
        auto backup = okr::Backup(state_, caller, req.dir());
        if (!backup.ok()) return backup.status();
        out->set_dir(backup->dir);
        out->set_bytes(backup->bytes);
        return absl::OkStatus();
      });
}

}  // namespace okr
