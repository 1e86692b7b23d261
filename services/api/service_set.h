// Every gRPC service of okrd, constructed over the shared state and registered together.
#ifndef OKR_SERVICES_API_SERVICE_SET_H_
#define OKR_SERVICES_API_SERVICE_SET_H_

#include <grpcpp/grpcpp.h>

#include "services/api/access_service.h"
#include "services/api/actuals_service.h"
#include "services/api/admin_service.h"
#include "services/api/alert_service.h"
#include "services/api/close_service.h"
#include "services/api/explain_service.h"
#include "services/api/metric_service.h"
#include "services/api/org_service.h"
#include "services/api/plugin_service.h"
#include "services/api/progress_service.h"
#include "services/api/review_service.h"
#include "services/api/rpc.h"
#include "services/api/target_service.h"
#include "services/core/server_state.h"

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
        alert_(state) {
    ExportCallSeries();
  }

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

#endif  // OKR_SERVICES_API_SERVICE_SET_H_
