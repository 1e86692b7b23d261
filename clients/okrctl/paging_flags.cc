#include "clients/okrctl/paging_flags.h"

#include <iostream>

namespace okrctl {

void AddPageFlags(CLI::App* command, PageFlags& flags, bool with_limit) {
  if (with_limit) {
    command->add_option("--limit", flags.limit,
                        "at most N items a page (default 1000, at most 10000)");
  }
  command->add_option("--page-token", flags.page_token,
                      "the next page: the next_page_token printed with the previous page");
}

nlohmann::json WithNextPage(nlohmann::json doc, const std::string& token) {
  if (!token.empty()) doc["next_page_token"] = token;
  return doc;
}

void PrintNextPage(const std::string& token) {
  if (!token.empty()) std::cout << "next page: --page-token " << token << "\n";
}

}  // namespace okrctl
