// The access rules that used to live inside handlers (proposals, alerts, kudos) and the
// fail-closed answer for a request that names no unit, end to end through okrctl. The rule
// of every RPC x role x scope is tested in tests/unit/api/access_policy_test.cc.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "tests/integration/build_paths.h"
#include "tests/integration/harness.h"
#include "tests/integration/wait_for.h"

namespace okr::testing {
namespace {

// co -> t1 -> g1 {a1, a2}
//    -> t2 -> g3 {a4}
constexpr char kOrg[] =
    "unit_id,parent_id,kind,name,fte,start_date,end_date\n"
    "co,,company,Company,,,\n"
    "t1,co,team,Team one,,,\n"
    "t2,co,team,Team two,,,\n"
    "g1,t1,group,Group one,,,\n"
    "g3,t2,group,Group three,,,\n"
    "a1,g1,agent,Ann,1.0,,\n"
    "a2,g1,agent,Bob,1.0,,\n"
    "a4,g3,agent,Dee,1.0,,\n";

class AccessRules : public ::testing::Test {
 protected:
  AccessRules() : okrd_({"--plugin-dir", PluginDir()}) {}

  void SetUp() override {
    ASSERT_EQ(Json({"org", "import", okrd_.WriteFile("org.csv", kOrg)})["created"], 8);
    Json({"metric", "define", "tickets", "--kind", "count", "--direction", "up"});
    Json({"metric", "define", "complaints", "--kind", "count", "--direction", "down"});
    Json({"target", "set", "--unit", "co", "--metric", "tickets", "--year", "2026", "--value",
          "109500"});
    Json({"cascade", "--unit", "co", "--metric", "tickets", "--year", "2026"});
  }

  nlohmann::json Json(std::vector<std::string> args, const std::string& token = "") {
    args.insert(args.begin(), {"-o", "json"});
    CommandResult r = okrd_.CtlAs(token.empty() ? okrd_.admin_token() : token, args);
    if (r.exit_code != 0) {
      ADD_FAILURE() << "okrctl " << args[2] << " failed: " << r.err;
      return nlohmann::json::object();
    }
    return r.Json();
  }

  // Expects okrctl to fail with exactly `status`.
  void Fails(const std::string& token, const std::vector<std::string>& args,
             const std::string& status) {
    CommandResult r = okrd_.CtlAs(token, args);
    EXPECT_NE(r.exit_code, 0) << r.out;
    EXPECT_NE(r.err.find("okrctl: " + status + ":"), std::string::npos) << r.err;
  }

  std::string Token(const std::string& role, const std::string& unit) {
    return Json({"token", "create", "--role", role, "--unit", unit})["token"];
  }

  OkrdProcess okrd_;
};

TEST_F(AccessRules, ProposalsAreForLeadsOfTheirSubtree) {
  const std::string lead_g1 = Token("lead", "g1");
  const std::string lead_t1 = Token("lead", "t1");
  const std::string lead_t2 = Token("lead", "t2");
  const std::string agent_a1 = Token("agent", "a1");
  // 109500 over 365 days and three agents: 100 a day each; g1's January is 2 x 3100 = 6200.
  auto proposal = Json({"review", "propose", "--unit", "g1", "--metric", "tickets", "--month",
                        "2026-01", "--set", "a1=3500,a2=2700", "--reason", "Bob trains"},
                       lead_g1);
  const std::string id = std::to_string(proposal["id"].get<int64_t>());

  // An agent reads no proposal, not even one about its own group, and lists none.
  Fails(agent_a1, {"review", "list"}, "PERMISSION_DENIED");
  Fails(agent_a1, {"review", "show", id}, "PERMISSION_DENIED");
  Fails(agent_a1, {"review", "comment", id, "--text", "thanks"}, "PERMISSION_DENIED");
  // The other team's lead neither reads nor comments on it, nor lists g1's proposals; its own
  // list (t2's subtree) is empty.
  Fails(lead_t2, {"review", "show", id}, "PERMISSION_DENIED");
  Fails(lead_t2, {"review", "comment", id, "--text", "hm"}, "PERMISSION_DENIED");
  Fails(lead_t2, {"review", "list", "--unit", "g1"}, "PERMISSION_DENIED");
  EXPECT_TRUE(Json({"review", "list"}, lead_t2)["proposals"].empty());
  // A proposal that does not exist: NOT_FOUND, for a lead as for the admin.
  Fails(lead_t1, {"review", "show", "987654"}, "NOT_FOUND");
  Fails(okrd_.admin_token(), {"review", "show", "987654"}, "NOT_FOUND");
  // The lead above reads and comments; the proposer reads its own.
  EXPECT_EQ(Json({"review", "show", id}, lead_g1)["status"], "pending");
  auto commented = Json({"review", "comment", id, "--text", "fine by me"}, lead_t1);
  ASSERT_EQ(commented["comments"].size(), 1u) << commented.dump();
  ASSERT_EQ(Json({"review", "list"}, lead_t1)["proposals"].size(), 1u);
}

TEST_F(AccessRules, KudosGoToAColleagueWithinReach) {
  const std::string agent_a1 = Token("agent", "a1");
  const std::string lead_g1 = Token("lead", "g1");
  // An agent thanks any colleague, in its group or another team; never itself.
  Json({"kudos", "give", "--to", "a2", "--reason", "covered my queue"}, agent_a1);
  Json({"kudos", "give", "--to", "a4", "--reason", "great handover"}, agent_a1);
  Fails(agent_a1, {"kudos", "give", "--to", "a1", "--reason", "me"}, "PERMISSION_DENIED");
  // A lead thanks the people of its subtree.
  Json({"kudos", "give", "--to", "a2", "--reason", "steady month"}, lead_g1);
  Fails(lead_g1, {"kudos", "give", "--to", "a4", "--reason", "not mine"}, "PERMISSION_DENIED");
}

TEST_F(AccessRules, ANamedUnitIsNeededWhereARequestIsAboutOne) {
  const std::string agent_a1 = Token("agent", "a1");
  const std::string lead_g1 = Token("lead", "g1");
  // A breakdown names one unit; without it a lead or agent is refused before the handler.
  Fails(lead_g1, {"breakdown", "--unit", "", "--metric", "tickets", "--year", "2026"},
        "PERMISSION_DENIED");
  Fails(agent_a1, {"breakdown", "--unit", "", "--metric", "tickets", "--year", "2026"},
        "PERMISSION_DENIED");
  // A list without a unit is the caller's own: the lead of g1 sees g1, a1, a2.
  auto tree = Json({"org", "show"}, lead_g1);
  std::vector<std::string> units;
  for (const auto& u : tree["units"]) units.push_back(u["unit_id"]);
  EXPECT_EQ(units, (std::vector<std::string>{"g1", "a1", "a2"}));
}

TEST_F(AccessRules, AlertsAreActedOnByALeadOfTheirSubtree) {
  Json({"plugin", "configure", "threshold_redline", "--unit", "co", "--config",
        R"({"rules": [{"name": "complaints_14d", "type": "window_sum", "metric": "complaints",)"
        R"( "days": 14, "op": ">=", "threshold": 3, "severity": "critical"}]})"});
  // Three complaints for a4 on one day: one alert at a4.
  Json({"actuals", "import",
        okrd_.WriteFile("c.csv",
                        "event_id,unit_id,metric,date,value,denominator\n"
                        "c1,a4,complaints,2024-03-04,3,\n")});
  auto alerts_of_a4 = [&] { return Json({"alerts", "--unit", "a4"})["alerts"]; };
  ASSERT_TRUE(WaitFor(10, [&] { return alerts_of_a4().size() == 1; })) << alerts_of_a4().dump();
  const std::string id = alerts_of_a4()[0]["id"];

  // Agents act on no alert: not another unit's, not their own.
  Fails(Token("agent", "a1"), {"alerts", "ack", id}, "PERMISSION_DENIED");
  Fails(Token("agent", "a4"), {"alerts", "ack", id}, "PERMISSION_DENIED");
  // A lead outside a4's subtree neither acks nor resolves it.
  const std::string lead_t1 = Token("lead", "t1");
  Fails(lead_t1, {"alerts", "ack", id}, "PERMISSION_DENIED");
  Fails(Token("lead", "g1"), {"alerts", "resolve", id}, "PERMISSION_DENIED");
  Fails(lead_t1, {"alerts", "ack", "A987654"}, "NOT_FOUND");
  EXPECT_EQ(alerts_of_a4()[0]["status"], "open");
  // a4's group lead acks it, the team lead above resolves it.
  EXPECT_EQ(Json({"alerts", "ack", id}, Token("lead", "g3"))["status"], "acked");
  EXPECT_EQ(Json({"alerts", "resolve", id}, Token("lead", "t2"))["status"], "resolved");
}

}  // namespace
}  // namespace okr::testing
