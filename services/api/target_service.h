#ifndef OKR_SERVICES_API_TARGET_SERVICE_H_
#define OKR_SERVICES_API_TARGET_SERVICE_H_

#include "okr/v1/plan.grpc.pb.h"
#include "services/core/server_state.h"

namespace okr {

// Thin gRPC handlers over plan_ops.h, plan_check.h and history.h.
class TargetServiceImpl final : public v1::TargetService::CallbackService {
 public:
  explicit TargetServiceImpl(ServerState& state) : state_(state) {}

  grpc::ServerUnaryReactor* SetTarget(grpc::CallbackServerContext* ctx,
                                      const v1::SetTargetRequest* request,
                                      v1::Target* reply) override;
  grpc::ServerUnaryReactor* Cascade(grpc::CallbackServerContext* ctx,
                                    const v1::CascadeRequest* request,
                                    v1::CascadeReply* reply) override;
  grpc::ServerUnaryReactor* Hold(grpc::CallbackServerContext* ctx, const v1::HoldRequest* request,
                                 v1::HoldReply* reply) override;
  grpc::ServerUnaryReactor* GetBreakdown(grpc::CallbackServerContext* ctx,
                                         const v1::BreakdownRequest* request,
                                         v1::Breakdown* reply) override;
  grpc::ServerUnaryReactor* History(grpc::CallbackServerContext* ctx,
                                    const v1::HistoryRequest* request,
                                    v1::HistoryReply* reply) override;
  grpc::ServerUnaryReactor* CheckPlans(grpc::CallbackServerContext* ctx,
                                       const v1::PlanCheckRequest* request,
                                       v1::PlanCheckReply* reply) override;

 private:
  ServerState& state_;
};

}  // namespace okr

#endif  // OKR_SERVICES_API_TARGET_SERVICE_H_
