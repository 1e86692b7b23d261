#include "services/api/close_service.h"

#include "services/api/rpc.h"
#include "services/core/kudos.h"
#include "services/core/outcomes.h"
#include "services/core/plugin_ops.h"

namespace okr {

grpc::ServerUnaryReactor* CloseServiceImpl::ClosePeriod(grpc::CallbackServerContext* ctx,
                                                        const v1::ClosePeriodRequest* request,
                                                        v1::ClosePeriodReply* reply) {
  return ServeUnary(
      state_, ctx, "/okr.v1.CloseService/ClosePeriod", request, reply,
      [this](const Caller& caller, const v1::ClosePeriodRequest& req, v1::ClosePeriodReply* out) {
        return okr::ClosePeriod(state_, caller, req.month(), out);
      });
}

grpc::ServerUnaryReactor* CloseServiceImpl::ListPayouts(grpc::CallbackServerContext* ctx,
                                                        const v1::ListOutcomesRequest* request,
                                                        v1::ListPayoutsReply* reply) {
  return ServeUnary(
      state_, ctx, "/okr.v1.CloseService/ListPayouts", request, reply,
      [this](const Caller& caller, const v1::ListOutcomesRequest& req, v1::ListPayoutsReply* out) {
        if (absl::Status s = ParseYearMonth(req.month()).status(); !s.ok()) return s;
        auto payouts = LoadPayouts(state_, req.month());
        if (!payouts.ok()) return payouts.status();
        auto org = state_.org();
        const std::string scope = ScopeUnit(caller, req.unit_id());
        for (const auto& p : *payouts) {
          if (!scope.empty() && !org->IsInSubtreeEver(scope, p.unit_id())) continue;
          if (!MayRead(caller, p.unit_id(), *org)) continue;
          *out->add_payouts() = okr::ToProto(p);
        }
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* CloseServiceImpl::ListAwards(grpc::CallbackServerContext* ctx,
                                                       const v1::ListOutcomesRequest* request,
                                                       v1::ListAwardsReply* reply) {
  return ServeUnary(
      state_, ctx, "/okr.v1.CloseService/ListAwards", request, reply,
      [this](const Caller& caller, const v1::ListOutcomesRequest& req, v1::ListAwardsReply* out) {
        if (absl::Status s = ParseYearMonth(req.month()).status(); !s.ok()) return s;
        auto awards = LoadAwards(state_, req.month());
        if (!awards.ok()) return awards.status();
        auto org = state_.org();
        const std::string scope = ScopeUnit(caller, req.unit_id());
        for (const auto& a : *awards) {
          if (!scope.empty() && !org->IsInSubtreeEver(scope, a.unit_id())) continue;
          if (!MayRead(caller, a.unit_id(), *org)) continue;
          *out->add_awards() = okr::ToProto(a);
        }
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* CloseServiceImpl::GiveKudos(grpc::CallbackServerContext* ctx,
                                                      const v1::GiveKudosRequest* request,
                                                      v1::GiveKudosReply* reply) {
  return ServeUnary(state_, ctx, "/okr.v1.CloseService/GiveKudos", request, reply,
                    [this](const Caller& caller, const auto& req, auto* out) {
                      return okr::GiveKudos(state_, caller, req, out);
                    });
}

grpc::ServerUnaryReactor* CloseServiceImpl::ListKudos(grpc::CallbackServerContext* ctx,
                                                      const v1::ListKudosRequest* request,
                                                      v1::ListKudosReply* reply) {
  return ServeUnary(state_, ctx, "/okr.v1.CloseService/ListKudos", request, reply,
                    [this](const Caller& caller, const auto& req, auto* out) {
                      return okr::ListKudos(state_, caller, req, out);
                    });
}

}  // namespace okr
