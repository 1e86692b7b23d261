#include "services/core/token_ops.h"

#include <nlohmann/json.hpp>

#include "store/codecs.h"

namespace okr {

absl::StatusOr<CreatedToken> CreateToken(ServerState& state, const Caller& caller,
                                         const TokenRequest& request) {
  const Role role = request.role;
  auto org = state.org();
  if (role == Role::kLead || role == Role::kAgent) {
    if (request.unit_id.empty()) {
      return absl::InvalidArgumentError(std::string(RoleName(role)) +
                                        " tokens are bound to a unit: give --unit");
    }
  }
  if (!request.unit_id.empty()) {
    const Unit* unit = org->Find(request.unit_id);
    if (unit == nullptr) return absl::NotFoundError("no unit '" + request.unit_id + "'");
    if (role == Role::kAgent && unit->kind != UnitKind::kAgent) {
      return absl::InvalidArgumentError("an agent token needs an agent unit; '" + request.unit_id +
                                        "' is a " + std::string(UnitKindName(unit->kind)));
    }
  }
  TokenRegistry::Issued issued = state.tokens().Issue(role, request.unit_id, request.label,
                                                      caller.Actor(), state.clock().NowUnix());
  store::Batch batch = state.db().NewBatch();
  batch.PutProto(store::Cf::kTokens, store::TokenKey(issued.hash), issued.record);
  store::AuditRecord audit = NewAudit(caller, "token.create", request.unit_id);
  audit.set_after_json(
      nlohmann::json{{"token_id", issued.record.token_id()}, {"role", RoleName(role)}}.dump());
  state.Audit(batch, std::move(audit));
  if (absl::Status s = state.db().Commit(batch); !s.ok()) return s;
  state.tokens().Remember(issued.hash, issued.record);
  return CreatedToken{issued.secret, issued.record};
}

std::vector<store::TokenRecord> ListTokens(ServerState& state) { return state.tokens().List(); }

absl::StatusOr<store::TokenRecord> RevokeToken(ServerState& state, const Caller& caller,
                                               const std::string& token_id) {
  auto hash = state.tokens().FindHashById(token_id);
  if (!hash) return absl::NotFoundError("no token with id '" + token_id + "'");
  if (token_id == caller.token_id) {
    return absl::FailedPreconditionError("a token cannot revoke itself");
  }
  store::TokenRecord record;
  for (const auto& r : state.tokens().List()) {
    if (r.token_id() == token_id) record = r;
  }
  record.set_revoked(true);
  store::Batch batch = state.db().NewBatch();
  batch.PutProto(store::Cf::kTokens, store::TokenKey(*hash), record);
  store::AuditRecord audit = NewAudit(caller, "token.revoke", record.unit_id());
  audit.set_after_json(nlohmann::json{{"token_id", token_id}}.dump());
  state.Audit(batch, std::move(audit));
  if (absl::Status s = state.db().Commit(batch); !s.ok()) return s;
  state.tokens().Remember(*hash, record);
  // A watch opened with the token was authorized once, at its start: end it now.
  state.watches().EndStreamsOf(token_id,
                               absl::UnauthenticatedError("the token of this stream was revoked"));
  return record;
}

}  // namespace okr
