#include "services/core/paging.h"

#include "absl/strings/escaping.h"

namespace okr {
namespace {

constexpr std::string_view kTokenVersion = "okr1";

// "okr1" + list + '\0' + cursor: the list's name keeps a token of one list out of another.
std::string TokenPayloadPrefix(std::string_view list) {
  std::string prefix(kTokenVersion);
  prefix.append(list);
  prefix.push_back('\0');
  return prefix;
}

}  // namespace

absl::StatusOr<PageRequest> ParsePageRequest(std::string_view list, uint32_t limit,
                                             std::string_view page_token) {
  PageRequest page;
  if (limit > kMaxPageLimit) {
    const std::string max = std::to_string(kMaxPageLimit);
    return absl::InvalidArgumentError("limit " + std::to_string(limit) +
                                      " is above the largest page, " + max + "; ask for at most " +
                                      max + " and follow next_page_token");
  }
  if (limit != 0) page.limit = limit;
  if (page_token.empty()) return page;
  std::string payload;
  const std::string prefix = TokenPayloadPrefix(list);
  if (!absl::WebSafeBase64Unescape(std::string(page_token), &payload) ||
      payload.size() <= prefix.size() || payload.compare(0, prefix.size(), prefix) != 0) {
    return absl::InvalidArgumentError(
        "page token '" + std::string(page_token.substr(0, 64)) +
        "' is not one this server issued for " + std::string(list) +
        "; pass the next_page_token of the previous page, or none for the first page");
  }
  page.after = payload.substr(prefix.size());
  return page;
}

std::string PageToken(std::string_view list, std::string_view cursor) {
  if (cursor.empty()) return "";
  return absl::WebSafeBase64Escape(TokenPayloadPrefix(list) + std::string(cursor));
}

}  // namespace okr
