// History replies stay under gRPC's 4 MB limit whatever the entries hold: a page ends once its
// entries reach 1 MiB (services/core/history_budget.h), and an entry larger than that on its
// own comes with summaries of its before and after. Before, the first cascade over 100,000
// agents made `okrctl history` fail with RESOURCE_EXHAUSTED (a 17 MB entry).
#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "tests/integration/fixtures.h"
#include "tests/integration/harness.h"

namespace okr::testing {
namespace {

nlohmann::json HistoryPage(const OkrdProcess& okrd, const std::string& page_token) {
  std::vector<std::string> args{"-o", "json", "history", "--metric", "tickets"};
  if (!page_token.empty()) {
    args.push_back("--page-token");
    args.push_back(page_token);
  }
  CommandResult r = okrd.Ctl(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.exit_code == 0 ? r.Json() : nlohmann::json::object();
}

std::vector<std::string> Actions(const nlohmann::json& page) {
  std::vector<std::string> actions;
  for (const auto& entry : page["entries"]) actions.push_back(entry["action"]);
  return actions;
}

TEST(HistoryBudget, AnEntryLargerThanAPageComesWithSummariesOfItsBeforeAndAfter) {
  OkrdProcess okrd;
  // 8,000 agents get 9,600,000 / 8,000 = 1,200 a year, about 100 a month (by the month's
  // days). The cascade's `after` lists every cell: per agent "a0000":{"2026-01":102,...} is
  // 178 bytes with its comma and "a0000":1200, 13 more, so about 8,000 x 191 = 1.5 MB, over
  // the page's 1 MiB.
  SetUpTicketsPlan(okrd, OrgOfAgents(8000), "2026", "9600000");
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  const nlohmann::json page = HistoryPage(okrd, "");
  EXPECT_FALSE(page.contains("next_page_token"));
  ASSERT_EQ(Actions(page), (std::vector<std::string>{"metric.define", "target.set", "cascade"}));
  EXPECT_FALSE(page["entries"][1].contains("truncated"));
  const nlohmann::json& cascade = page["entries"][2];
  EXPECT_EQ(cascade["truncated"], true);
  // The first plan had nothing before: that side is small and whole.
  EXPECT_EQ(cascade["before"]["cells"], nlohmann::json::object());
  EXPECT_FALSE(cascade["before"].contains("truncated"));
  const nlohmann::json& after = cascade["after"];
  EXPECT_EQ(after["truncated"], true);
  EXPECT_GT(after["bytes"].get<int64_t>(), 1024 * 1024);
  // 8,003 units (co, t, g and the agents) of 12 months each.
  EXPECT_EQ(after["omitted"], (nlohmann::json{{"cells", 8003 * 12}, {"years", 8003}}));
  EXPECT_EQ(after["units"], 8003);
  EXPECT_EQ(after["year"], 2026);
  // co's own months, whole: 12 of them, adding up to its 9,600,000.
  ASSERT_EQ(after["months"].size(), 12u);
  double year = 0;
  for (const auto& month : after["months"]) year += month.get<double>();
  EXPECT_EQ(year, 9600000);
  EXPECT_FALSE(after.contains("cells"));
}

TEST(HistoryBudget, APageEndsBeforeTheEntryThatWouldTakeItPastTheBudget) {
  OkrdProcess okrd;
  // 903 units; cascades of 1,080,000, 2,160,000, 3,240,000 and 4,320,000 give each agent
  // 1,200 to 4,800 a year, about 100 to 400 a month: the same number of digits each time. The first
  // cascade's entry lists the 903 units' cells once, after (about 900 x 191 = 172 KB); each later
  // one lists them before and after (about 345 KB). Newest first, three later cascades and their
  // target.set entries take about 1,035 KB of the 1,048,576 bytes; the first cascade does not fit
  // after them and starts the next page, with the rest.
  SetUpTicketsPlan(okrd, OrgOfAgents(900), "2026", "1080000");
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  for (const char* value : {"2160000", "3240000", "4320000"}) {
    ASSERT_EQ(okrd.Ctl({"target", "set", "--unit", "co", "--metric", "tickets", "--year", "2026",
                        "--value", value})
                  .exit_code,
              0);
    ASSERT_EQ(
        okrd.Ctl({"cascade", "--unit", "co", "--metric", "tickets", "--year", "2026"}).exit_code,
        0);
  }
  const nlohmann::json first = HistoryPage(okrd, "");
  EXPECT_EQ(Actions(first), (std::vector<std::string>{"target.set", "cascade", "target.set",
                                                      "cascade", "target.set", "cascade"}));
  ASSERT_TRUE(first.contains("next_page_token"));
  const nlohmann::json second = HistoryPage(okrd, first["next_page_token"]);
  EXPECT_EQ(Actions(second), (std::vector<std::string>{"metric.define", "target.set", "cascade"}));
  EXPECT_FALSE(second.contains("next_page_token"));
  // Every entry is whole, and the pages run back in time without a gap or a repeat.
  ASSERT_FALSE(first["entries"].empty());
  ASSERT_FALSE(second["entries"].empty());
  EXPECT_EQ(second["entries"].back()["seq"].get<int64_t>() + 1,
            first["entries"].front()["seq"].get<int64_t>());
  for (const nlohmann::json* page : {&first, &second}) {
    for (const auto& entry : (*page)["entries"]) {
      EXPECT_FALSE(entry.contains("truncated")) << entry["seq"];
      EXPECT_FALSE(entry["after"].contains("truncated")) << entry["seq"];
    }
  }
}

}  // namespace
}  // namespace okr::testing
