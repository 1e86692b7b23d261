// Access end to end through okrctl: tokens, roles and scopes. The rule of every RPC x role x
// scope is tested against the access table in tests/unit/api/access_policy_test.cc; the rules about
// proposals, alerts and kudos end to end in access_rules_test.cc.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/integration/harness.h"

namespace okr::testing {
namespace {

// End to end through okrctl.
constexpr char kOrg[] =
    "unit_id,parent_id,kind,name,fte,start_date,end_date\n"
    "co,,company,Company,,,\n"
    "t1,co,team,Team one,,,\n"
    "t2,co,team,Team two,,,\n"
    "g1,t1,group,Group one,,,\n"
    "g2,t2,group,Group two,,,\n"
    "a1,g1,agent,Ann,1.0,,\n"
    "a2,g1,agent,Bob,1.0,,\n"
    "a3,g2,agent,Cid,1.0,,\n";

TEST(AccessEndToEnd, TokensRolesAndScopes) {
  OkrdProcess okrd;
  ASSERT_EQ(okrd.Ctl({"org", "import", okrd.WriteFile("org.csv", kOrg)}).exit_code, 0);
  ASSERT_EQ(okrd.Ctl({"metric", "define", "tickets", "--kind", "count"}).exit_code, 0);
  ASSERT_EQ(okrd.Ctl({"target", "set", "--unit", "co", "--metric", "tickets", "--year", "2026",
                      "--value", "36500"})
                .exit_code,
            0);
  ASSERT_EQ(
      okrd.Ctl({"cascade", "--unit", "co", "--metric", "tickets", "--year", "2026"}).exit_code, 0);
  auto token = [&](const std::string& role, const std::string& unit) {
    CommandResult r = okrd.Ctl({"-o", "json", "token", "create", "--role", role, "--unit", unit});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.Json();
  };
  const std::string agent = token("agent", "a1")["token"];
  const std::string lead = token("lead", "t1")["token"];
  auto expect_status = [](const CommandResult& r, const std::string& status) {
    EXPECT_NE(r.exit_code, 0) << r.out;
    EXPECT_NE(r.err.find(status), std::string::npos) << r.err;
  };
  const std::vector<std::string> progress = {"progress", "--metric", "tickets",    "--period",
                                             "2026-01",  "--as-of",  "2026-01-10", "--unit"};
  auto with_unit = [&](const std::string& unit) {
    std::vector<std::string> args = progress;
    args.push_back(unit);
    return args;
  };

  // An agent reads its own progress but not a colleague's.
  CommandResult own = okrd.CtlAs(agent, with_unit("a1"));
  EXPECT_EQ(own.exit_code, 0) << own.err;
  expect_status(okrd.CtlAs(agent, with_unit("a2")), "PERMISSION_DENIED");
  expect_status(okrd.CtlAs(agent, with_unit("g1")), "PERMISSION_DENIED");
  // A lead reads its subtree but cannot cascade, not even its own unit.
  EXPECT_EQ(okrd.CtlAs(lead, with_unit("a2")).exit_code, 0);
  expect_status(okrd.CtlAs(lead, with_unit("a3")), "PERMISSION_DENIED");
  expect_status(
      okrd.CtlAs(lead, {"cascade", "--unit", "t1", "--metric", "tickets", "--year", "2026"}),
      "PERMISSION_DENIED");
  expect_status(okrd.CtlAs(lead, {"token", "create", "--role", "admin"}), "PERMISSION_DENIED");
  // No token, a made-up one.
  expect_status(okrd.CtlAs("", with_unit("a1")), "UNAUTHENTICATED");
  expect_status(okrd.CtlAs("okr_0000", with_unit("a1")), "UNAUTHENTICATED");

  // `org show` as the lead shows t1's subtree only: t1, g1, a1, a2 (depth first by id).
  CommandResult show = okrd.CtlAs(lead, {"-o", "json", "org", "show"});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  std::vector<std::string> units;
  const nlohmann::json shown = show.Json();
  for (const auto& u : shown["units"]) units.push_back(u["unit_id"]);
  EXPECT_EQ(units, (std::vector<std::string>{"t1", "g1", "a1", "a2"}));
  expect_status(okrd.CtlAs(lead, {"org", "show", "co"}), "PERMISSION_DENIED");
  expect_status(okrd.CtlAs(lead, {"org", "show", "t2"}), "PERMISSION_DENIED");

  // A revoked token no longer authenticates.
  auto doomed = token("agent", "a2");
  CommandResult before = okrd.CtlAs(doomed["token"], with_unit("a2"));
  EXPECT_EQ(before.exit_code, 0) << before.err;
  CommandResult revoke = okrd.Ctl({"token", "revoke", doomed["token_id"]});
  ASSERT_EQ(revoke.exit_code, 0) << revoke.err;
  expect_status(okrd.CtlAs(doomed["token"], with_unit("a2")), "UNAUTHENTICATED");
  // ...also after a restart, while the others still work.
  okrd.Restart();
  expect_status(okrd.CtlAs(doomed["token"], with_unit("a2")), "UNAUTHENTICATED");
  EXPECT_EQ(okrd.CtlAs(agent, with_unit("a1")).exit_code, 0);
}

}  // namespace
}  // namespace okr::testing
