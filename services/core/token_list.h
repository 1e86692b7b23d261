// ListTokens, a page at a time: tokens in the registry's order (by hash), the cursor the id of
// the page's last token (tokens are revoked, never removed, so the id stays in the list).
#ifndef OKR_SERVICES_CORE_TOKEN_LIST_H_
#define OKR_SERVICES_CORE_TOKEN_LIST_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/core/paging.h"
#include "services/core/server_state.h"
#include "store/records.pb.h"

namespace okr {

struct TokenPage {
  std::vector<store::TokenRecord> tokens;
  std::string next_cursor;  // empty on the last page
};

// INVALID_ARGUMENT when the cursor names no token of this server.
absl::StatusOr<TokenPage> ListTokensPage(ServerState& state, const PageRequest& page);

}  // namespace okr

#endif  // OKR_SERVICES_CORE_TOKEN_LIST_H_
