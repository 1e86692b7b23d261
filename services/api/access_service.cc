#include "services/api/access_service.h"

#include "services/api/convert.h"
#include "services/api/rpc.h"
#include "services/core/paging.h"
#include "services/core/token_list.h"
#include "services/core/token_ops.h"

namespace okr {
namespace {

v1::TokenInfo ToProto(const store::TokenRecord& record) {
  v1::TokenInfo info;
  info.set_token_id(record.token_id());
  info.set_role(static_cast<v1::Role>(record.role()));
  info.set_unit_id(record.unit_id());
  info.set_label(record.label());
  info.set_created_at(FormatTime(record.created_at_unix()));
  info.set_created_by(record.created_by());
  info.set_revoked(record.revoked());
  return info;
}

}  // namespace

grpc::ServerUnaryReactor* AccessServiceImpl::CreateToken(grpc::CallbackServerContext* ctx,
                                                         const v1::CreateTokenRequest* request,
                                                         v1::CreateTokenReply* reply) {
  // The token's unit is what is created, not what is read: the access rule is admin-only,
  // so the unit is not passed to the check.
  return ServeUnary(
      state_, ctx, "/okr.v1.AccessService/CreateToken", request, reply,
      [this](const Caller& caller, const auto& req, auto* out) {
        if (req.role() < v1::ROLE_ADMIN || req.role() > v1::ROLE_AGENT) {
          return absl::InvalidArgumentError("role must be admin, director, lead or agent");
        }
        auto created = okr::CreateToken(
            state_, caller, {static_cast<Role>(req.role()), req.unit_id(), req.label()});
        if (!created.ok()) return created.status();
        out->set_token(created->secret);
        *out->mutable_info() = ToProto(created->record);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* AccessServiceImpl::ListTokens(grpc::CallbackServerContext* ctx,
                                                        const v1::ListTokensRequest* request,
                                                        v1::ListTokensReply* reply) {
  return ServeUnary(
      state_, ctx, "/okr.v1.AccessService/ListTokens", request, reply,
      [this](const Caller&, const v1::ListTokensRequest& req, v1::ListTokensReply* out) {
        auto page = ParsePageRequest("tokens", req.limit(), req.page_token());
        if (!page.ok()) return page.status();
        auto tokens = ListTokensPage(state_, *page);
        if (!tokens.ok()) return tokens.status();
        for (const auto& record : tokens->tokens) *out->add_tokens() = ToProto(record);
        out->set_next_page_token(PageToken("tokens", tokens->next_cursor));
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* AccessServiceImpl::RevokeToken(grpc::CallbackServerContext* ctx,
                                                         const v1::RevokeTokenRequest* request,
                                                         v1::TokenInfo* reply) {
  return ServeUnary(
      state_, ctx, "/okr.v1.AccessService/RevokeToken", request, reply,
      [this](const Caller& caller, const v1::RevokeTokenRequest& req, v1::TokenInfo* out) {
        auto revoked = okr::RevokeToken(state_, caller, req.token_id());
        if (!revoked.ok()) return revoked.status();
        *out = ToProto(*revoked);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* AccessServiceImpl::WhoAmI(grpc::CallbackServerContext* ctx,
                                                    const v1::WhoAmIRequest* request,
                                                    v1::TokenInfo* reply) {
  return ServeUnary(state_, ctx, "/okr.v1.AccessService/WhoAmI", request, reply,
                    [](const Caller& caller, const auto&, v1::TokenInfo* out) {
                      out->set_token_id(caller.token_id);
                      out->set_role(static_cast<v1::Role>(caller.role));
                      out->set_unit_id(caller.unit_id);
                      return absl::OkStatus();
                    });
}

}  // namespace okr
