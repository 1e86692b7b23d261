// Review of monthly breakdowns through okrctl: lead tokens, a redistribution approved by the
// lead above, a change of a lead's own month target (siblings absorb it), who may not
// approve, rejections need a reason, stale proposals, totals that do not match, the pending
// list and the history.
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
//   January (31 days): co 12400, t1 9300, t2 3100, g1 6200, g2 3100, each agent 3100.
//   February (28): co 11200, t1 8400, g1 5600, g2 2800, each agent 2800.
//   A year: each agent 36500, g1 73000, t1 109500.

const nlohmann::json& ChildRow(const nlohmann::json& breakdown, const std::string& unit) {
  for (const auto& child : breakdown.at("children")) {
    if (child.at("unit") == unit) return child;
  }
  static const nlohmann::json kEmpty = {{"unit", ""}, {"year_target", -1}, {"months", {}}};
  ADD_FAILURE() << "no child " << unit << " in " << breakdown.dump();
  return kEmpty;
}

class Review : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(Json({"org", "import", okrd_.WriteFile("org.csv", kOrg)})["created"], 10);
    Json({"metric", "define", "tickets", "--kind", "count", "--direction", "up"});
    Json({"target", "set", "--unit", "co", "--metric", "tickets", "--year", "2026", "--value",
          "146000"});
    Json({"cascade", "--unit", "co", "--metric", "tickets", "--year", "2026"});
    lead_g1_ = Token("lead", "g1");
    lead_g2_ = Token("lead", "g2");
    lead_t1_ = Token("lead", "t1");
    lead_t2_ = Token("lead", "t2");
  }

  // okrctl -o json ARGS with `token` (admin by default); fails the test on an error.
  nlohmann::json Json(std::vector<std::string> args, const std::string& token = "") {
    args.insert(args.begin(), {"-o", "json"});
    CommandResult r = okrd_.CtlAs(token.empty() ? okrd_.admin_token() : token, args);
    if (r.exit_code != 0) {
      ADD_FAILURE() << "okrctl failed: " << r.err;
      return nlohmann::json::object();
    }
    return r.Json();
  }

  // Expects okrctl to fail with `status` in its message; returns stderr.
  std::string Fails(const std::string& token, const std::vector<std::string>& args,
                    const std::string& status) {
    CommandResult r = okrd_.CtlAs(token, args);
    EXPECT_NE(r.exit_code, 0) << r.out;
    EXPECT_NE(r.err.find(status), std::string::npos) << r.err;
    return r.err;
  }

  std::string Token(const std::string& role, const std::string& unit) {
    auto created = Json({"token", "create", "--role", role, "--unit", unit});
    EXPECT_EQ(created["role"], role);
    EXPECT_EQ(created["unit"], unit);
    EXPECT_FALSE(created["token"].get<std::string>().empty());
    return created["token"];
  }

  nlohmann::json Breakdown(const std::string& unit) {
    return Json({"breakdown", "--unit", unit, "--metric", "tickets", "--year", "2026"});
  }

  nlohmann::json Propose(const std::string& token, const std::string& unit,
                         const std::string& month, const std::vector<std::string>& extra) {
    std::vector<std::string> args = {"review",   "propose", "--unit",  unit,
                                     "--metric", "tickets", "--month", month};
    args.insert(args.end(), extra.begin(), extra.end());
    return Json(args, token);
  }

  OkrdProcess okrd_;
  std::string lead_g1_, lead_g2_, lead_t1_, lead_t2_;
};

TEST_F(Review, RedistributionApprovedByTheLeadAbove) {
  const int64_t version = Breakdown("g1")["plan_version"].get<int64_t>();

  // The lead of g1 moves 900 of January from a2 to a1: 4000 + 2200 = 6200, g1's January.
  auto proposal =
      Propose(lead_g1_, "g1", "2026-01", {"--set", "a1=4000,a2=2200", "--reason", "Bob on leave"});
  EXPECT_EQ(proposal["status"], "pending");
  EXPECT_EQ(proposal["kind"], "redistribute");
  EXPECT_EQ(proposal["base_plan_version"], version);
  const std::string id = std::to_string(proposal["id"].get<int64_t>());

  // A second proposal made against the same version (April), left pending.
  auto april = Propose(lead_g1_, "g1", "2026-04", {"--set", "a1=3500,a2=2500"});
  const std::string april_id = std::to_string(april["id"].get<int64_t>());

  // The pending list, as the lead above sees it, has both.
  auto pending = Json({"review", "list", "--status", "pending"}, lead_t1_);
  ASSERT_EQ(pending["proposals"].size(), 2u) << pending.dump(1);
  EXPECT_EQ(pending["proposals"][0]["unit"], "g1");

  // The proposer may not approve its own proposal; nor may the lead of another team, nor
  // the lead of a sibling group.
  Fails(lead_g1_, {"review", "approve", id}, "PERMISSION_DENIED");
  Fails(lead_t2_, {"review", "approve", id}, "PERMISSION_DENIED");
  Fails(lead_g2_, {"review", "approve", id}, "PERMISSION_DENIED");

  auto approved = Json({"review", "approve", id, "--reason", "ok"}, lead_t1_);
  EXPECT_EQ(approved["status"], "approved");
  EXPECT_FALSE(approved["decided_by"].get<std::string>().empty());

  // Applied: a1 January 4000, a2 2200; g1's month (6200) and year (73000) unchanged;
  // a1's year 36500 - 3100 + 4000 = 37400, a2's 36500 - 3100 + 2200 = 35600.
  auto g1 = Breakdown("g1");
  EXPECT_EQ(g1["months"][0], 6200);
  EXPECT_EQ(g1["year_target"], 73000);
  EXPECT_EQ(ChildRow(g1, "a1")["months"][0], 4000);
  EXPECT_EQ(ChildRow(g1, "a2")["months"][0], 2200);
  EXPECT_EQ(ChildRow(g1, "a1")["year_target"], 37400);
  EXPECT_EQ(ChildRow(g1, "a2")["year_target"], 35600);
  // Other months keep their values (February 2800 each).
  EXPECT_EQ(ChildRow(g1, "a1")["months"][1], 2800);
  EXPECT_EQ(ChildRow(g1, "a2")["months"][1], 2800);
  // The team's plan is unchanged: t1 January 9300, g1 6200, g2 3100.
  auto t1 = Breakdown("t1");
  EXPECT_EQ(t1["months"][0], 9300);
  EXPECT_EQ(ChildRow(t1, "g2")["months"][0], 3100);
  // The plan version moved on, and the approved values became holds of the children.
  EXPECT_GT(g1["plan_version"].get<int64_t>(), version);
  auto a1 = Breakdown("a1");
  ASSERT_EQ(a1["holds"].size(), 1u) << a1.dump();
  EXPECT_EQ(a1["holds"][0], "2026-01");
  // A cascade from the top keeps the held values.
  Json({"cascade", "--unit", "co", "--metric", "tickets", "--year", "2026"});
  EXPECT_EQ(ChildRow(Breakdown("g1"), "a1")["months"][0], 4000);

  // The April proposal was made against the old version: approving it now is stale.
  const std::string stale = Fails(lead_t1_, {"review", "approve", april_id}, "FAILED_PRECONDITION");
  EXPECT_NE(stale.find("stale"), std::string::npos) << stale;
  pending = Json({"review", "list", "--status", "pending"}, lead_t1_);
  ASSERT_EQ(pending["proposals"].size(), 1u);
  EXPECT_EQ(std::to_string(pending["proposals"][0]["id"].get<int64_t>()), april_id);
  EXPECT_EQ(Json({"review", "list", "--status", "approved"}, lead_t1_)["proposals"].size(), 1u);

  // A new proposal naming an old base version is refused as stale at once.
  const std::string old = std::to_string(version);
  const std::string refused =
      Fails(lead_g1_,
            {"review", "propose", "--unit", "g1", "--metric", "tickets", "--month", "2026-05",
             "--set", "a1=3000,a2=3200", "--base-version", old},
            "FAILED_PRECONDITION");
  EXPECT_NE(refused.find("stale"), std::string::npos) << refused;

  // The history of g1 has the proposal's creation and approval.
  auto history = Json({"history", "--unit", "g1", "--metric", "tickets"});
  int created = 0, approvals = 0;
  for (const auto& e : history["entries"]) {
    if (e["action"] == "proposal.create") {
      ++created;
      EXPECT_EQ(e["unit"], "g1");
    }
    if (e["action"] == "proposal.approve") {
      ++approvals;
      EXPECT_EQ(e["after"]["proposal"].get<int64_t>(), std::stoll(id));
      EXPECT_NE(e["actor"].get<std::string>().find("@t1"), std::string::npos) << e.dump();
    }
  }
  EXPECT_EQ(created, 2) << history.dump(1);
  EXPECT_EQ(approvals, 1) << history.dump(1);
  // The creation entry of the January proposal has the children's values before and after.
  bool found = false;
  for (const auto& e : history["entries"]) {
    if (e["action"] != "proposal.create" || e["after"]["proposal"] != proposal["id"]) continue;
    found = true;
    EXPECT_EQ(e["before"]["values"]["a1"], 3100);
    EXPECT_EQ(e["before"]["values"]["a2"], 3100);
    EXPECT_EQ(e["after"]["values"]["a1"], 4000);
    EXPECT_EQ(e["after"]["values"]["a2"], 2200);
    EXPECT_EQ(e["reason"], "Bob on leave");
  }
  EXPECT_TRUE(found) << history.dump(1);
}

TEST_F(Review, ChangeOfOwnMonthTargetIsAbsorbedBySiblings) {
  // The lead of g2 asks for 3000 in February instead of 2800.
  auto proposal = Propose(lead_g2_, "g2", "2026-02", {"--value", "3000", "--reason", "promo"});
  EXPECT_EQ(proposal["kind"], "change");
  const std::string id = std::to_string(proposal["id"].get<int64_t>());
  // The lead of g1 (a sibling) may not decide it; the lead of t1 (the unit above) may.
  Fails(lead_g1_, {"review", "approve", id}, "PERMISSION_DENIED");
  Fails(lead_g2_, {"review", "approve", id}, "PERMISSION_DENIED");
  Json({"review", "approve", id}, lead_t1_);

  // t1's February stays 8400; g2 takes 3000, g1 absorbs the rest: 8400 - 3000 = 5400,
  // split 1:1 -> a1 2700, a2 2700; a3 (g2's only agent) 3000.
  auto t1 = Breakdown("t1");
  EXPECT_EQ(t1["months"][1], 8400);
  EXPECT_EQ(ChildRow(t1, "g2")["months"][1], 3000);
  EXPECT_EQ(ChildRow(t1, "g1")["months"][1], 5400);
  // Years: g2 36500 + 200 = 36700; g1 73000 - 200 = 72800; t1 109500.
  EXPECT_EQ(ChildRow(t1, "g2")["year_target"], 36700);
  EXPECT_EQ(ChildRow(t1, "g1")["year_target"], 72800);
  EXPECT_EQ(t1["year_target"], 109500);
  auto g1 = Breakdown("g1");
  EXPECT_EQ(ChildRow(g1, "a1")["months"][1], 2700);
  EXPECT_EQ(ChildRow(g1, "a2")["months"][1], 2700);
  EXPECT_EQ(ChildRow(Breakdown("g2"), "a3")["months"][1], 3000);
  // Other months are as they were (January 3100 each).
  EXPECT_EQ(ChildRow(g1, "a1")["months"][0], 3100);
  // The approved value is a hold of g2's February.
  auto g2 = Breakdown("g2");
  ASSERT_EQ(g2["holds"].size(), 1u);
  EXPECT_EQ(g2["holds"][0], "2026-02");
}

TEST_F(Review, RejectionsMismatchesAndSelfApproval) {
  // A redistribution whose total (4000 + 3000 = 7000) is not g1's January (6200).
  const std::string mismatch = Fails(lead_g1_,
                                     {"review", "propose", "--unit", "g1", "--metric", "tickets",
                                      "--month", "2026-01", "--set", "a1=4000,a2=3000"},
                                     "INVALID_ARGUMENT");
  EXPECT_NE(mismatch.find("6200"), std::string::npos) << mismatch;
  // A child that is not below g1.
  Fails(lead_g1_,
        {"review", "propose", "--unit", "g1", "--metric", "tickets", "--month", "2026-01", "--set",
         "a1=3100,a3=3100"},
        "INVALID_ARGUMENT");
  // A lead cannot propose for a unit outside its subtree.
  Fails(lead_g1_,
        {"review", "propose", "--unit", "g2", "--metric", "tickets", "--month", "2026-01",
         "--value", "3000"},
        "PERMISSION_DENIED");

  auto proposal = Propose(lead_g1_, "g1", "2026-03", {"--set", "a1=3000,a2=3200"});
  const std::string id = std::to_string(proposal["id"].get<int64_t>());
  // A rejection needs a reason (an empty one is refused by the server).
  Fails(lead_t1_, {"review", "reject", id, "--reason", ""}, "INVALID_ARGUMENT");
  auto rejected = Json({"review", "reject", id, "--reason", "March is our peak"}, lead_t1_);
  EXPECT_EQ(rejected["status"], "rejected");
  EXPECT_EQ(rejected["decision_reason"], "March is our peak");
  // Decided once: approving it now fails; the plan is untouched (March 3100 each).
  Fails(lead_t1_, {"review", "approve", id}, "FAILED_PRECONDITION");
  EXPECT_EQ(ChildRow(Breakdown("g1"), "a2")["months"][2], 3100);
  EXPECT_TRUE(Json({"review", "list", "--status", "pending"}, lead_t1_)["proposals"].empty());

  // The lead of t1 may propose within its subtree, but the proposer's own token cannot
  // approve its own proposal.
  auto own = Propose(lead_t1_, "g1", "2026-06", {"--set", "a1=3500,a2=2500"});
  const std::string own_id = std::to_string(own["id"].get<int64_t>());
  Fails(lead_t1_, {"review", "approve", own_id}, "PERMISSION_DENIED");
  // A director may.
  const std::string director = Token("director", "co");
  EXPECT_EQ(Json({"review", "approve", own_id}, director)["status"], "approved");
  // June: a1 3500, a2 2500 (was 3000 each for 30 days).
  auto g1 = Breakdown("g1");
  EXPECT_EQ(ChildRow(g1, "a1")["months"][5], 3500);
  EXPECT_EQ(ChildRow(g1, "a2")["months"][5], 2500);
}

}  // namespace
}  // namespace okr::testing
