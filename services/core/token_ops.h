// The token operations: create, list and revoke (PRODUCT.md "Access": tokens are random,
// shown once, stored only as hashes). services/api/access_service.cc converts.
#ifndef OKR_SERVICES_CORE_TOKEN_OPS_H_
#define OKR_SERVICES_CORE_TOKEN_OPS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/core/access_policy.h"
#include "services/core/command_log.h"
#include "services/core/server_state.h"
#include "services/core/tokens.h"
#include "store/records.pb.h"

namespace okr {

struct TokenRequest {
  Role role = Role::kAgent;
  std::string unit_id;  // required for lead and agent tokens
  std::string label;
};

struct CreatedToken {
  std::string secret;  // shown once, never stored
  store::TokenRecord record;
};

// Issues a token and stores its hash with an audit entry, in one batch.
absl::StatusOr<CreatedToken> CreateToken(ServerState& state, const Caller& caller,
                                         const TokenRequest& request);

std::vector<store::TokenRecord> ListTokens(ServerState& state);

// Revokes token `token_id` (never the caller's own); returns it as it now is.
absl::StatusOr<store::TokenRecord> RevokeToken(ServerState& state, const Caller& caller,
                                               const std::string& token_id);

// Stores the admin token of a first start (TokenRegistry::Load) as a command by okrd itself.
absl::Status StoreFirstAdminToken(ServerState& state, const TokenRegistry::Issued& admin);

// The commands behind them (services/core/apply.h). Revoking fills `revoked` when given.
absl::Status ApplyCreateToken(ServerState& state, const store::Command& command, Applied& applied);
absl::Status ApplyRevokeToken(ServerState& state, const store::Command& command, Applied& applied,
                              store::TokenRecord* revoked);

}  // namespace okr

#endif  // OKR_SERVICES_CORE_TOKEN_OPS_H_
