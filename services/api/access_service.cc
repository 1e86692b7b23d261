#include "services/api/access_service.h"

#include <nlohmann/json.hpp>

#include "services/api/convert.h"
#include "services/api/rpc.h"
#include "store/codecs.h"

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

absl::Status CreateToken(ServerState& state, const Caller& caller,
                         const v1::CreateTokenRequest& req, v1::CreateTokenReply* out) {
  if (req.role() < v1::ROLE_ADMIN || req.role() > v1::ROLE_AGENT) {
    return absl::InvalidArgumentError("role must be admin, director, lead or agent");
  }
  const Role role = static_cast<Role>(req.role());
  auto org = state.org();
  if (role == Role::kLead || role == Role::kAgent) {
    if (req.unit_id().empty()) {
      return absl::InvalidArgumentError(std::string(RoleName(role)) +
                                        " tokens are bound to a unit: give --unit");
    }
  }
  if (!req.unit_id().empty()) {
    const Unit* unit = org->Find(req.unit_id());
    if (unit == nullptr) return absl::NotFoundError("no unit '" + req.unit_id() + "'");
    if (role == Role::kAgent && unit->kind != UnitKind::kAgent) {
      return absl::InvalidArgumentError("an agent token needs an agent unit; '" + req.unit_id() +
                                        "' is a " + std::string(UnitKindName(unit->kind)));
    }
  }
  TokenRegistry::Issued issued = state.tokens().Issue(role, req.unit_id(), req.label(),
                                                      caller.Actor(), state.clock().NowUnix());
  store::Batch batch = state.db().NewBatch();
  batch.PutProto(store::Cf::kTokens, store::TokenKey(issued.hash), issued.record);
  store::AuditRecord audit;
  audit.set_actor(caller.Actor());
  audit.set_action("token.create");
  audit.set_unit_id(req.unit_id());
  audit.set_after_json(
      nlohmann::json{{"token_id", issued.record.token_id()}, {"role", RoleName(role)}}.dump());
  state.Audit(batch, std::move(audit));
  if (absl::Status s = state.db().Commit(batch); !s.ok()) return s;
  state.tokens().Remember(issued.hash, issued.record);
  out->set_token(issued.secret);
  *out->mutable_info() = ToProto(issued.record);
  return absl::OkStatus();
}

grpc::ServerUnaryReactor* AccessServiceImpl::CreateToken(grpc::CallbackServerContext* ctx,
                                                         const v1::CreateTokenRequest* request,
                                                         v1::CreateTokenReply* reply) {
  // The token's unit is what is created, not what is read: the access rule is admin-only,
  // so the unit is not passed to the check.
  return ServeUnary(state_, ctx, "/okr.v1.AccessService/CreateToken", request, reply,
                    [this](const Caller& caller, const auto& req, auto* out) {
                      return okr::CreateToken(state_, caller, req, out);
                    });
}

grpc::ServerUnaryReactor* AccessServiceImpl::ListTokens(grpc::CallbackServerContext* ctx,
                                                        const v1::ListTokensRequest* request,
                                                        v1::ListTokensReply* reply) {
  return ServeUnary(state_, ctx, "/okr.v1.AccessService/ListTokens", request, reply,
                    [this](const Caller&, const auto&, v1::ListTokensReply* out) {
                      for (const auto& record : state_.tokens().List()) {
                        *out->add_tokens() = ToProto(record);
                      }
                      return absl::OkStatus();
                    });
}

grpc::ServerUnaryReactor* AccessServiceImpl::RevokeToken(grpc::CallbackServerContext* ctx,
                                                         const v1::RevokeTokenRequest* request,
                                                         v1::TokenInfo* reply) {
  return ServeUnary(
      state_, ctx, "/okr.v1.AccessService/RevokeToken", request, reply,
      [this](const Caller& caller, const v1::RevokeTokenRequest& req, v1::TokenInfo* out) {
        auto hash = state_.tokens().FindHashById(req.token_id());
        if (!hash) return absl::NotFoundError("no token with id '" + req.token_id() + "'");
        if (req.token_id() == caller.token_id) {
          return absl::FailedPreconditionError("a token cannot revoke itself");
        }
        store::TokenRecord record;
        for (const auto& r : state_.tokens().List()) {
          if (r.token_id() == req.token_id()) record = r;
        }
        record.set_revoked(true);
        store::Batch batch = state_.db().NewBatch();
        batch.PutProto(store::Cf::kTokens, store::TokenKey(*hash), record);
        store::AuditRecord audit;
        audit.set_actor(caller.Actor());
        audit.set_action("token.revoke");
        audit.set_unit_id(record.unit_id());
        audit.set_after_json(nlohmann::json{{"token_id", req.token_id()}}.dump());
        state_.Audit(batch, std::move(audit));
        if (absl::Status s = state_.db().Commit(batch); !s.ok()) return s;
        state_.tokens().Remember(*hash, record);
        *out = ToProto(record);
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
