#ifndef OKR_SERVICES_SERVER_ORG_SERVICE_H_
#define OKR_SERVICES_SERVER_ORG_SERVICE_H_

#include "okr/v1/metric.grpc.pb.h"
#include "okr/v1/org.grpc.pb.h"
#include "services/server/csv_upload.h"
#include "services/server/server_state.h"

namespace okr {

// The org and metric changes, callable by handlers and by the demo loader alike.
absl::Status ImportOrgCsv(ServerState& state, const Caller& caller, const CsvUpload& upload,
                          v1::ImportUnitsReply* out);
// Writes `changed` units and their audit entry in one batch, then publishes the new org.
absl::Status CommitUnits(ServerState& state, const std::vector<Unit>& changed,
                         store::AuditRecord audit);
absl::Status DefineMetric(ServerState& state, const Caller& caller, const v1::Metric& request,
                          v1::Metric* out);

class OrgServiceImpl final : public v1::OrgService::CallbackService {
 public:
  explicit OrgServiceImpl(ServerState& state) : state_(state) {}

  grpc::ServerReadReactor<v1::CsvChunk>* ImportUnits(grpc::CallbackServerContext* ctx,
                                                     v1::ImportUnitsReply* reply) override;
  grpc::ServerUnaryReactor* GetUnit(grpc::CallbackServerContext* ctx,
                                    const v1::GetUnitRequest* request, v1::Unit* reply) override;
  grpc::ServerUnaryReactor* ListSubtree(grpc::CallbackServerContext* ctx,
                                        const v1::ListSubtreeRequest* request,
                                        v1::ListSubtreeReply* reply) override;
  grpc::ServerUnaryReactor* MoveUnit(grpc::CallbackServerContext* ctx,
                                     const v1::MoveUnitRequest* request, v1::Unit* reply) override;
  grpc::ServerUnaryReactor* DeactivateUnit(grpc::CallbackServerContext* ctx,
                                           const v1::DeactivateUnitRequest* request,
                                           v1::Unit* reply) override;

 private:
  ServerState& state_;
};

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

#endif  // OKR_SERVICES_SERVER_ORG_SERVICE_H_
