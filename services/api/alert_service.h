// okr.v1.AlertService: red-line alerts, their acknowledgement and resolution, and the watch.
#ifndef OKR_SERVICES_API_ALERT_SERVICE_H_
#define OKR_SERVICES_API_ALERT_SERVICE_H_

#include "okr/v1/plugins.grpc.pb.h"
#include "services/core/server_state.h"

namespace okr {

class AlertServiceImpl final : public v1::AlertService::CallbackService {
 public:
  explicit AlertServiceImpl(ServerState& state) : state_(state) {}
  grpc::ServerUnaryReactor* ListAlerts(grpc::CallbackServerContext* ctx,
                                       const v1::ListAlertsRequest* request,
                                       v1::ListAlertsReply* reply) override;
  grpc::ServerUnaryReactor* AckAlert(grpc::CallbackServerContext* ctx, const v1::AlertRef* request,
                                     v1::Alert* reply) override;
  grpc::ServerUnaryReactor* ResolveAlert(grpc::CallbackServerContext* ctx,
                                         const v1::AlertRef* request, v1::Alert* reply) override;
  grpc::ServerWriteReactor<v1::Alert>* WatchAlerts(grpc::CallbackServerContext* ctx,
                                                   const v1::ListAlertsRequest* request) override;

 private:
  ServerState& state_;
};

}  // namespace okr

#endif  // OKR_SERVICES_API_ALERT_SERVICE_H_
