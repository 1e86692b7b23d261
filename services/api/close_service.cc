#include "services/api/close_service.h"

#include "services/api/outcome_convert.h"
#include "services/api/rpc.h"
#include "services/core/kudos.h"
#include "services/core/outcome_list.h"
#include "services/core/outcomes.h"
#include "services/core/plugin_ops.h"

namespace okr {
namespace {

void ToProto(const CloseResult& result, v1::ClosePeriodReply* out) {
  for (const std::string& problem : result.problems) out->add_problems(problem);
  out->set_month(result.month);
  out->set_payouts(static_cast<uint32_t>(result.payouts));
  out->set_awards(static_cast<uint32_t>(result.awards));
  out->set_close_version(result.close_version);
}

v1::Kudos ToProto(const KudosEntry& entry) {
  v1::Kudos k;
  k.set_kudos_id(entry.kudos_id);
  k.set_giver(entry.giver);
  k.set_giver_role(std::string(RoleName(entry.giver_role)));
  k.set_receiver_id(entry.receiver_id);
  k.set_receiver_name(entry.receiver_name);
  k.set_reason(entry.reason);
  k.set_date(entry.date);
  k.set_peer(entry.peer);
  return k;
}

}  // namespace

grpc::ServerUnaryReactor* CloseServiceImpl::ClosePeriod(grpc::CallbackServerContext* ctx,
                                                        const v1::ClosePeriodRequest* request,
                                                        v1::ClosePeriodReply* reply) {
  return ServeUnary(
      state_, ctx, "/okr.v1.CloseService/ClosePeriod", request, reply,
      [this](const Caller& caller, const v1::ClosePeriodRequest& req, v1::ClosePeriodReply* out) {
        auto month = ParseYearMonth(req.month());
        if (!month.ok()) return month.status();
        auto closed = okr::ClosePeriod(state_, caller, month->first, month->second);
        if (!closed.ok()) return closed.status();
        ToProto(*closed, out);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* CloseServiceImpl::ListPayouts(grpc::CallbackServerContext* ctx,
                                                        const v1::ListOutcomesRequest* request,
                                                        v1::ListPayoutsReply* reply) {
  return ServeUnary(
      state_, ctx, "/okr.v1.CloseService/ListPayouts", request, reply,
      [this](const Caller& caller, const v1::ListOutcomesRequest& req, v1::ListPayoutsReply* out) {
        if (absl::Status s = ParseYearMonth(req.month()).status(); !s.ok()) return s;
        auto page = ParsePageRequest("payouts", req.limit(), req.page_token());
        if (!page.ok()) return page.status();
        auto payouts = ListPayoutsPage(state_, caller, {req.month(), req.unit_id(), *page});
        if (!payouts.ok()) return payouts.status();
        for (const auto& p : payouts->records) *out->add_payouts() = okr::ToProto(p);
        out->set_next_page_token(PageToken("payouts", payouts->next_cursor));
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
        auto page = ParsePageRequest("awards", req.limit(), req.page_token());
        if (!page.ok()) return page.status();
        auto awards = ListAwardsPage(state_, caller, {req.month(), req.unit_id(), *page});
        if (!awards.ok()) return awards.status();
        for (const auto& a : awards->records) *out->add_awards() = okr::ToProto(a);
        out->set_next_page_token(PageToken("awards", awards->next_cursor));
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* CloseServiceImpl::GiveKudos(grpc::CallbackServerContext* ctx,
                                                      const v1::GiveKudosRequest* request,
                                                      v1::GiveKudosReply* reply) {
  return ServeUnary(
      state_, ctx, "/okr.v1.CloseService/GiveKudos", request, reply,
      [this](const Caller& caller, const v1::GiveKudosRequest& req, v1::GiveKudosReply* out) {
        auto id = okr::GiveKudos(state_, caller, {req.to_unit_id(), req.reason()});
        if (!id.ok()) return id.status();
        out->set_kudos_id(*id);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* CloseServiceImpl::ListKudos(grpc::CallbackServerContext* ctx,
                                                      const v1::ListKudosRequest* request,
                                                      v1::ListKudosReply* reply) {
  return ServeUnary(
      state_, ctx, "/okr.v1.CloseService/ListKudos", request, reply,
      [this](const Caller& caller, const v1::ListKudosRequest& req, v1::ListKudosReply* out) {
        auto page = ParsePageRequest("kudos", req.limit(), req.page_token());
        if (!page.ok()) return page.status();
        KudosQuery query{req.unit_id(), std::nullopt, *page};
        if (!req.month().empty()) {
          auto month = ParseYearMonth(req.month());
          if (!month.ok()) return month.status();
          query.month = *month;
        }
        auto kudos = okr::ListKudos(state_, caller, query);
        if (!kudos.ok()) return kudos.status();
        for (const KudosEntry& entry : kudos->entries) *out->add_kudos() = ToProto(entry);
        out->set_next_page_token(PageToken("kudos", kudos->next_cursor));
        return absl::OkStatus();
      });
}

}  // namespace okr
