// okr.v1.CloseService: the month close, its payouts and awards, and kudos.
#ifndef OKR_SERVICES_API_CLOSE_SERVICE_H_
#define OKR_SERVICES_API_CLOSE_SERVICE_H_

#include "okr/v1/plugins.grpc.pb.h"
#include "services/core/server_state.h"

namespace okr {

class CloseServiceImpl final : public v1::CloseService::CallbackService {
 public:
  explicit CloseServiceImpl(ServerState& state) : state_(state) {}
  grpc::ServerUnaryReactor* ClosePeriod(grpc::CallbackServerContext* ctx,
                                        const v1::ClosePeriodRequest* request,
                                        v1::ClosePeriodReply* reply) override;
  grpc::ServerUnaryReactor* ListPayouts(grpc::CallbackServerContext* ctx,
                                        const v1::ListOutcomesRequest* request,
                                        v1::ListPayoutsReply* reply) override;
  grpc::ServerUnaryReactor* ListAwards(grpc::CallbackServerContext* ctx,
                                       const v1::ListOutcomesRequest* request,
                                       v1::ListAwardsReply* reply) override;
  grpc::ServerUnaryReactor* GiveKudos(grpc::CallbackServerContext* ctx,
                                      const v1::GiveKudosRequest* request,
                                      v1::GiveKudosReply* reply) override;
  grpc::ServerUnaryReactor* ListKudos(grpc::CallbackServerContext* ctx,
                                      const v1::ListKudosRequest* request,
                                      v1::ListKudosReply* reply) override;

 private:
  ServerState& state_;
};

}  // namespace okr

#endif  // OKR_SERVICES_API_CLOSE_SERVICE_H_
