#include "services/api/explain_service.h"

#include "services/api/outcome_convert.h"
#include "services/api/request_fields.h"
#include "services/api/rpc.h"
#include "services/core/explain_ops.h"

namespace okr {
namespace {

void ToProto(const Explanation& e, v1::Explanation* out) {
  out->set_unit_id(e.unit_id);
  out->set_metric_id(e.metric_id);
  out->set_period(e.period);
  out->set_target(e.target);
  for (const ChainStep& s : e.chain) {
    v1::ChainStep* step = out->add_chain();
    step->set_unit_id(s.unit_id);
    step->set_period(s.period);
    step->set_value(s.value);
    step->set_rule(s.rule);
    step->set_detail(s.detail);
  }
  out->set_actual(e.actual);
  out->set_status(std::string(ProgressStatusName(e.status)));
  for (const auto& p : e.outcomes.payouts) *out->add_payouts() = okr::ToProto(p);
  for (const auto& a : e.outcomes.awards) *out->add_awards() = okr::ToProto(a);
  for (const auto& a : e.outcomes.alerts) *out->add_alerts() = okr::ToProto(a);
}

}  // namespace

grpc::ServerUnaryReactor* ExplainServiceImpl::Explain(grpc::CallbackServerContext* ctx,
                                                      const v1::ExplainRequest* request,
                                                      v1::Explanation* reply) {
  return ServeUnary(state_, ctx, "/okr.v1.ExplainService/Explain", request, reply,
                    [this](const Caller&, const v1::ExplainRequest& req, v1::Explanation* out) {
                      auto explained = okr::Explain(
                          state_, {req.unit_id(), req.metric_id(), ParseYearMonth(req.month()),
                                   ParseOptionalDate(req.as_of())});
                      if (!explained.ok()) return explained.status();
                      ToProto(*explained, out);
                      return absl::OkStatus();
                    });
}

}  // namespace okr
