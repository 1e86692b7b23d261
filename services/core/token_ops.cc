#include "services/core/token_ops.h"

#include <nlohmann/json.hpp>

#include "services/core/apply.h"
#include "store/codecs.h"

namespace okr {

absl::StatusOr<CreatedToken> CreateToken(ServerState& state, const Caller& caller,
                                         const TokenRequest& request) {
  // The secret is drawn here and never leaves this call but in the reply: the command holds
  // only its hash.
  TokenRegistry::Issued issued = state.tokens().Issue(request.role, request.unit_id, request.label,
                                                      caller.Actor(), state.clock().NowUnix());
  store::Command command = NewCommand(state, caller);
  command.mutable_create_token()->set_hash(issued.hash);
  *command.mutable_create_token()->mutable_record() = issued.record;
  absl::Status s =
      state.commands().Run(std::move(command), [&](const store::Command& c, Applied& applied) {
        return ApplyCreateToken(state, c, applied);
      });
  if (!s.ok()) return s;
  return CreatedToken{issued.secret, issued.record};
}

absl::Status StoreFirstAdminToken(ServerState& state, const TokenRegistry::Issued& admin) {
  store::Command command = NewCommand(state, Caller{"okrd", Role::kAdmin, ""});
  command.mutable_create_token()->set_hash(admin.hash);
  *command.mutable_create_token()->mutable_record() = admin.record;
  command.mutable_create_token()->set_first_start(true);
  return state.commands().Run(std::move(command), [&](const store::Command& c, Applied& applied) {
    return ApplyCreateToken(state, c, applied);
  });
}

absl::Status ApplyCreateToken(ServerState& state, const store::Command& command, Applied& applied) {
  const std::string& hash = command.create_token().hash();
  const store::TokenRecord& record = command.create_token().record();
  const Role role = static_cast<Role>(record.role());
  const std::string& unit_id = record.unit_id();
  if (role == Role::kLead || role == Role::kAgent) {
    if (unit_id.empty()) {
      return absl::InvalidArgumentError(std::string(RoleName(role)) +
                                        " tokens are bound to a unit: give --unit");
    }
  }
  if (!unit_id.empty()) {
    const Unit* unit = state.org()->Find(unit_id);
    if (unit == nullptr) return absl::NotFoundError("no unit '" + unit_id + "'");
    if (role == Role::kAgent && unit->kind != UnitKind::kAgent) {
      return absl::InvalidArgumentError("an agent token needs an agent unit; '" + unit_id +
                                        "' is a " + std::string(UnitKindName(unit->kind)));
    }
  }
  applied.batch.PutProto(store::Cf::kTokens, store::TokenKey(hash), record);
  if (!command.create_token().first_start()) {
    store::AuditRecord audit = NewAudit(command, "token.create", unit_id);
    audit.set_after_json(
        nlohmann::json{{"token_id", record.token_id()}, {"role", RoleName(role)}}.dump());
    state.Audit(applied.batch, std::move(audit));
  }
  applied.after_write.push_back([&state, hash, record] { state.tokens().Remember(hash, record); });
  return absl::OkStatus();
}

std::vector<store::TokenRecord> ListTokens(ServerState& state) { return state.tokens().List(); }

absl::StatusOr<store::TokenRecord> RevokeToken(ServerState& state, const Caller& caller,
                                               const std::string& token_id) {
  store::Command command = NewCommand(state, caller);
  command.mutable_revoke_token()->set_token_id(token_id);
  store::TokenRecord revoked;
  absl::Status s =
      state.commands().Run(std::move(command), [&](const store::Command& c, Applied& applied) {
        return ApplyRevokeToken(state, c, applied, &revoked);
      });
  if (!s.ok()) return s;
  return revoked;
}

absl::Status ApplyRevokeToken(ServerState& state, const store::Command& command, Applied& applied,
                              store::TokenRecord* revoked) {
  const std::string& token_id = command.revoke_token().token_id();
  auto hash = state.tokens().FindHashById(token_id);
  if (!hash) return absl::NotFoundError("no token with id '" + token_id + "'");
  if (token_id == command.caller().token_id()) {
    return absl::FailedPreconditionError("a token cannot revoke itself");
  }
  store::TokenRecord record;
  for (const auto& r : state.tokens().List()) {
    if (r.token_id() == token_id) record = r;
  }
  record.set_revoked(true);
  applied.batch.PutProto(store::Cf::kTokens, store::TokenKey(*hash), record);
  store::AuditRecord audit = NewAudit(command, "token.revoke", record.unit_id());
  audit.set_after_json(nlohmann::json{{"token_id", token_id}}.dump());
  state.Audit(applied.batch, std::move(audit));
  if (revoked != nullptr) *revoked = record;
  applied.after_write.push_back([&state, hash = *hash, record, token_id] {
    state.tokens().Remember(hash, record);
    // A watch opened with the token was authorized once, at its start: end it now.
    state.watches().EndStreamsOf(
        token_id, absl::UnauthenticatedError("the token of this stream was revoked"));
  });
  return absl::OkStatus();
}

}  // namespace okr
