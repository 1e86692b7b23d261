// Issue 2: a real okrd on a temp folder, driven by okrctl: import, re-import, bad file,
// show, metric define, bad kind, no token, restart.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "tests/integration/harness.h"

namespace okr::testing {
namespace {

constexpr char kOrg[] =
    "unit_id,parent_id,kind,name,fte,start_date,end_date\n"
    // Children before parents on purpose.
    "a1,g1,agent,Ann,1.0,,\n"
    "a2,g1,agent,Bob,0.5,2026-07-01,\n"
    "g1,t1,group,Group one,,,\n"
    "t1,co,team,Team one,,,\n"
    "co,,company,Company,,,\n";

TEST(Foundation, ImportShowReimportAndRestart) {
  OkrdProcess okrd;
  // The admin token file is private to the owner.
  struct stat st {};
  ASSERT_EQ(::stat((okrd.data_dir() + "/admin.token").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);

  const std::string file = okrd.WriteFile("org.csv", kOrg);
  CommandResult first = okrd.Ctl({"-o", "json", "org", "import", file});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  auto summary = first.Json();
  EXPECT_EQ(summary["created"], 5);
  EXPECT_EQ(summary["updated"], 0);
  EXPECT_EQ(summary["rejected"], 0);
  EXPECT_TRUE(summary["errors"].empty());

  // Re-importing the same file changes nothing.
  CommandResult again = okrd.Ctl({"-o", "json", "org", "import", file});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.Json()["created"], 0);
  EXPECT_EQ(again.Json()["updated"], 0);

  CommandResult show = okrd.Ctl({"-o", "json", "org", "show", "co", "--as-of", "2026-08-01"});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  auto units = show.Json()["units"];
  ASSERT_EQ(units.size(), 5u);
  // Depth-first, children by id.
  EXPECT_EQ(units[0]["unit_id"], "co");
  EXPECT_EQ(units[1]["unit_id"], "t1");
  EXPECT_EQ(units[2]["unit_id"], "g1");
  EXPECT_EQ(units[3]["unit_id"], "a1");
  EXPECT_EQ(units[4]["unit_id"], "a2");
  EXPECT_EQ(units[4]["depth"], 3);
  EXPECT_DOUBLE_EQ(units[4]["fte"].get<double>(), 0.5);
  EXPECT_EQ(units[4]["start_date"], "2026-07-01");

  // The table draws the tree with indentation.
  CommandResult table = okrd.Ctl({"org", "show", "--depth", "1"});
  ASSERT_EQ(table.exit_code, 0);
  EXPECT_NE(table.out.find("\n  t1 "), std::string::npos) << table.out;
  EXPECT_EQ(table.out.find("g1"), std::string::npos) << "depth 1 stops above groups";

  // An update of one row is counted as updated.
  std::string changed = kOrg;
  changed.replace(changed.find("Ann"), 3, "Anna");
  CommandResult update =
      okrd.Ctl({"-o", "json", "org", "import", okrd.WriteFile("org2.csv", changed)});
  ASSERT_EQ(update.exit_code, 0) << update.err;
  EXPECT_EQ(update.Json()["updated"], 1);
  EXPECT_EQ(update.Json()["created"], 0);

  CommandResult define = okrd.Ctl({"-o", "json", "metric", "define", "csat", "--kind", "ratio",
                                   "--direction", "up", "--scale", "100", "--unit", "%"});
  ASSERT_EQ(define.exit_code, 0) << define.err;
  EXPECT_EQ(define.Json()["kind"], "ratio");
  EXPECT_EQ(define.Json()["scale"], 100);

  okrd.Restart();
  CommandResult after = okrd.Ctl({"-o", "json", "org", "show", "co"});
  ASSERT_EQ(after.exit_code, 0) << after.err;
  EXPECT_EQ(after.Json()["units"].size(), 5u);
  EXPECT_EQ(after.Json()["units"][3]["name"], "Anna");
  CommandResult metrics = okrd.Ctl({"-o", "json", "metric", "list"});
  ASSERT_EQ(metrics.exit_code, 0);
  ASSERT_EQ(metrics.Json()["metrics"].size(), 1u);
  EXPECT_EQ(metrics.Json()["metrics"][0]["id"], "csat");
  EXPECT_EQ(okrd.last_exit_status(), 0) << "SIGTERM stops okrd cleanly";
}

TEST(Foundation, BadFileStoresNothingAndListsEveryBadRow) {
  OkrdProcess okrd;
  const std::string bad =
      okrd.WriteFile("bad.csv",
                     "unit_id,parent_id,kind,name,fte,start_date,end_date\n"
                     "co,,company,Company,,,\n"
                     "g1,nowhere,group,Orphan,,,\n"                 // line 3: unknown parent
                     "a1,co,robot,Robo,1,,\n"                       // line 4: bad kind
                     "a2,co,agent,Zero,0,,\n"                       // line 5: zero FTE
                     "a3,co,agent,Dates,1,2026-05-01,2026-04-01\n"  // line 6: end before start
                     "a4,co,agent,Short\n");                        // line 7: wrong column count
  CommandResult result = okrd.Ctl({"-o", "json", "org", "import", bad});
  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE(result.err.find("INVALID_ARGUMENT"), std::string::npos) << result.err;
  auto summary = result.Json();
  EXPECT_EQ(summary["created"], 0);
  EXPECT_EQ(summary["rejected"], 5);
  std::vector<int> lines;
  for (const auto& e : summary["errors"]) lines.push_back(e["line"].get<int>());
  EXPECT_EQ(lines, (std::vector<int>{3, 4, 5, 6, 7}));

  CommandResult show = okrd.Ctl({"-o", "json", "org", "show"});
  ASSERT_EQ(show.exit_code, 0);
  EXPECT_TRUE(show.Json()["units"].empty()) << "the good row was not stored either";
}

TEST(Foundation, ErrorsHaveTheRightStatus) {
  OkrdProcess okrd;
  CommandResult kind = okrd.Ctl({"metric", "define", "x", "--kind", "sum"});
  EXPECT_NE(kind.exit_code, 0);
  EXPECT_NE(kind.err.find("INVALID_ARGUMENT"), std::string::npos) << kind.err;

  CommandResult no_token = okrd.CtlAs("", {"metric", "list"});
  EXPECT_NE(no_token.exit_code, 0);
  EXPECT_NE(no_token.err.find("UNAUTHENTICATED"), std::string::npos) << no_token.err;

  CommandResult wrong = okrd.CtlAs("okr_not_a_token", {"org", "show"});
  EXPECT_NE(wrong.exit_code, 0);
  EXPECT_NE(wrong.err.find("UNAUTHENTICATED"), std::string::npos) << wrong.err;

  CommandResult unknown = okrd.Ctl({"org", "show", "nope"});
  EXPECT_NE(unknown.exit_code, 0);
  EXPECT_NE(unknown.err.find("NOT_FOUND"), std::string::npos) << unknown.err;
}

}  // namespace
}  // namespace okr::testing
