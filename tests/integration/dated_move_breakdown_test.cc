// A dated move splits a unit's year between two parents, and each parent's breakdown lists
// the unit only for the months it sat below it (PRODUCT.md "Cascade": each month's children
// sum to their parent's month), before and after the move date. Deactivating an agent never
// extends her employment, and its audit entry says what changed.
//
// Every expected value below is worked out by hand in the comments.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/integration/harness.h"

namespace okr::testing {
namespace {

// co -> t1 -> g1 {a1, a2}, g2 {a3}; every agent 1.0 FTE, all year. a2 moves to g2 on 09-01.
constexpr char kOrg[] =
    "unit_id,parent_id,kind,name,fte,start_date,end_date\n"
    "co,,company,Company,,,\n"
    "t1,co,team,Team,,,\n"
    "g1,t1,group,Group one,,,\n"
    "g2,t1,group,Group two,,,\n"
    "a1,g1,agent,Ann,1.0,,\n"
    "a2,g1,agent,Bob,1.0,,\n"
    "a3,g2,agent,Cid,1.0,,\n";

nlohmann::json Breakdown(const OkrdProcess& okrd, const std::string& unit) {
  CommandResult r = okrd.Ctl(
      {"breakdown", "--unit", unit, "--metric", "tickets", "--year", "2026", "-o", "json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.exit_code == 0 ? r.Json() : nlohmann::json::object();
}

void ExpectMonths(const nlohmann::json& row, const std::vector<double>& months) {
  ASSERT_EQ(row["months"].size(), 12u) << row.dump();
  for (int m = 0; m < 12; ++m) EXPECT_EQ(row["months"][m], months[m]) << row.dump() << " " << m;
}

TEST(DatedMove, EachParentListsTheMovedUnitOnlyForItsMonths) {
  OkrdProcess okrd;
  auto ok = [&](const std::vector<std::string>& args) {
    CommandResult r = okrd.Ctl(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
  };
  ok({"org", "import", okrd.WriteFile("org.csv", kOrg)});
  ok({"metric", "define", "tickets", "--kind", "count", "--direction", "up"});
  ok({"target", "set", "--unit", "co", "--metric", "tickets", "--year", "2026", "--value", "1200",
      "--seasonality", "1,1,1,1,1,1,1,1,1,1,1,1"});
  ok({"org", "move", "--unit", "a2", "--to", "g2", "--effective", "2026-09-01"});
  ok({"cascade", "--unit", "co", "--metric", "tickets", "--year", "2026"});

  // t1 has 100 a month. January..August: g1 = 100 x 2/3 = 66.67 -> 67, g2 33; g1's 67 over
  // a1 and a2 is 33.5 each, the tie to the smaller id: a1 34, a2 33; a3 33.
  // September..December: g1 = a1 alone = 33.33 -> 33, g2 = a2 + a3 = 66.67 -> 67; a1 33;
  // g2's 67: a2 34, a3 33.
  const nlohmann::json g1 = Breakdown(okrd, "g1");
  ExpectMonths(g1, {67, 67, 67, 67, 67, 67, 67, 67, 33, 33, 33, 33});
  ASSERT_EQ(g1["children"].size(), 2u) << g1.dump();
  EXPECT_EQ(g1["children"][0]["unit"], "a1");
  ExpectMonths(g1["children"][0], {34, 34, 34, 34, 34, 34, 34, 34, 33, 33, 33, 33});
  EXPECT_EQ(g1["children"][1]["unit"], "a2");
  ExpectMonths(g1["children"][1], {33, 33, 33, 33, 33, 33, 33, 33, 0, 0, 0, 0});
  EXPECT_EQ(g1["children"][1]["year_target"], 8 * 33);

  const nlohmann::json g2 = Breakdown(okrd, "g2");
  ExpectMonths(g2, {33, 33, 33, 33, 33, 33, 33, 33, 67, 67, 67, 67});
  ASSERT_EQ(g2["children"].size(), 2u) << g2.dump();
  EXPECT_EQ(g2["children"][0]["unit"], "a2");
  ExpectMonths(g2["children"][0], {0, 0, 0, 0, 0, 0, 0, 0, 34, 34, 34, 34});
  EXPECT_EQ(g2["children"][0]["year_target"], 4 * 34);
  EXPECT_EQ(g2["children"][1]["unit"], "a3");
  ExpectMonths(g2["children"][1], {33, 33, 33, 33, 33, 33, 33, 33, 33, 33, 33, 33});
}

TEST(Deactivate, NeverExtendsAnAgentWhoHasLeftAndAuditsBeforeAndAfter) {
  OkrdProcess okrd;
  CommandResult r = okrd.Ctl({"org", "import",
                              okrd.WriteFile("org.csv",
                                             "unit_id,parent_id,kind,name,fte,start_date,end_date\n"
                                             "co,,company,Company,,,\n"
                                             "a1,co,agent,Ann,1.0,,\n"
                                             "a2,co,agent,Lea,1.0,,2026-06-15\n")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // a2 left on 06-15: a later "last day" would bring her back for the summer.
  r = okrd.Ctl({"org", "deactivate", "--unit", "a2", "--end-date", "2026-10-31"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("FAILED_PRECONDITION: unit 'a2' already ended on 2026-06-15"),
            std::string::npos)
      << r.err;
  // a1 leaves on 09-30: the audit holds what changed.
  r = okrd.Ctl({"org", "deactivate", "--unit", "a1", "--end-date", "2026-09-30"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = okrd.Ctl({"history", "--unit", "a1", "-o", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json history = r.Json();
  const nlohmann::json* entry = nullptr;
  for (const auto& e : history["entries"]) {
    if (e["action"] == "org.deactivate") entry = &e;
  }
  ASSERT_NE(entry, nullptr) << r.out;
  EXPECT_EQ((*entry)["before"], nlohmann::json({{"end_date", nullptr}, {"deactivated", false}}));
  EXPECT_EQ((*entry)["after"],
            nlohmann::json({{"end_date", "2026-09-30"}, {"deactivated", false}}));
}

}  // namespace
}  // namespace okr::testing
