#include "services/api/explain_service.h"

#include "services/api/rpc.h"
#include "services/core/explain_ops.h"

namespace okr {

grpc::ServerUnaryReactor* ExplainServiceImpl::Explain(grpc::CallbackServerContext* ctx,
                                                      const v1::ExplainRequest* request,
                                                      v1::Explanation* reply) {
  return ServeUnary(state_, ctx, "/okr.v1.ExplainService/Explain", request, reply,
                    [this](const Caller& caller, const auto& req, auto* out) {
                      return okr::Explain(state_, caller, req, out);
                    });
}

}  // namespace okr
