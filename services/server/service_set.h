// Every gRPC service of okrd, constructed over the shared state and registered together.
#ifndef OKR_SERVICES_SERVER_SERVICE_SET_H_
#define OKR_SERVICES_SERVER_SERVICE_SET_H_

#include <grpcpp/grpcpp.h>

#include "services/server/access_service.h"
#include "services/server/explain_service.h"
#include "services/server/org_service.h"
#include "services/server/plugin_service.h"
#include "services/server/progress_service.h"
#include "services/server/review_service.h"
#include "services/server/server_state.h"
#include "services/server/target_service.h"

namespace okr {

class ServiceSet {
 public:
  explicit ServiceSet(ServerState& state)
      : org_(state),
        metric_(state),
        target_(state),
        actuals_(state),
        progress_(state),
        access_(state),
        review_(state),
        explain_(state),
        admin_(state),
        plugin_(state),
        close_(state),
        alert_(state) {}

  void RegisterAll(grpc::ServerBuilder& builder) {
    builder.RegisterService(&org_);
    builder.RegisterService(&metric_);
    builder.RegisterService(&target_);
    builder.RegisterService(&actuals_);
    builder.RegisterService(&progress_);
    builder.RegisterService(&access_);
    builder.RegisterService(&review_);
    builder.RegisterService(&explain_);
    builder.RegisterService(&admin_);
    builder.RegisterService(&plugin_);
    builder.RegisterService(&close_);
    builder.RegisterService(&alert_);
  }

 private:
  OrgServiceImpl org_;
  MetricServiceImpl metric_;
  TargetServiceImpl target_;
  ActualsServiceImpl actuals_;
  ProgressServiceImpl progress_;
  AccessServiceImpl access_;
  ReviewServiceImpl review_;
  ExplainServiceImpl explain_;
  AdminServiceImpl admin_;
  PluginServiceImpl plugin_;
  CloseServiceImpl close_;
  AlertServiceImpl alert_;
};

}  // namespace okr

#endif  // OKR_SERVICES_SERVER_SERVICE_SET_H_
