#include "services/api/metric_service.h"

#include "services/api/convert.h"
#include "services/api/rpc.h"
#include "services/core/org_ops.h"

namespace okr {

grpc::ServerUnaryReactor* MetricServiceImpl::DefineMetric(grpc::CallbackServerContext* ctx,
                                                          const v1::DefineMetricRequest* request,
                                                          v1::Metric* reply) {
  return ServeUnary(
      state_, ctx, "/okr.v1.MetricService/DefineMetric", request, reply,
      [this](const Caller& caller, const v1::DefineMetricRequest& req, v1::Metric* out) {
        auto metric = FromProto(req.metric());
        if (!metric.ok()) return metric.status();
        auto defined = okr::DefineMetric(state_, caller, *metric);
        if (!defined.ok()) return defined.status();
        *out = ToProto(*defined);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* MetricServiceImpl::ListMetrics(grpc::CallbackServerContext* ctx,
                                                         const v1::ListMetricsRequest* request,
                                                         v1::ListMetricsReply* reply) {
  return ServeUnary(
      state_, ctx, "/okr.v1.MetricService/ListMetrics", request, reply,
      [this](const Caller&, const v1::ListMetricsRequest&, v1::ListMetricsReply* out) {
        for (const Metric& metric : state_.Metrics()) {
          *out->add_metrics() = ToProto(metric);
        }
        return absl::OkStatus();
      });
}

}  // namespace okr
