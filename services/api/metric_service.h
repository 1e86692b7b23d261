// okr.v1.MetricService: define and list metrics (services/core/org_ops.h).
#ifndef OKR_SERVICES_API_METRIC_SERVICE_H_
#define OKR_SERVICES_API_METRIC_SERVICE_H_

#include "okr/v1/metric.grpc.pb.h"
#include "services/core/server_state.h"

namespace okr {

class MetricServiceImpl final : public v1::MetricService::CallbackService {
 public:
  explicit MetricServiceImpl(ServerState& state) : state_(state) {}

  grpc::ServerUnaryReactor* DefineMetric(grpc::CallbackServerContext* ctx,
                                         const v1::DefineMetricRequest* request,
                                         v1::Metric* reply) override;
  grpc::ServerUnaryReactor* ListMetrics(grpc::CallbackServerContext* ctx,
                                        const v1::ListMetricsRequest* request,
                                        v1::ListMetricsReply* reply) override;

 private:
  ServerState& state_;
};

}  // namespace okr

#endif  // OKR_SERVICES_API_METRIC_SERVICE_H_
