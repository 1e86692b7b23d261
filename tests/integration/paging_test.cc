// List calls page (services/core/paging.h): `--limit N` items a page, `--page-token T` for the
// next one, and "next_page_token" in the JSON only while a next page exists. History pages run
// back in time: the first page is the newest entries (oldest first within it), the next page
// the entries before them. A token that this server did not issue for the list, and a limit
// above 10000, are INVALID_ARGUMENT (okrctl exits with 3).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/integration/fixtures.h"
#include "tests/integration/harness.h"

namespace okr::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class Paging : public ::testing::Test {
 protected:
  nlohmann::json Json(const std::vector<std::string>& args) {
    std::vector<std::string> json_args = {"-o", "json"};
    json_args.insert(json_args.end(), args.begin(), args.end());
    CommandResult r = okrd_.Ctl(json_args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.exit_code == 0 ? r.Json() : nlohmann::json::object();
  }

  // The reasons of a history page, in the order listed.
  static std::vector<std::string> Reasons(const nlohmann::json& page) {
    std::vector<std::string> reasons;
    for (const auto& e : page["entries"]) reasons.push_back(e["reason"]);
    return reasons;
  }

  OkrdProcess okrd_;
};

TEST_F(Paging, HistoryPagesRunBackInTimeThreeThreeOne) {
  SetUpTickets(okrd_, kSmallOrg);
  ASSERT_FALSE(HasFatalFailure());
  // Seven target changes on co: each one history entry about co and tickets, reason r1..r7.
  for (int i = 1; i <= 7; ++i) {
    CommandResult r =
        okrd_.Ctl({"target", "set", "--unit", "co", "--metric", "tickets", "--year", "2026",
                   "--value", std::to_string(100 * i), "--reason", "r" + std::to_string(i)});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  // About a1 and tickets: co is above a1, so all seven and nothing else (the org import and
  // the metric's definition name no metric or no unit). The newest three first: r5 r6 r7.
  const std::vector<std::string> query = {"history", "--unit",  "a1", "--metric",
                                          "tickets", "--limit", "3"};
  nlohmann::json first = Json(query);
  EXPECT_THAT(Reasons(first), ElementsAre("r5", "r6", "r7"));
  ASSERT_TRUE(first.contains("next_page_token"));
  std::vector<std::string> second_query = query;
  second_query.insert(second_query.end(), {"--page-token", first["next_page_token"]});
  nlohmann::json second = Json(second_query);
  EXPECT_THAT(Reasons(second), ElementsAre("r2", "r3", "r4"));
  ASSERT_TRUE(second.contains("next_page_token"));
  std::vector<std::string> third_query = query;
  third_query.insert(third_query.end(), {"--page-token", second["next_page_token"]});
  nlohmann::json third = Json(third_query);
  EXPECT_THAT(Reasons(third), ElementsAre("r1"));
  EXPECT_FALSE(third.contains("next_page_token")) << third.dump();

  // Without --limit (the default page of 1000) all seven in one page, with no token key.
  nlohmann::json all = Json({"history", "--unit", "a1", "--metric", "tickets"});
  EXPECT_THAT(Reasons(all), ElementsAre("r1", "r2", "r3", "r4", "r5", "r6", "r7"));
  EXPECT_FALSE(all.contains("next_page_token"));

  // The same pages after a restart (the index is on disk; okrd does not rebuild it).
  okrd_.Restart();
  EXPECT_THAT(Reasons(Json(second_query)), ElementsAre("r2", "r3", "r4"));
}

// Two roots; g-2 sorts after g but "g-2" < "g a1" would put it inside g's subtree if the
// cursor joined ids with a character above '-': the listing is co t g a1 a2 g-2 b1 zz zt.
constexpr char kTwoRootOrg[] =
    "unit_id,parent_id,kind,name,fte,start_date,end_date\n"
    "co,,company,Co,,,\n"
    "t,co,team,T,,,\n"
    "g,t,group,G,,,\n"
    "a1,g,agent,A1,1.0,,\n"
    "a2,g,agent,A2,1.0,,\n"
    "g-2,t,group,G2,,,\n"
    "b1,g-2,agent,B1,1.0,,\n"
    "zz,,company,Zz,,,\n"
    "zt,zz,team,Zt,,,\n";

// The unit ids of an `org show` page, in the order listed.
std::vector<std::string> UnitIds(const nlohmann::json& page) {
  std::vector<std::string> ids;
  for (const auto& u : page["units"]) ids.push_back(u["unit_id"]);
  return ids;
}

TEST_F(Paging, OrgShowPagesTheTreeDepthFirstAcrossRoots) {
  CommandResult org = okrd_.Ctl({"org", "import", okrd_.WriteFile("org.csv", kTwoRootOrg)});
  ASSERT_EQ(org.exit_code, 0) << org.err;
  std::vector<std::vector<std::string>> pages;
  std::vector<std::string> args = {"org", "show", "--limit", "3"};
  for (int page = 0; page < 5; ++page) {
    nlohmann::json reply = Json(args);
    pages.push_back(UnitIds(reply));
    if (!reply.contains("next_page_token")) break;
    args = {"org", "show", "--limit", "3", "--page-token", reply["next_page_token"]};
  }
  // Nine units in three full pages; the third is the last, so it carries no token.
  EXPECT_THAT(pages, ElementsAre(ElementsAre("co", "t", "g"), ElementsAre("a1", "a2", "g-2"),
                                 ElementsAre("b1", "zz", "zt")));
  // Below one unit, to a depth: t, its two groups; one page.
  nlohmann::json groups = Json({"org", "show", "t", "--depth", "1", "--limit", "2"});
  EXPECT_THAT(UnitIds(groups), ElementsAre("t", "g"));
  ASSERT_TRUE(groups.contains("next_page_token"));
  EXPECT_THAT(UnitIds(Json({"org", "show", "t", "--depth", "1", "--limit", "2", "--page-token",
                            groups["next_page_token"]})),
              ElementsAre("g-2"));
  // A token of another list is refused.
  CommandResult wrong = okrd_.Ctl({"org", "show", "--page-token", "b2tyMWFsZXJ0cwAx"});
  EXPECT_EQ(wrong.exit_code, 3) << wrong.err;
  EXPECT_THAT(wrong.err, HasSubstr("is not one this server issued for subtree"));
}

TEST_F(Paging, OrgShowWithoutALimitPrintsTheWholeTree) {
  // 1,203 units: more than the server's page of 1,000, so okrctl reads two pages.
  CommandResult org = okrd_.Ctl({"org", "import", okrd_.WriteFile("org.csv", OrgOfAgents(1200))});
  ASSERT_EQ(org.exit_code, 0) << org.err;
  nlohmann::json all = Json({"org", "show"});
  const std::vector<std::string> ids = UnitIds(all);
  ASSERT_EQ(ids.size(), 1203u);
  EXPECT_THAT(std::vector<std::string>(ids.begin(), ids.begin() + 4),
              ElementsAre("co", "t", "g", "a0000"));
  EXPECT_EQ(ids[1002], "a0999");
  EXPECT_EQ(ids[1003], "a1000");
  EXPECT_EQ(ids.back(), "a1199");
  EXPECT_FALSE(all.contains("next_page_token"));
}

TEST_F(Paging, TokenListPagesCoverTheListOnceInItsOrder) {
  for (int i = 0; i < 7; ++i) {
    CommandResult r = okrd_.Ctl({"token", "create", "--role", "director"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  // The admin token and seven more: eight, in pages of 3, 3 and 2.
  std::vector<std::string> ids;
  const nlohmann::json unpaged = Json({"token", "list"});
  for (const auto& t : unpaged["tokens"]) ids.push_back(t["token_id"]);
  ASSERT_EQ(ids.size(), 8u);
  std::vector<std::string> paged;
  std::vector<size_t> sizes;
  std::vector<std::string> args = {"token", "list", "--limit", "3"};
  for (int page = 0; page < 4; ++page) {
    nlohmann::json reply = Json(args);
    sizes.push_back(reply["tokens"].size());
    for (const auto& t : reply["tokens"]) paged.push_back(t["token_id"]);
    if (!reply.contains("next_page_token")) break;
    args = {"token", "list", "--limit", "3", "--page-token", reply["next_page_token"]};
  }
  EXPECT_THAT(sizes, ElementsAre(3u, 3u, 2u));
  EXPECT_EQ(paged, ids);
}

TEST_F(Paging, ATokenThisServerDidNotIssueIsInvalidArgument) {
  for (const std::string bad : {"not-a-token", "b2tyMWFsZXJ0cwAx"}) {  // the 2nd: for "alerts"
    CommandResult r = okrd_.Ctl({"history", "--page-token", bad});
    EXPECT_EQ(r.exit_code, 3) << r.err;
    EXPECT_THAT(r.err, HasSubstr("INVALID_ARGUMENT"));
    EXPECT_THAT(r.err, HasSubstr("page token '" + bad +
                                 "' is not one this server issued for history; pass the "
                                 "next_page_token of the previous page"));
  }
  CommandResult tokens = okrd_.Ctl({"token", "list", "--page-token", "not-a-token"});
  EXPECT_EQ(tokens.exit_code, 3) << tokens.err;
  EXPECT_THAT(tokens.err, HasSubstr("is not one this server issued for tokens"));
}

TEST_F(Paging, ALimitAboveTenThousandIsInvalidArgument) {
  for (const std::vector<std::string>& command :
       std::vector<std::vector<std::string>>{{"history"},
                                             {"alerts"},
                                             {"token", "list"},
                                             {"review", "list"},
                                             {"kudos", "list"},
                                             {"payouts", "--period", "2026-01"},
                                             {"awards", "--period", "2026-01"}}) {
    std::vector<std::string> args = command;
    args.insert(args.end(), {"--limit", "10001"});
    CommandResult r = okrd_.Ctl(args);
    EXPECT_EQ(r.exit_code, 3) << command[0] << ": " << r.err;
    EXPECT_THAT(r.err, HasSubstr("INVALID_ARGUMENT: limit 10001 is above the largest page, "
                                 "10000; ask for at most 10000 and follow next_page_token"))
        << command[0];
    args.back() = "10000";  // the largest page is fine
    EXPECT_EQ(okrd_.Ctl(args).exit_code, 0) << command[0];
  }
}

}  // namespace
}  // namespace okr::testing
