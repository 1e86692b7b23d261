#include "services/api/target_service.h"

#include "services/api/rpc.h"
#include "services/core/history.h"
#include "services/core/plan_check.h"
#include "services/core/plan_ops.h"

namespace okr {

grpc::ServerUnaryReactor* TargetServiceImpl::SetTarget(grpc::CallbackServerContext* ctx,
                                                       const v1::SetTargetRequest* request,
                                                       v1::Target* reply) {
  return ServeUnary(state_, ctx, "/okr.v1.TargetService/SetTarget", request, reply,
                    [this](const Caller& caller, const auto& req, auto* out) {
                      return okr::SetTarget(state_, caller, req, out);
                    });
}

grpc::ServerUnaryReactor* TargetServiceImpl::Cascade(grpc::CallbackServerContext* ctx,
                                                     const v1::CascadeRequest* request,
                                                     v1::CascadeReply* reply) {
  return ServeUnary(state_, ctx, "/okr.v1.TargetService/Cascade", request, reply,
                    [this](const Caller& caller, const auto& req, auto* out) {
                      return RunCascade(state_, caller, req, out);
                    });
}

grpc::ServerUnaryReactor* TargetServiceImpl::Hold(grpc::CallbackServerContext* ctx,
                                                  const v1::HoldRequest* request,
                                                  v1::HoldReply* reply) {
  return ServeUnary(state_, ctx, "/okr.v1.TargetService/Hold", request, reply,
                    [this](const Caller& caller, const auto& req, auto* out) {
                      return SetHold(state_, caller, req, out);
                    });
}

grpc::ServerUnaryReactor* TargetServiceImpl::GetBreakdown(grpc::CallbackServerContext* ctx,
                                                          const v1::BreakdownRequest* request,
                                                          v1::Breakdown* reply) {
  return ServeUnary(state_, ctx, "/okr.v1.TargetService/GetBreakdown", request, reply,
                    [this](const Caller&, const auto& req, auto* out) {
                      return okr::GetBreakdown(state_, req, out);
                    });
}

grpc::ServerUnaryReactor* TargetServiceImpl::History(grpc::CallbackServerContext* ctx,
                                                     const v1::HistoryRequest* request,
                                                     v1::HistoryReply* reply) {
  return ServeUnary(state_, ctx, "/okr.v1.TargetService/History", request, reply,
                    [this](const Caller& caller, const auto& req, auto* out) {
                      return QueryHistory(state_, caller, req, out);
                    });
}

grpc::ServerUnaryReactor* TargetServiceImpl::CheckPlans(grpc::CallbackServerContext* ctx,
                                                        const v1::PlanCheckRequest* request,
                                                        v1::PlanCheckReply* reply) {
  return ServeUnary(state_, ctx, "/okr.v1.TargetService/CheckPlans", request, reply,
                    [this](const Caller& caller, const auto& req, auto* out) {
                      return okr::CheckPlans(state_, caller, req, out);
                    });
}

}  // namespace okr
