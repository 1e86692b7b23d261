// Plans and proposals through okrctl (issue 19): the audit of approvals, rejections,
// proposals, cascades, holds and targets carries the cells that moved, before and after;
// proposals show every cell they move (siblings that absorb the change included) and who
// proposed by label and unit name; cascade --dry-run is a diff down to agents; plan check
// lists units without a target, stale plans and holds that no longer fit; cascade
// --all-metrics re-plans every metric of a unit, all or nothing.
//
// Every expected value below is worked out by hand in the comments.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/integration/harness.h"

namespace okr::testing {
namespace {

using ::testing::ContainsRegex;
using ::testing::HasSubstr;
using json = nlohmann::json;

// co -> t1 {a1, a2}
//    -> t2 {a3, a4}
// Every agent 1.0 FTE all year.
constexpr char kOrg[] =
    "unit_id,parent_id,kind,name,fte,start_date,end_date\n"
    "co,,company,Company,,,\n"
    "t1,co,team,Team one,,,\n"
    "t2,co,team,Team two,,,\n"
    "a1,t1,agent,Ann,1.0,,\n"
    "a2,t1,agent,Bob,1.0,,\n"
    "a3,t2,agent,Cid,1.0,,\n"
    "a4,t2,agent,Dee,1.0,,\n";

constexpr char kEven[] = "1,1,1,1,1,1,1,1,1,1,1,1";

// tickets 2026: 1200 over twelve equal weights is 100 a month for co; each team has two of
// the four FTE: 50 a month (600 a year); each agent 25 a month (300 a year).
class PlansAndProposals : public ::testing::Test {
 protected:
  void SetUp() override {
    Json({"org", "import", okrd_.WriteFile("org.csv", kOrg)});
    Json({"metric", "define", "tickets", "--kind", "count", "--direction", "up"});
    Json({"target", "set", "--unit", "co", "--metric", "tickets", "--year", "2026", "--value",
          "1200", "--seasonality", kEven});
    Json({"cascade", "--unit", "co", "--metric", "tickets", "--year", "2026"});
  }

  // okrctl -o json ARGS with `token` (admin by default); fails the test on an error.
  json Json(std::vector<std::string> args, const std::string& token = "") {
    args.insert(args.begin(), {"-o", "json"});
    CommandResult r = okrd_.CtlAs(token.empty() ? okrd_.admin_token() : token, args);
    if (r.exit_code != 0) {
      ADD_FAILURE() << "okrctl failed: " << r.err;
      return json::object();
    }
    return r.Json();
  }

  // The stderr of a command that must fail.
  std::string Fails(const std::vector<std::string>& args, const std::string& token = "") {
    CommandResult r = okrd_.CtlAs(token.empty() ? okrd_.admin_token() : token, args);
    EXPECT_NE(r.exit_code, 0) << r.out;
    return r.err;
  }

  std::string Text(const std::vector<std::string>& args, const std::string& token = "") {
    CommandResult r = okrd_.CtlAs(token.empty() ? okrd_.admin_token() : token, args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out;
  }

  std::string Token(const std::string& role, const std::string& unit, const std::string& label) {
    return Json({"token", "create", "--role", role, "--unit", unit, "--label", label})["token"];
  }

  // The newest history entry with `action`.
  json Last(const std::string& action) {
    json found;
    const json history = Json({"history", "--metric", "tickets"});
    for (const auto& e : history["entries"]) {
      if (e["action"] == action) found = e;
    }
    EXPECT_FALSE(found.is_null()) << "no " << action << " in the history";
    return found;
  }

  json Months(const std::string& unit, const std::string& metric = "tickets") {
    return Json({"breakdown", "--unit", unit, "--metric", metric, "--year", "2026"})["months"];
  }

  OkrdProcess okrd_;
};

// ---------------------------------------------------------------------------------------------
// Defect 10: the audit carries the real before and after.
// ---------------------------------------------------------------------------------------------

TEST_F(PlansAndProposals, ApprovalAuditRecordsTheCellsItMovedWithTheSiblingsThatAbsorbIt) {
  const std::string lead_t2 = Token("lead", "t2", "Tess");
  // t2 asks for 60 in March instead of 50. co's March stays 100: t1 absorbs 10 (50 -> 40,
  // a1 and a2 25 -> 20 each); t2's agents share 60 (a3 and a4 25 -> 30).
  // Years: t1 600 - 10 = 590, a1 and a2 300 - 5 = 295; t2 610, a3 and a4 305.
  json proposal = Json({"review", "propose", "--unit", "t2", "--metric", "tickets", "--month",
                        "2026-03", "--value", "60", "--reason", "launch"},
                       lead_t2);
  const std::string id = std::to_string(proposal["id"].get<int64_t>());

  // The creation records what approving would move.
  json created = Last("proposal.create");
  EXPECT_EQ(created["before"]["values"], json({{"t2", 50}}));
  EXPECT_EQ(created["after"]["values"], json({{"t2", 60}}));
  EXPECT_EQ(created["after"]["status"], "pending");
  EXPECT_EQ(created["after"]["cells"]["t1"]["2026-03"], 40);
  EXPECT_EQ(created["after"]["cells"]["a4"]["2026-03"], 30);

  Json({"review", "approve", id, "--reason", "fine"});
  json approved = Last("proposal.approve");
  const json cells_before = {{"t1", {{"2026-03", 50}}}, {"a1", {{"2026-03", 25}}},
                             {"a2", {{"2026-03", 25}}}, {"t2", {{"2026-03", 50}}},
                             {"a3", {{"2026-03", 25}}}, {"a4", {{"2026-03", 25}}}};
  const json cells_after = {{"t1", {{"2026-03", 40}}}, {"a1", {{"2026-03", 20}}},
                            {"a2", {{"2026-03", 20}}}, {"t2", {{"2026-03", 60}}},
                            {"a3", {{"2026-03", 30}}}, {"a4", {{"2026-03", 30}}}};
  EXPECT_EQ(approved["before"]["cells"], cells_before) << approved.dump(1);
  EXPECT_EQ(approved["after"]["cells"], cells_after) << approved.dump(1);
  EXPECT_EQ(approved["before"]["years"],
            json({{"t1", 600}, {"a1", 300}, {"a2", 300}, {"t2", 600}, {"a3", 300}, {"a4", 300}}));
  EXPECT_EQ(approved["after"]["years"],
            json({{"t1", 590}, {"a1", 295}, {"a2", 295}, {"t2", 610}, {"a3", 305}, {"a4", 305}}));
  // The approved value became a hold of t2's March; there was none before.
  EXPECT_EQ(approved["before"]["holds"], json({{"t2", nullptr}}));
  EXPECT_EQ(approved["after"]["holds"], json({{"t2", 60}}));
  EXPECT_EQ(approved["before"]["status"], "pending");
  EXPECT_EQ(approved["after"]["status"], "approved");
  EXPECT_EQ(approved["after"]["proposal"].get<int64_t>(), std::stoll(id));
  EXPECT_EQ(approved["after"]["month"], "2026-03");
  // And the plan is what the audit says.
  EXPECT_EQ(Months("a1")[2], 20);
  EXPECT_EQ(Months("a3")[2], 30);

  // A rejection moves no cell: its before and after are the proposal's status.
  json april = Json({"review", "propose", "--unit", "t2", "--metric", "tickets", "--month",
                     "2026-04", "--set", "a3=40,a4=10"},
                    lead_t2);
  Json({"review", "reject", std::to_string(april["id"].get<int64_t>()), "--reason", "no"});
  json rejected = Last("proposal.reject");
  EXPECT_EQ(rejected["before"],
            json({{"proposal", april["id"]}, {"status", "pending"}, {"month", "2026-04"}}));
  EXPECT_EQ(rejected["after"],
            json({{"proposal", april["id"]}, {"status", "rejected"}, {"month", "2026-04"}}));
}

TEST_F(PlansAndProposals, CascadeHoldAndTargetAuditCarryRealBeforeAndAfter) {
  // a1's March held at 35: t1's March 50 leaves 15 for a2. Nothing moves until a cascade.
  Json({"hold", "--unit", "a1", "--metric", "tickets", "--period", "2026-03", "--value", "35"});
  json hold = Last("hold.set");
  EXPECT_EQ(hold["before"], json({{"period", "2026-03"}, {"value", nullptr}}));
  EXPECT_EQ(hold["after"], json({{"period", "2026-03"}, {"value", 35}}));

  Json({"cascade", "--unit", "co", "--metric", "tickets", "--year", "2026"});
  json cascade = Last("cascade");
  // Only a1 and a2's March moved: 25 -> 35 and 25 -> 15; years 300 -> 310 and 290.
  EXPECT_EQ(cascade["before"]["cells"],
            json({{"a1", {{"2026-03", 25}}}, {"a2", {{"2026-03", 25}}}}));
  EXPECT_EQ(cascade["after"]["cells"],
            json({{"a1", {{"2026-03", 35}}}, {"a2", {{"2026-03", 15}}}}));
  EXPECT_EQ(cascade["before"]["years"], json({{"a1", 300}, {"a2", 300}}));
  EXPECT_EQ(cascade["after"]["years"], json({{"a1", 310}, {"a2", 290}}));

  Json({"hold", "--unit", "a1", "--metric", "tickets", "--period", "2026-03", "--clear"});
  json cleared = Last("hold.clear");
  EXPECT_EQ(cleared["before"], json({{"period", "2026-03"}, {"value", 35}}));
  EXPECT_EQ(cleared["after"], json({{"period", "2026-03"}, {"value", nullptr}}));

  // A new target replaces the old one: both sides whole.
  Json({"target", "set", "--unit", "co", "--metric", "tickets", "--year", "2026", "--value",
        "2400"});
  json target = Last("target.set");
  EXPECT_EQ(target["before"], json({{"year", 2026},
                                    {"value", 1200},
                                    {"seasonality", {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}}}));
  EXPECT_EQ(target["after"], json({{"year", 2026}, {"value", 2400}, {"seasonality", nullptr}}));
}

// ---------------------------------------------------------------------------------------------
// Proposals show every cell they move, and who proposed by name.
// ---------------------------------------------------------------------------------------------

TEST_F(PlansAndProposals, ProposalsShowBeforeAndAfterOfEveryCellAndTheProposerByName) {
  const std::string lead_t2 = Token("lead", "t2", "Tess");
  json proposal = Json({"review", "propose", "--unit", "t2", "--metric", "tickets", "--month",
                        "2026-03", "--value", "60"},
                       lead_t2);
  const std::string id = std::to_string(proposal["id"].get<int64_t>());
  json shown = Json({"review", "show", id}, lead_t2);
  EXPECT_EQ(shown["unit_name"], "Team two");
  EXPECT_EQ(shown["proposer"]["label"], "Tess");
  EXPECT_EQ(shown["proposer"]["unit"], "t2");
  EXPECT_EQ(shown["proposer"]["unit_name"], "Team two");
  // In the order of the tree below co (t2's parent, whose March is re-spread): t1, its
  // agents, t2, its agents; co itself keeps its 100.
  const json cells = json::array({
      {{"unit", "t1"}, {"month", "2026-03"}, {"before", 50}, {"after", 40}, {"change", -10}},
      {{"unit", "a1"}, {"month", "2026-03"}, {"before", 25}, {"after", 20}, {"change", -5}},
      {{"unit", "a2"}, {"month", "2026-03"}, {"before", 25}, {"after", 20}, {"change", -5}},
      {{"unit", "t2"}, {"month", "2026-03"}, {"before", 50}, {"after", 60}, {"change", 10}},
      {{"unit", "a3"}, {"month", "2026-03"}, {"before", 25}, {"after", 30}, {"change", 5}},
      {{"unit", "a4"}, {"month", "2026-03"}, {"before", 25}, {"after", 30}, {"change", 5}},
  });
  EXPECT_EQ(shown["changes"]["cells"], cells) << shown.dump(1);
  EXPECT_EQ(shown["changes"]["cells_changed"], 6);
  EXPECT_EQ(shown["changes"]["units_changed"], 6);
  EXPECT_EQ(shown["changes"]["units"][0], json({{"unit", "t1"},
                                                {"had_plan", true},
                                                {"year_before", 600},
                                                {"year_after", 590},
                                                {"change", -10}}));

  // The list, as the director sees it, says the same.
  json listed = Json({"review", "list", "--status", "pending"});
  ASSERT_EQ(listed["proposals"].size(), 1u);
  EXPECT_EQ(listed["proposals"][0]["changes"]["cells"], cells);
  EXPECT_EQ(listed["proposals"][0]["proposer"]["label"], "Tess");
  // In text: the proposed cell before -> after, the number of cells, the proposer by name.
  const std::string table = Text({"review", "list"});
  EXPECT_THAT(table, HasSubstr("t2 50->60"));
  EXPECT_THAT(table, HasSubstr("Tess (Team two)"));
  const std::string text = Text({"review", "show", id});
  EXPECT_THAT(text, HasSubstr("by Tess (Team two)"));
  EXPECT_THAT(text, HasSubstr("6 cells in 6 units change"));
  EXPECT_THAT(text, ContainsRegex("a1 +2026-03 +25 +20 +-5"));
  EXPECT_THAT(text, ContainsRegex("t1 +600 +590 +-10"));

  // Approved, it shows what the approval changed: the same cells.
  Json({"review", "approve", id});
  EXPECT_EQ(Json({"review", "show", id})["changes"]["cells"], cells);
}

TEST_F(PlansAndProposals, AProposalForAnAgentWhoHasLeftIsRefused) {
  // a4 leaves on 2026-06-30: t2's December (50) cannot give a4 a share.
  Json({"org", "import",
        okrd_.WriteFile("leave.csv",
                        "unit_id,parent_id,kind,name,fte,start_date,end_date\n"
                        "a4,t2,agent,Dee,1.0,,2026-06-30\n")});
  const std::string lead_t2 = Token("lead", "t2", "Tess");
  const std::string err = Fails({"review", "propose", "--unit", "t2", "--metric", "tickets",
                                 "--month", "2026-12", "--set", "a3=30,a4=20"},
                                lead_t2);
  EXPECT_THAT(err, HasSubstr("FAILED_PRECONDITION: agent 'a4' is not active in 2026-12 "
                             "(works ..2026-06-30): an inactive agent's target is 0"));
  EXPECT_TRUE(Json({"review", "list"})["proposals"].empty());
}

// ---------------------------------------------------------------------------------------------
// cascade --dry-run as a diff.
// ---------------------------------------------------------------------------------------------

TEST_F(PlansAndProposals, DryRunShowsEveryChangedCellDownToAgentsWithTotals) {
  Json({"hold", "--unit", "a1", "--metric", "tickets", "--period", "2026-03", "--value", "35"});
  json dry =
      Json({"cascade", "--unit", "co", "--metric", "tickets", "--year", "2026", "--dry-run"});
  EXPECT_EQ(dry["plan_version"], 0);
  // a1's March 25 -> 35, a2's 25 -> 15 (t1's 50 less the hold); nothing else moves.
  EXPECT_EQ(
      dry["diff"]["cells"],
      json::array(
          {{{"unit", "a1"}, {"month", "2026-03"}, {"before", 25}, {"after", 35}, {"change", 10}},
           {{"unit", "a2"},
            {"month", "2026-03"},
            {"before", 25},
            {"after", 15},
            {"change", -10}}}));
  EXPECT_EQ(dry["diff"]["units"], json::array({{{"unit", "a1"},
                                                {"had_plan", true},
                                                {"year_before", 300},
                                                {"year_after", 310},
                                                {"change", 10}},
                                               {{"unit", "a2"},
                                                {"had_plan", true},
                                                {"year_before", 300},
                                                {"year_after", 290},
                                                {"change", -10}}}));
  EXPECT_EQ(dry["diff"]["cells_changed"], 2);
  // Nothing written.
  EXPECT_EQ(Months("a1")[2], 25);

  const std::string text =
      Text({"cascade", "--unit", "co", "--metric", "tickets", "--year", "2026", "--dry-run"});
  EXPECT_THAT(text, HasSubstr("2 cells in 2 units change:"));
  EXPECT_THAT(text, ContainsRegex("a1 +2026-03 +25 +35 +\\+10"));
  EXPECT_THAT(text, ContainsRegex("a2 +2026-03 +25 +15 +-10"));
  EXPECT_THAT(text, ContainsRegex("a1 +300 +310 +\\+10"));

  // The first cascade of a metric: every cell is new, down to the agents (7 units x 12
  // months), "-" before. calls 2400 evenly: co 200 a month, teams 100, agents 50.
  Json({"metric", "define", "calls", "--kind", "count", "--direction", "up"});
  Json({"target", "set", "--unit", "co", "--metric", "calls", "--year", "2026", "--value", "2400",
        "--seasonality", kEven});
  json first =
      Json({"cascade", "--unit", "co", "--metric", "calls", "--year", "2026", "--dry-run"});
  EXPECT_EQ(first["diff"]["cells_changed"], 84);
  EXPECT_EQ(first["diff"]["units_changed"], 7);
  EXPECT_EQ(
      first["diff"]["cells"][0],
      json({{"unit", "co"}, {"month", "2026-01"}, {"before", 0}, {"after", 200}, {"change", 200}}));
  EXPECT_EQ(
      first["diff"]["cells"][83],
      json({{"unit", "a4"}, {"month", "2026-12"}, {"before", 0}, {"after", 50}, {"change", 50}}));
  EXPECT_EQ(first["diff"]["units"][6], json({{"unit", "a4"},
                                             {"had_plan", false},
                                             {"year_before", 0},
                                             {"year_after", 600},
                                             {"change", 600}}));
  EXPECT_THAT(Text({"cascade", "--unit", "co", "--metric", "calls", "--year", "2026", "--dry-run"}),
              ContainsRegex("a4 +2026-12 +- +50 +\\+50"));
}

// ---------------------------------------------------------------------------------------------
// plan check.
// ---------------------------------------------------------------------------------------------

TEST_F(PlansAndProposals, PlanCheckListsMissingTargetsStalePlansAndHoldsThatNoLongerFit) {
  Json({"metric", "define", "csat", "--kind", "ratio", "--direction", "up", "--scale", "100"});
  // Right after the cascade: every unit has a tickets target, the plan is newer than the org.
  json clean = Json({"plan", "check", "--year", "2026", "--metric", "tickets"});
  EXPECT_EQ(clean["ok"], true) << clean.dump(1);
  EXPECT_EQ(clean["last_org_change"]["action"], "org.import");

  // a1 may hold all of t1's April (50); a4 may hold 20 of t2's December (50).
  Json({"hold", "--unit", "a1", "--metric", "tickets", "--period", "2026-04", "--value", "50"});
  Json({"hold", "--unit", "a4", "--metric", "tickets", "--period", "2026-12", "--value", "20"});
  // Then a4 leaves on 2026-06-30, Eve (a5) joins t2 on 2026-07-01, and the year's target
  // halves to 600 (50 a month, 25 per team).
  Json({"org", "import",
        okrd_.WriteFile("change.csv",
                        "unit_id,parent_id,kind,name,fte,start_date,end_date\n"
                        "a4,t2,agent,Dee,1.0,,2026-06-30\n"
                        "a5,t2,agent,Eve,1.0,2026-07-01,\n")});
  Json({"target", "set", "--unit", "co", "--metric", "tickets", "--year", "2026", "--value", "600",
        "--seasonality", kEven});

  json check = Json({"plan", "check", "--year", "2026"});
  EXPECT_EQ(check["ok"], false);
  ASSERT_EQ(check["metrics"].size(), 2u) << check.dump(1);
  // csat has no target at all.
  EXPECT_EQ(check["metrics"][0]["metric"], "csat");
  EXPECT_EQ(check["metrics"][0]["planned"], false);
  const json& tickets = check["metrics"][1];
  EXPECT_EQ(tickets["metric"], "tickets");
  // Eve has no tickets target; every other unit has one.
  EXPECT_EQ(tickets["missing"],
            json::array({{{"unit", "a5"}, {"name", "Eve"}, {"kind", "agent"}}}));
  // The seven rows of co's cascade were written before the import.
  ASSERT_EQ(tickets["stale"].size(), 1u) << tickets.dump(1);
  EXPECT_EQ(tickets["stale"][0]["root"], "co");
  EXPECT_EQ(tickets["stale"][0]["units"], 7);
  // a1's 50 no longer fits t1's April of 25 (50 a month split 2:2 FTE: a4 still works in
  // April); a4 no longer works in December.
  EXPECT_EQ(tickets["holds"],
            json::array({{{"unit", "a1"},
                          {"period", "2026-04"},
                          {"value", 50},
                          {"problem",
                           "hold of 50 on unit 'a1' for 2026-04 cannot be carried: its parent "
                           "'t1' has 25 in 2026-04; at most 25 is available"}},
                         {{"unit", "a4"},
                          {"period", "2026-12"},
                          {"value", 20},
                          {"problem",
                           "agent 'a4' is not active in 2026-12 (works ..2026-06-30): an "
                           "inactive agent's target is 0"}}}))
      << tickets.dump(1);

  // A lead sees its own subtree: t1's three stale rows and a1's hold, not Eve.
  const std::string lead_t1 = Token("lead", "t1", "Theo");
  json own = Json({"plan", "check", "--year", "2026", "--metric", "tickets"}, lead_t1);
  EXPECT_TRUE(own["metrics"][0]["missing"].empty());
  EXPECT_EQ(own["metrics"][0]["stale"][0]["units"], 3);
  ASSERT_EQ(own["metrics"][0]["holds"].size(), 1u);
  EXPECT_EQ(own["metrics"][0]["holds"][0]["unit"], "a1");
  EXPECT_THAT(Fails({"plan", "check", "--year", "2026", "--unit", "t2"}, lead_t1),
              HasSubstr("PERMISSION_DENIED"));

  // In text, each finding says what to do.
  const std::string text = Text({"plan", "check", "--year", "2026"});
  EXPECT_THAT(text, HasSubstr("csat: no target in 2026"));
  EXPECT_THAT(text, ContainsRegex("a5 +agent +Eve"));
  EXPECT_THAT(text, HasSubstr("stale: 7 units planned by the cascade of co"));
  EXPECT_THAT(text, HasSubstr("re-plan: okrctl cascade --unit co --metric tickets --year 2026"));
  EXPECT_THAT(text, HasSubstr("hold that no longer fits: a4 2026-12 = 20: agent 'a4'"));

  // Fixed: the holds cleared, the plan re-cascaded; nothing is left for tickets.
  Json({"hold", "--unit", "a1", "--metric", "tickets", "--period", "2026-04", "--clear"});
  Json({"hold", "--unit", "a4", "--metric", "tickets", "--period", "2026-12", "--clear"});
  Json({"cascade", "--unit", "co", "--metric", "tickets", "--year", "2026"});
  json fixed = Json({"plan", "check", "--year", "2026", "--metric", "tickets"});
  EXPECT_EQ(fixed["ok"], true) << fixed.dump(1);
  EXPECT_THAT(Fails({"plan", "check", "--year", "2026", "--metric", "nope"}),
              HasSubstr("NOT_FOUND"));
}

// ---------------------------------------------------------------------------------------------
// cascade --all-metrics.
// ---------------------------------------------------------------------------------------------

TEST_F(PlansAndProposals, AllMetricsReplansEveryMetricWithATargetAllOrNothing) {
  // calls 2400 evenly (agents 50 a month); csat 90 (inherited by every unit); aht has no
  // target and is left alone.
  for (const char* m : {"calls", "aht"}) {
    Json({"metric", "define", m, "--kind", "count", "--direction", "up"});
  }
  Json({"metric", "define", "csat", "--kind", "ratio", "--direction", "up", "--scale", "100"});
  Json({"target", "set", "--unit", "co", "--metric", "calls", "--year", "2026", "--value", "2400",
        "--seasonality", kEven});
  Json({"target", "set", "--unit", "co", "--metric", "csat", "--year", "2026", "--value", "90"});

  json all = Json({"cascade", "--unit", "co", "--year", "2026", "--all-metrics"});
  ASSERT_EQ(all["metrics"].size(), 3u) << all.dump(1);
  EXPECT_EQ(all["metrics"][0]["metric"], "calls");
  EXPECT_EQ(all["metrics"][1]["metric"], "csat");
  EXPECT_EQ(all["metrics"][2]["metric"], "tickets");
  for (const auto& m : all["metrics"]) EXPECT_GT(m["plan_version"].get<int64_t>(), 0);
  EXPECT_EQ(Months("a1", "calls")[0], 50);
  EXPECT_EQ(Months("a4", "csat")[11], 90);
  EXPECT_EQ(Months("a1")[0], 25);
  // tickets was planned already: no cell changed.
  EXPECT_EQ(all["metrics"][2]["diff"]["cells_changed"], 0);

  // All or nothing: calls doubles to 4800, while a tickets hold (a1's April 50, all of t1's
  // April) no longer fits once tickets halves to 600 (t1's April 25). The cascade fails on
  // tickets and writes calls neither.
  Json({"target", "set", "--unit", "co", "--metric", "calls", "--year", "2026", "--value", "4800",
        "--seasonality", kEven});
  Json({"hold", "--unit", "a1", "--metric", "tickets", "--period", "2026-04", "--value", "50"});
  Json({"target", "set", "--unit", "co", "--metric", "tickets", "--year", "2026", "--value", "600",
        "--seasonality", kEven});
  const std::string err = Fails({"cascade", "--unit", "co", "--year", "2026", "--all-metrics"});
  EXPECT_THAT(err, HasSubstr("FAILED_PRECONDITION: metric 'tickets': "));
  EXPECT_THAT(err, HasSubstr("(nothing was written for any metric)"));
  EXPECT_EQ(Months("a1", "calls")[0], 50);
  EXPECT_EQ(Months("a1")[0], 25);

  // Nothing to re-plan in 2027; --metric and --all-metrics together are refused.
  EXPECT_THAT(Fails({"cascade", "--unit", "co", "--year", "2027", "--all-metrics"}),
              HasSubstr("FAILED_PRECONDITION: unit 'co' has no target and no plan for any metric "
                        "in 2027"));
  EXPECT_THAT(
      Fails({"cascade", "--unit", "co", "--year", "2026", "--all-metrics", "--metric", "calls"}),
      HasSubstr("INVALID_ARGUMENT"));
}

}  // namespace
}  // namespace okr::testing
