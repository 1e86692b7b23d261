// okr.v1.ExplainService: why a target, a status, a payout.
#ifndef OKR_SERVICES_API_EXPLAIN_SERVICE_H_
#define OKR_SERVICES_API_EXPLAIN_SERVICE_H_

#include "okr/v1/explain.grpc.pb.h"
#include "services/core/server_state.h"

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

}  // namespace okr

#endif  // OKR_SERVICES_API_EXPLAIN_SERVICE_H_
