// --limit and --page-token of okrctl's list commands (history, alerts, payouts, awards, kudos
// list, review list, token list, org show), and the next page's token in their output: a JSON key
// "next_page_token" and, in a table, a last line "next page: --page-token T", both only when
// a next page exists.
#ifndef OKR_CLIENTS_OKRCTL_PAGING_FLAGS_H_
#define OKR_CLIENTS_OKRCTL_PAGING_FLAGS_H_

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <string>

namespace okrctl {

struct PageFlags {
  unsigned limit = 0;  // 0: the server's default (1000)
  std::string page_token;
};

// Adds --limit (unless `with_limit` is false: history and org show have their own) and
// --page-token.
void AddPageFlags(CLI::App* command, PageFlags& flags, bool with_limit = true);

template <typename Request>
void SetPage(Request& request, const PageFlags& flags) {
  request.set_limit(flags.limit);
  request.set_page_token(flags.page_token);
}

// `doc` with "next_page_token" added when `token` is not empty.
nlohmann::json WithNextPage(nlohmann::json doc, const std::string& token);
// After a table: "next page: --page-token T" when `token` is not empty.
void PrintNextPage(const std::string& token);

}  // namespace okrctl

#endif  // OKR_CLIENTS_OKRCTL_PAGING_FLAGS_H_
