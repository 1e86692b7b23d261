#include "services/server/explain_service.h"

#include "services/server/backup_ops.h"
#include "services/server/explain_ops.h"
#include "services/server/rpc.h"

namespace okr {

grpc::ServerUnaryReactor* ExplainServiceImpl::Explain(grpc::CallbackServerContext* ctx,
                                                      const v1::ExplainRequest* request,
                                                      v1::Explanation* reply) {
  return ServeUnary(state_, ctx, "/okr.v1.ExplainService/Explain", request, reply,
                    [this](const Caller& caller, const auto& req, auto* out) {
                      return okr::Explain(state_, caller, req, out);
                    });
}

grpc::ServerUnaryReactor* AdminServiceImpl::Backup(grpc::CallbackServerContext* ctx,
                                                   const v1::BackupRequest* request,
                                                   v1::BackupReply* reply) {
  return ServeUnary(state_, ctx, "/okr.v1.AdminService/Backup", request, reply,
                    [this](const Caller& caller, const auto& req, auto* out) {
                      return okr::Backup(state_, caller, req, out);
                    });
}

}  // namespace okr
