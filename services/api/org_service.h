// okr.v1.OrgService: the org import (a CSV stream), units, the subtree, moves and
// deactivations. The operations are in services/core/org_ops.h.
#ifndef OKR_SERVICES_API_ORG_SERVICE_H_
#define OKR_SERVICES_API_ORG_SERVICE_H_

#include "okr/v1/org.grpc.pb.h"
#include "services/core/server_state.h"

namespace okr {

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

}  // namespace okr

#endif  // OKR_SERVICES_API_ORG_SERVICE_H_
