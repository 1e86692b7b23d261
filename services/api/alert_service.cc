#include "services/api/alert_service.h"

#include "services/api/outcome_convert.h"
#include "services/api/rpc.h"
#include "services/api/watch_reactor.h"
#include "services/core/alert_list.h"
#include "services/core/alerts.h"
#include "services/core/outcomes.h"

namespace okr {

namespace {

constexpr std::string_view kWatchAlerts = "/okr.v1.AlertService/WatchAlerts";

// The reply of an acknowledge or resolve.
absl::Status ReplyAlert(const absl::StatusOr<store::AlertRecord>& alert, v1::Alert* out) {
  if (!alert.ok()) return alert.status();
  *out = okr::ToProto(*alert);
  return absl::OkStatus();
}

// Streams alerts the caller may see as they open, escalate or change state; the first
// messages are the current matching alerts.
class AlertWatchReactor final : public WatchReactor<v1::Alert> {
 public:
  AlertWatchReactor(ServerState& state, grpc::CallbackServerContext* ctx,
                    const v1::ListAlertsRequest* request)
      : WatchReactor(state, ctx, kWatchAlerts), request_(*request) {
    absl::StatusOr<Caller> caller = Authorize(state, ctx, kWatchAlerts, request->unit_id());
    if (caller.ok()) caller_ = *caller;
    Begin(caller, std::string(kAlertsTopic));
  }

 private:
  // Alerts not sent yet in their current state. Collects of one stream may overlap (one is
  // posted per touch), hence the lock on `seen_`.
  absl::StatusOr<std::vector<v1::Alert>> Collect() override {
    auto alerts = LoadAlerts(state_);
    if (!alerts.ok()) return alerts.status();
    auto org = state_.org();
    std::lock_guard<std::mutex> lock(seen_mu_);
    std::vector<v1::Alert> out;
    for (const auto& r : *alerts) {
      if (!MayReadInScope(caller_, request_.unit_id(), r.unit_id(), *org)) continue;
      if (request_.status() != v1::ALERT_STATUS_UNSPECIFIED && r.status() != request_.status()) {
        continue;
      }
      const std::string fingerprint =
          std::to_string(r.status()) + "/" + std::to_string(r.escalation_level());
      std::string& seen = seen_[r.alert_id()];
      if (seen == fingerprint) continue;
      seen = fingerprint;
      out.push_back(okr::ToProto(r));
    }
    return out;
  }

  v1::ListAlertsRequest request_;
  Caller caller_;
  std::mutex seen_mu_;
  std::map<std::string, std::string> seen_;
};

}  // namespace

grpc::ServerUnaryReactor* AlertServiceImpl::ListAlerts(grpc::CallbackServerContext* ctx,
                                                       const v1::ListAlertsRequest* request,
                                                       v1::ListAlertsReply* reply) {
  return ServeUnary(
      state_, ctx, "/okr.v1.AlertService/ListAlerts", request, reply,
      [this](const Caller& caller, const v1::ListAlertsRequest& req, v1::ListAlertsReply* out) {
        auto page = ParsePageRequest("alerts", req.limit(), req.page_token());
        if (!page.ok()) return page.status();
        auto alerts = ListAlertsPage(state_, caller, {req.unit_id(), req.status(), *page});
        if (!alerts.ok()) return alerts.status();
        auto org = state_.org();
        for (const auto& r : alerts->alerts) {
          v1::Alert* alert = out->add_alerts();
          *alert = okr::ToProto(r);
          if (const Unit* unit = org->Find(r.unit_id())) alert->set_unit_name(unit->name);
        }
        out->set_next_page_token(PageToken("alerts", alerts->next_cursor));
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* AlertServiceImpl::AckAlert(grpc::CallbackServerContext* ctx,
                                                     const v1::AlertRef* request,
                                                     v1::Alert* reply) {
  return ServeUnary(
      state_, ctx, "/okr.v1.AlertService/AckAlert", request, reply,
      [this](const Caller& caller, const v1::AlertRef& req, v1::Alert* out) {
        return ReplyAlert(
            SetAlertStatus(state_, caller, {req.alert_id(), AlertStatus::kAcked, req.note()}), out);
      });
}

grpc::ServerUnaryReactor* AlertServiceImpl::ResolveAlert(grpc::CallbackServerContext* ctx,
                                                         const v1::AlertRef* request,
                                                         v1::Alert* reply) {
  return ServeUnary(
      state_, ctx, "/okr.v1.AlertService/ResolveAlert", request, reply,
      [this](const Caller& caller, const v1::AlertRef& req, v1::Alert* out) {
        return ReplyAlert(
            SetAlertStatus(state_, caller, {req.alert_id(), AlertStatus::kResolved, req.note()}),
            out);
      });
}

grpc::ServerWriteReactor<v1::Alert>* AlertServiceImpl::WatchAlerts(
    grpc::CallbackServerContext* ctx, const v1::ListAlertsRequest* request) {
  return new AlertWatchReactor(state_, ctx, request);
}

}  // namespace okr
