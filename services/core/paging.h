// Paging of list calls (History, ListAlerts, ListPayouts, ListAwards, ListKudos, ListProposals,
// ListTokens, ListSubtree): a request's `limit` (0: kDefaultPageLimit, at most kMaxPageLimit) and
// `page_token`, a reply's `next_page_token` (empty on the last page).
//
// A page token is opaque to clients: the web-safe base64 of "okr1", the list's name and a
// cursor, the list's own encoding of where the page ended (a store key, or an id in an
// order-preserving encoding). A token of another list, or one that does not decode, is
// INVALID_ARGUMENT. Each list keeps its order; the next page starts after the cursor, so an
// item added or removed meanwhile neither shifts nor repeats the items of later pages.
#ifndef OKR_SERVICES_CORE_PAGING_H_
#define OKR_SERVICES_CORE_PAGING_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace okr {

inline constexpr uint32_t kDefaultPageLimit = 1000;
inline constexpr uint32_t kMaxPageLimit = 10000;

struct PageRequest {
  size_t limit = kDefaultPageLimit;
  std::string after;  // the cursor where the previous page ended; empty: the first page
};

// The page a request asks for on list `list` ("history", "alerts", ...).
absl::StatusOr<PageRequest> ParsePageRequest(std::string_view list, uint32_t limit,
                                             std::string_view page_token);

// The token of the page after `cursor` on `list`; empty for an empty cursor (no more pages).
std::string PageToken(std::string_view list, std::string_view cursor);

// One page of `items`, which are in list order with cursors (`cursor_of`) that increase along
// it: the first `page.limit` whose cursor is above page.after. `next_cursor` is the cursor
// of the page's last item when more follow, else empty.
template <typename T, typename CursorOf>
std::vector<T> CutPage(std::vector<T> items, const PageRequest& page, CursorOf cursor_of,
                       std::string* next_cursor) {
  next_cursor->clear();
  auto first = items.begin();
  if (!page.after.empty()) {
    first = std::find_if(items.begin(), items.end(),
                         [&](const T& item) { return cursor_of(item) > page.after; });
  }
  const size_t available = static_cast<size_t>(items.end() - first);
  const size_t taken = std::min(available, page.limit);
  std::vector<T> out(std::make_move_iterator(first), std::make_move_iterator(first + taken));
  if (taken < available && !out.empty()) *next_cursor = cursor_of(out.back());
  return out;
}

}  // namespace okr

#endif  // OKR_SERVICES_CORE_PAGING_H_
