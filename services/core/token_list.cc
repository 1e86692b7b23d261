#include "services/core/token_list.h"

#include <algorithm>

#include "services/core/token_ops.h"

namespace okr {

absl::StatusOr<TokenPage> ListTokensPage(ServerState& state, const PageRequest& page) {
  std::vector<store::TokenRecord> all = ListTokens(state);
  auto first = all.begin();
  if (!page.after.empty()) {
    first = std::find_if(all.begin(), all.end(),
                         [&](const store::TokenRecord& r) { return r.token_id() == page.after; });
    if (first == all.end()) {
      return absl::InvalidArgumentError(
          "the page token is not one this server issued for tokens (it names no token of "
          "this server); list from the first page");
    }
    ++first;
  }
  TokenPage out;
  const size_t available = static_cast<size_t>(all.end() - first);
  const size_t taken = std::min(available, page.limit);
  out.tokens.assign(std::make_move_iterator(first), std::make_move_iterator(first + taken));
  if (taken < available && !out.tokens.empty()) out.next_cursor = out.tokens.back().token_id();
  return out;
}

}  // namespace okr
