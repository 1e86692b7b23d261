// Issue 19, item 1: who may approve. A group lead proposed a change of one agent's month, and a
// second token of the same group lead approved it: the rule read "the lead of the unit above
// the proposal's unit", and the group is above the agent. PRODUCT.md "Review": only a
// director, or a lead of a unit strictly above the PROPOSER's own unit, approves or rejects;
// never another token of the proposer's unit.
//
// Every expected value below is worked out by hand in the comments.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/integration/harness.h"

namespace okr::testing {
namespace {

// co -> t1 -> g1 {a1, a2}, g2 {a3}
//    -> t2 -> g3 {a4}
// All agents 1.0 FTE all year.
constexpr char kOrg[] =
    "unit_id,parent_id,kind,name,fte,start_date,end_date\n"
    "co,,company,Company,,,\n"
    "t1,co,team,Team one,,,\n"
    "t2,co,team,Team two,,,\n"
    "g1,t1,group,Group one,,,\n"
    "g2,t1,group,Group two,,,\n"
    "g3,t2,group,Group three,,,\n"
    "a1,g1,agent,Ann,1.0,,\n"
    "a2,g1,agent,Bob,1.0,,\n"
    "a3,g2,agent,Cid,1.0,,\n"
    "a4,g3,agent,Dee,1.0,,\n";

// 146000 = 400 a day over 365 days; four equal agents: 100 a day each.
//   February (28 days): g1 5600, each agent 2800. March (31 days): g1 6200, each agent 3100.

class ApprovalRule : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(Json({"org", "import", okrd_.WriteFile("org.csv", kOrg)})["created"], 10);
    Json({"metric", "define", "tickets", "--kind", "count", "--direction", "up"});
    Json({"target", "set", "--unit", "co", "--metric", "tickets", "--year", "2026", "--value",
          "146000"});
    Json({"cascade", "--unit", "co", "--metric", "tickets", "--year", "2026"});
  }

  // okrctl -o json ARGS with `token` (admin by default); fails the test on an error.
  nlohmann::json Json(std::vector<std::string> args, const std::string& token = "") {
    args.insert(args.begin(), {"-o", "json"});
    CommandResult r = okrd_.CtlAs(token.empty() ? okrd_.admin_token() : token, args);
    if (r.exit_code != 0) {
      ADD_FAILURE() << "okrctl " << args[2] << " failed: " << r.err;
      return nlohmann::json::object();
    }
    return r.Json();
  }

  // Expects okrctl to fail with exactly PERMISSION_DENIED.
  void Denied(const std::string& token, const std::vector<std::string>& args) {
    CommandResult r = okrd_.CtlAs(token, args);
    EXPECT_NE(r.exit_code, 0) << r.out;
    EXPECT_NE(r.err.find("okrctl: PERMISSION_DENIED"), std::string::npos) << r.err;
  }

  std::string Token(const std::string& role, const std::string& unit) {
    return Json({"token", "create", "--role", role, "--unit", unit})["token"];
  }

  // a1's month `m` (0-based) in g1's breakdown.
  int64_t CellOf(const std::string& agent, int m) {
    auto breakdown = Json({"breakdown", "--unit", "g1", "--metric", "tickets", "--year", "2026"});
    for (const auto& child : breakdown["children"]) {
      if (child["unit"] == agent) return child["months"][m].get<int64_t>();
    }
    ADD_FAILURE() << "no " << agent << " in " << breakdown.dump();
    return -1;
  }

  std::string Status(const std::string& id) {
    return Json({"review", "show", id})["status"].get<std::string>();
  }

  OkrdProcess okrd_;
};

TEST_F(ApprovalRule, ASecondTokenOfTheProposersUnitNeitherApprovesNorRejects) {
  const std::string g1_first = Token("lead", "g1");
  const std::string g1_second = Token("lead", "g1");
  // The lead of g1 asks for 3000 of a1 in February instead of 2800.
  auto proposal = Json({"review", "propose", "--unit", "a1", "--metric", "tickets", "--month",
                        "2026-02", "--value", "3000", "--reason", "a1 covers the chat queue"},
                       g1_first);
  ASSERT_EQ(proposal["status"], "pending") << proposal.dump();
  const std::string id = std::to_string(proposal["id"].get<int64_t>());

  // g1 is the unit above a1, but it is the proposer's own unit: no g1 token decides.
  Denied(g1_second, {"review", "approve", id});
  Denied(g1_second, {"review", "reject", id, "--reason", "no"});
  Denied(g1_first, {"review", "approve", id});
  // Nor a sibling group's lead, the other team's lead, or the agent.
  Denied(Token("lead", "g2"), {"review", "approve", id});
  Denied(Token("lead", "t2"), {"review", "approve", id});
  Denied(Token("agent", "a1"), {"review", "approve", id});
  EXPECT_EQ(Status(id), "pending");
  EXPECT_EQ(CellOf("a1", 1), 2800);

  // The lead of t1 (above g1) may: a1 3000, a2 5600 - 3000 = 2600; g1 keeps 5600.
  auto approved = Json({"review", "approve", id}, Token("lead", "t1"));
  EXPECT_EQ(approved["status"], "approved");
  EXPECT_EQ(CellOf("a1", 1), 3000);
  EXPECT_EQ(CellOf("a2", 1), 2600);
}

TEST_F(ApprovalRule, TheLeadAboveTheProposalIsNotEnoughWhenTheProposerIsHigher) {
  // The lead of t1 proposes 3400 for a1 in March (a1 is deep in t1's subtree).
  const std::string t1 = Token("lead", "t1");
  auto proposal = Json({"review", "propose", "--unit", "a1", "--metric", "tickets", "--month",
                        "2026-03", "--value", "3400", "--reason", "a1 takes the launch"},
                       t1);
  ASSERT_EQ(proposal["status"], "pending") << proposal.dump();
  const std::string id = std::to_string(proposal["id"].get<int64_t>());
  // g1 is directly above a1 but below the proposer; a second t1 token is the proposer's unit.
  Denied(Token("lead", "g1"), {"review", "approve", id});
  Denied(Token("lead", "g1"), {"review", "reject", id, "--reason", "no"});
  Denied(Token("lead", "t1"), {"review", "approve", id});
  EXPECT_EQ(Status(id), "pending");
  // The lead of co (above t1) may reject; a director may approve a second proposal.
  auto rejected = Json({"review", "reject", id, "--reason", "not in March"}, Token("lead", "co"));
  EXPECT_EQ(rejected["status"], "rejected");
  auto again = Json({"review", "propose", "--unit", "a1", "--metric", "tickets", "--month",
                     "2026-03", "--value", "3400", "--reason", "a1 takes the launch"},
                    t1);
  const std::string again_id = std::to_string(again["id"].get<int64_t>());
  auto approved = Json({"review", "approve", again_id}, Token("director", "co"));
  EXPECT_EQ(approved["status"], "approved");
  // March: a1 3400, a2 6200 - 3400 = 2800.
  EXPECT_EQ(CellOf("a1", 2), 3400);
  EXPECT_EQ(CellOf("a2", 2), 2800);
}

}  // namespace
}  // namespace okr::testing
