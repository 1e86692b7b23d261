// The cascade of a large org answers in one message: its reply lists the first 10,000 cells
// and units of the change, with the whole counts, where it used to fail with
// RESOURCE_EXHAUSTED ("Sent message larger than max") after the plan was written.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "tests/integration/fixtures.h"
#include "tests/integration/harness.h"

namespace okr::testing {
namespace {

// co > t > g > a0000 .. a0899: 903 units.
std::string LargeOrg() { return OrgOfAgents(900); }

// The diff of the first 2026 cascade of `org_csv` from co, with co's target `value`.
nlohmann::json FirstCascadeDiff(const OkrdProcess& okrd, const std::string& org_csv,
                                const std::string& value) {
  SetUpTickets(okrd, org_csv);
  EXPECT_EQ(okrd.Ctl({"target", "set", "--unit", "co", "--metric", "tickets", "--year", "2026",
                      "--value", value})
                .exit_code,
            0);
  CommandResult r =
      okrd.Ctl({"-o", "json", "cascade", "--unit", "co", "--metric", "tickets", "--year", "2026"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.exit_code == 0 ? r.Json()["diff"] : nlohmann::json::object();
}

TEST(LargeCascade, TheReplyListsTheFirstTenThousandCellsAndCountsThemAll) {
  OkrdProcess okrd;
  const nlohmann::json diff = FirstCascadeDiff(okrd, LargeOrg(), "1080000");
  // A first plan: all 12 months of all 903 units change (co's own months included).
  EXPECT_EQ(diff["cells_changed"], 903 * 12);
  EXPECT_EQ(diff["units_changed"], 903);
  EXPECT_EQ(diff["truncated"], true);
  EXPECT_EQ(diff["cells"].size(), 10000u);
  EXPECT_EQ(diff["units"].size(), 903u);
  // In the tree's order, 12 months each: co, t, g (cells 1-36), then the agents by id. The
  // 10,000th cell is 9,964 cells into the agents: 830 whole agents (a0000-a0829, 9,960 cells)
  // and 4 months of a0830.
  EXPECT_EQ(diff["cells"][0]["unit"], "co");
  EXPECT_EQ(diff["cells"][9999]["unit"], "a0830");
  EXPECT_EQ(diff["cells"][9999]["month"], "2026-04");
  // The plan itself is whole: every agent has its 1,080,000 / 900 = 1,200 for the year.
  CommandResult last =
      okrd.Ctl({"-o", "json", "breakdown", "--unit", "g", "--metric", "tickets", "--year", "2026"});
  ASSERT_EQ(last.exit_code, 0) << last.err;
  EXPECT_NE(last.out.find("a0899"), std::string::npos);
}

TEST(LargeCascade, ASmallChangeIsListedWholeWithoutTheTruncatedKey) {
  OkrdProcess okrd;
  const nlohmann::json diff =
      FirstCascadeDiff(okrd,
                       "unit_id,parent_id,kind,name,fte\nco,,company,Co,\nt,co,team,T,\n"
                       "g,t,group,G,\na1,g,agent,A1,1.0\n",
                       "1200");
  EXPECT_FALSE(diff.contains("truncated"));
  EXPECT_EQ(diff["cells_changed"], 4 * 12);
  EXPECT_EQ(diff["cells"].size(), 48u);
  EXPECT_EQ(diff["units_changed"], 4);
}

}  // namespace
}  // namespace okr::testing
