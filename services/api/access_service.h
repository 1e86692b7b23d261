// okr.v1.AccessService: create, list and revoke tokens (services/core/token_ops.h), and
// who the caller is.
#ifndef OKR_SERVICES_API_ACCESS_SERVICE_H_
#define OKR_SERVICES_API_ACCESS_SERVICE_H_

#include "okr/v1/access.grpc.pb.h"
#include "services/core/server_state.h"

namespace okr {

class AccessServiceImpl final : public v1::AccessService::CallbackService {
 public:
  explicit AccessServiceImpl(ServerState& state) : state_(state) {}

  grpc::ServerUnaryReactor* CreateToken(grpc::CallbackServerContext* ctx,
                                        const v1::CreateTokenRequest* request,
                                        v1::CreateTokenReply* reply) override;
  grpc::ServerUnaryReactor* ListTokens(grpc::CallbackServerContext* ctx,
                                       const v1::ListTokensRequest* request,
                                       v1::ListTokensReply* reply) override;
  grpc::ServerUnaryReactor* RevokeToken(grpc::CallbackServerContext* ctx,
                                        const v1::RevokeTokenRequest* request,
                                        v1::TokenInfo* reply) override;
  grpc::ServerUnaryReactor* WhoAmI(grpc::CallbackServerContext* ctx,
                                   const v1::WhoAmIRequest* request, v1::TokenInfo* reply) override;

 private:
  ServerState& state_;
};

}  // namespace okr

#endif  // OKR_SERVICES_API_ACCESS_SERVICE_H_
