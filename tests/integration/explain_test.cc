// `okrctl explain` (issue 11): why a unit has this month's target. On a hand-built org with a
// joiner, a leaver, a hold and a seasonal year, every chain step's value and rule is worked out
// by hand, for the fte, even and explicit-weights splits and an inherited ratio target. A
// correction of actuals moves actual and status only; a re-plan --from shows in the chain; an
// agent explains itself only.
//
// Every expected value below is worked out by hand in the comments.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/integration/harness.h"

namespace okr::testing {
namespace {

using nlohmann::json;

// co -> t1 -> g1 {a1 all year, a2 joins 2025-03-16}
//           -> g2 {a3 leaves 2025-06-15, a4 all year}
// 2025 has 365 days; every agent 1.0 FTE.
constexpr char kOrg[] =
    "unit_id,parent_id,kind,name,fte,start_date,end_date\n"
    "co,,company,Company,,,\n"
    "t1,co,team,Team,,,\n"
    "g1,t1,group,Group one,,,\n"
    "g2,t1,group,Group two,,,\n"
    "a1,g1,agent,Ann,1.0,,\n"
    "a2,g1,agent,Joiner,1.0,2025-03-16,\n"
    "a3,g2,agent,Leaver,1.0,,2025-06-15\n"
    "a4,g2,agent,Dee,1.0,,\n";

class ExplainIT : public ::testing::Test {
 protected:
  json Json(std::vector<std::string> args, const std::string& token = "") {
    args.push_back("-o");
    args.push_back("json");
    CommandResult r = token.empty() ? okrd_.Ctl(args) : okrd_.CtlAs(token, args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.exit_code == 0 ? r.Json() : json::object();
  }

  void SetUp() override {
    ASSERT_EQ(Json({"org", "import", okrd_.WriteFile("org.csv", kOrg)})["created"], 8);
    Json({"metric", "define", "tickets", "--kind", "count", "--direction", "up"});
    Json({"metric", "define", "calls", "--kind", "count", "--direction", "up"});
    // tickets: a seasonal year, 1500 with weights 3,1,...,1,2 (sum 15): January 300,
    // February..November 100 each, December 200. g2's June held at 60.
    Json({"target", "set", "--unit", "co", "--metric", "tickets", "--year", "2025", "--value",
          "1500", "--seasonality", "3,1,1,1,1,1,1,1,1,1,1,2"});
    Json({"hold", "--unit", "g2", "--metric", "tickets", "--period", "2025-06", "--value", "60"});
    Json({"cascade", "--unit", "co", "--metric", "tickets", "--year", "2025"});
    // calls: 3650 spread by days in month (10 a day): March 310.
    Json({"target", "set", "--unit", "co", "--metric", "calls", "--year", "2025", "--value",
          "3650"});
    Json({"cascade", "--unit", "co", "--metric", "calls", "--year", "2025"});
  }

  json Explain(const std::string& unit, const std::string& metric, const std::string& month,
               const std::string& token = "") {
    return Json(
        {"explain", "--unit", unit, "--metric", metric, "--period", month, "--as-of", "2025-12-31"},
        token);
  }

  OkrdProcess okrd_;
};

struct Step {
  std::string unit, period;
  double value;
  std::string rule;
};

void ExpectChain(const json& explained, const std::vector<Step>& expected) {
  const json& chain = explained.at("chain");
  ASSERT_EQ(chain.size(), expected.size()) << chain.dump(2);
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(chain[i]["unit"], expected[i].unit) << i;
    EXPECT_EQ(chain[i]["period"], expected[i].period) << i;
    EXPECT_DOUBLE_EQ(chain[i]["value"].get<double>(), expected[i].value) << chain[i].dump();
    EXPECT_EQ(chain[i]["rule"], expected[i].rule) << chain[i].dump();
  }
}

std::string Detail(const json& explained, size_t i) {
  return explained.at("chain").at(i).value("detail", "");
}

TEST_F(ExplainIT, JoinerSeasonalMonthWithLargestRemainder) {
  // March FTE by active days: a1 31/31 = 1, a2 16/31 (16th..31st), a3 1, a4 1.
  // g1 = 47/31 = 1.5161, g2 = 2, t1 = 109/31 = 3.5161.
  // co March = 1 of 15 x 1500 = 100; t1 (only child) 100.
  // g1 = 100 x 47/109 = 43.119 -> 43; g2 = 56.881 -> 57 (the larger remainder takes the 1).
  // a2 = 43 x 16/47 = 14.638 -> 15 (+1: .638 beats a1's 28.362); a1 = 28.
  json e = Explain("a2", "tickets", "2025-03");
  ExpectChain(e, {{"co", "2025", 1500, "target"},
                  {"co", "2025-03", 100, "seasonality"},
                  {"t1", "2025-03", 100, "fte"},
                  {"g1", "2025-03", 43, "fte"},
                  {"a2", "2025-03", 15, "fte"}});
  EXPECT_NE(Detail(e, 0).find("annual target 1500"), std::string::npos) << Detail(e, 0);
  EXPECT_EQ(Detail(e, 1), "seasonality weight 1 of 15 x 1500 = 100");
  EXPECT_NE(Detail(e, 3).find("= 43.1193"), std::string::npos) << Detail(e, 3);
  EXPECT_NE(Detail(e, 4).find("fte weight 0.5161 of 1.5161 x 43"), std::string::npos)
      << Detail(e, 4);
  EXPECT_NE(Detail(e, 4).find("+1 by largest remainder"), std::string::npos) << Detail(e, 4);
  EXPECT_EQ(e["target"], 15);
  EXPECT_EQ(e["unit"], "a2");
  EXPECT_EQ(e["metric"], "tickets");
  EXPECT_EQ(e["period"], "2025-03");

  // Before joining the joiner gets nothing: January 300 -> g1 (a1 only, weight 1 of 3) 100,
  // a2 weight 0 of 1 -> 0.
  json jan = Explain("a2", "tickets", "2025-01");
  ExpectChain(jan, {{"co", "2025", 1500, "target"},
                    {"co", "2025-01", 300, "seasonality"},
                    {"t1", "2025-01", 300, "fte"},
                    {"g1", "2025-01", 100, "fte"},
                    {"a2", "2025-01", 0, "fte"}});

  // By days: calls 3650 = 10 a day, March 31 of 365 days -> 310.
  // g1 = 310 x 47/109 = 133.67 -> 134 (g2 176.33 -> 176);
  // a2 = 134 x 16/47 = 45.617 -> 46 (+1), a1 = 134 x 31/47 = 88.383 -> 88.
  json calls = Explain("a2", "calls", "2025-03");
  ExpectChain(calls, {{"co", "2025", 3650, "target"},
                      {"co", "2025-03", 310, "days"},
                      {"t1", "2025-03", 310, "fte"},
                      {"g1", "2025-03", 134, "fte"},
                      {"a2", "2025-03", 46, "fte"}});
  EXPECT_EQ(Detail(calls, 1), "days in month 31 of 365 x 3650 = 310");
}

TEST_F(ExplainIT, HoldAndLeaver) {
  // June: a3 active 1st..15th of 30 days = 0.5; co June 100; g2 held at 60 (rule hold);
  // a3 = 60 x 0.5/1.5 = 20, a4 = 40.
  json e = Explain("a3", "tickets", "2025-06");
  ExpectChain(e, {{"co", "2025", 1500, "target"},
                  {"co", "2025-06", 100, "seasonality"},
                  {"t1", "2025-06", 100, "fte"},
                  {"g2", "2025-06", 60, "hold"},
                  {"a3", "2025-06", 20, "fte"}});
  EXPECT_EQ(Detail(e, 3), "held at this value by a person (a cascade never moves it)");
  EXPECT_NE(Detail(e, 4).find("fte weight 0.5 of 1.5 x 60"), std::string::npos) << Detail(e, 4);

  // g1 gets what the hold leaves: 100 - 60 = 40.
  json g1 = Explain("g1", "tickets", "2025-06");
  ExpectChain(g1, {{"co", "2025", 1500, "target"},
                   {"co", "2025-06", 100, "seasonality"},
                   {"t1", "2025-06", 100, "fte"},
                   {"g1", "2025-06", 40, "fte"}});
  EXPECT_NE(Detail(g1, 3).find("x 40 left of t1's month after holds = 40"), std::string::npos)
      << Detail(g1, 3);

  // July, after the leaver left: g1 = a1 + a2 = 2, g2 = a4 = 1. 100 x 2/3 = 66.67 -> 67,
  // g2 33.33 -> 33. a3 weight 0 -> 0.
  json gone = Explain("a3", "tickets", "2025-07");
  ExpectChain(gone, {{"co", "2025", 1500, "target"},
                     {"co", "2025-07", 100, "seasonality"},
                     {"t1", "2025-07", 100, "fte"},
                     {"g2", "2025-07", 33, "fte"},
                     {"a3", "2025-07", 0, "fte"}});
  // g1's 67 over a1 and a2 (1 : 1) = 33.5 each; the tie goes to the smaller id: a1 34, a2 33.
  json tie = Explain("a1", "tickets", "2025-07");
  EXPECT_DOUBLE_EQ(tie["chain"][3]["value"].get<double>(), 67);
  EXPECT_DOUBLE_EQ(tie["chain"][4]["value"].get<double>(), 34);
  EXPECT_NE(Detail(tie, 4).find("= 33.5; +1 by largest remainder"), std::string::npos)
      << Detail(tie, 4);
  EXPECT_DOUBLE_EQ(Explain("a2", "tickets", "2025-07")["chain"][4]["value"].get<double>(), 33);
}

TEST_F(ExplainIT, CorrectionMovesActualNotChainAndReplanShows) {
  // a1's March target: 28 (see above). 20 tickets: missed (20 < 28, the month is over).
  Json({"actuals", "import",
        okrd_.WriteFile("a.csv",
                        "event_id,unit_id,metric,date,value,denominator\n"
                        "ev1,a1,tickets,2025-03-10,20,\n")});
  json before = Explain("a1", "tickets", "2025-03");
  EXPECT_EQ(before["target"], 28);
  EXPECT_EQ(before["actual"], 20);
  EXPECT_EQ(before["status"], "missed");
  // The same event corrected to 30: achieved; the chain does not move.
  json fix = Json({"actuals", "import",
                   okrd_.WriteFile("b.csv",
                                   "event_id,unit_id,metric,date,value,denominator\n"
                                   "ev1,a1,tickets,2025-03-10,30,\n")});
  EXPECT_EQ(fix["corrected"], 1);
  json after = Explain("a1", "tickets", "2025-03");
  EXPECT_EQ(after["actual"], 30);
  EXPECT_EQ(after["status"], "achieved");
  EXPECT_EQ(after["chain"], before["chain"]);

  // A joiner in g1 from September and a re-plan from 2025-09.
  Json({"org", "import",
        okrd_.WriteFile("j.csv",
                        "unit_id,parent_id,kind,name,fte,start_date,end_date\n"
                        "a5,g1,agent,New,1.0,2025-09-01,\n")});
  Json({"cascade", "--unit", "co", "--metric", "tickets", "--year", "2025", "--from", "2025-09"});
  // September: the year left for Sep..Dec = 1500 - (300 + 7 x 100) = 500 over weights
  // 1 + 1 + 1 + 2 = 5 -> 100. t1 100; g1 = a1 + a2 + a5 = 3 of 4 -> 75; a5 = 1 of 3 x 75 = 25.
  json sep = Explain("a5", "tickets", "2025-09");
  ExpectChain(sep, {{"co", "2025", 1500, "target"},
                    {"co", "2025-09", 100, "seasonality"},
                    {"t1", "2025-09", 100, "fte"},
                    {"g1", "2025-09", 75, "fte"},
                    {"a5", "2025-09", 25, "fte"}});
  EXPECT_NE(Detail(sep, 0).find("re-planned from 2025-09"), std::string::npos) << Detail(sep, 0);
  EXPECT_EQ(Detail(sep, 1), "seasonality weight 1 of 5 x 500 = 100");
  // March was before the re-plan: kept, same values as before.
  json kept = Explain("a1", "tickets", "2025-03");
  ExpectChain(kept, {{"co", "2025", 1500, "target"},
                     {"co", "2025-03", 100, "kept"},
                     {"t1", "2025-03", 100, "kept"},
                     {"g1", "2025-03", 43, "kept"},
                     {"a1", "2025-03", 28, "kept"}});
  EXPECT_NE(Detail(kept, 0).find("re-planned from 2025-09"), std::string::npos);
  EXPECT_EQ(kept["actual"], 30);
}

TEST_F(ExplainIT, AgentExplainsItselfOnly) {
  const std::string token =
      Json({"token", "create", "--role", "agent", "--unit", "a1"}).value("token", "");
  json own = Explain("a1", "tickets", "2025-03", token);
  EXPECT_EQ(own["target"], 28);
  CommandResult other =
      okrd_.CtlAs(token, {"explain", "--unit", "a2", "--metric", "tickets", "--period", "2025-03"});
  EXPECT_NE(other.exit_code, 0);
  EXPECT_NE(other.err.find("PERMISSION_DENIED"), std::string::npos) << other.err;
  // A lead explains its subtree, not a sibling group's.
  const std::string lead =
      Json({"token", "create", "--role", "lead", "--unit", "g1"}).value("token", "");
  EXPECT_EQ(Explain("a2", "tickets", "2025-03", lead)["target"], 15);
  CommandResult sibling =
      okrd_.CtlAs(lead, {"explain", "--unit", "a3", "--metric", "tickets", "--period", "2025-03"});
  EXPECT_NE(sibling.err.find("PERMISSION_DENIED"), std::string::npos) << sibling.err;
  CommandResult none =
      okrd_.CtlAs("", {"explain", "--unit", "a1", "--metric", "tickets", "--period", "2025-03"});
  EXPECT_NE(none.err.find("UNAUTHENTICATED"), std::string::npos) << none.err;
}

TEST_F(ExplainIT, EvenSplitChains) {
  // chats: 1200 over twelve equal seasonality weights = 100 a month, split evenly among the
  // active children at every level.
  Json({"metric", "define", "chats", "--kind", "count", "--direction", "up"});
  Json({"target", "set", "--unit", "co", "--metric", "chats", "--year", "2025", "--value", "1200",
        "--seasonality", "1,1,1,1,1,1,1,1,1,1,1,1"});
  Json({"cascade", "--unit", "co", "--metric", "chats", "--year", "2025", "--method", "even"});
  // March: t1 is co's only child (100); g1 and g2 50 each; a1 and a2 (active from the 16th)
  // 25 each.
  json march = Explain("a2", "chats", "2025-03");
  ExpectChain(march, {{"co", "2025", 1200, "target"},
                      {"co", "2025-03", 100, "seasonality"},
                      {"t1", "2025-03", 100, "even"},
                      {"g1", "2025-03", 50, "even"},
                      {"a2", "2025-03", 25, "even"}});
  EXPECT_EQ(Detail(march, 1), "seasonality weight 1 of 12 x 1200 = 100");
  // February: a2 has not joined, so a1 carries all of g1's 50 and a2 gets 0.
  json feb = Explain("a2", "chats", "2025-02");
  ExpectChain(feb, {{"co", "2025", 1200, "target"},
                    {"co", "2025-02", 100, "seasonality"},
                    {"t1", "2025-02", 100, "even"},
                    {"g1", "2025-02", 50, "even"},
                    {"a2", "2025-02", 0, "even"}});
  EXPECT_DOUBLE_EQ(Explain("a1", "chats", "2025-02")["chain"][4]["value"].get<double>(), 50);
  // July: a3 left on 06-15, so a4 carries all of g2's 50.
  json july = Explain("a4", "chats", "2025-07");
  ExpectChain(july, {{"co", "2025", 1200, "target"},
                     {"co", "2025-07", 100, "seasonality"},
                     {"t1", "2025-07", 100, "even"},
                     {"g2", "2025-07", 50, "even"},
                     {"a4", "2025-07", 50, "even"}});
}

TEST_F(ExplainIT, ExplicitWeightsThenFteBelow) {
  // emails: 1200 = 100 a month; t1's children weighted g1=3, g2=1; co (whose only child t1 is
  // not named) and the groups (whose agents are not named) fall back to fte.
  Json({"metric", "define", "emails", "--kind", "count", "--direction", "up"});
  Json({"target", "set", "--unit", "co", "--metric", "emails", "--year", "2025", "--value", "1200",
        "--seasonality", "1,1,1,1,1,1,1,1,1,1,1,1"});
  Json({"cascade", "--unit", "co", "--metric", "emails", "--year", "2025", "--method", "weights",
        "--weights", "g1=3,g2=1"});
  // March: g1 = 100 x 3/4 = 75. a2 = 75 x (16/31) / (47/31) = 75 x 16/47 = 25.532 and
  // a1 = 75 x 31/47 = 49.468: floors 25 + 49 = 74, the 1 left goes to a2 (.532 > .468).
  json a2 = Explain("a2", "emails", "2025-03");
  ExpectChain(a2, {{"co", "2025", 1200, "target"},
                   {"co", "2025-03", 100, "seasonality"},
                   {"t1", "2025-03", 100, "fte"},
                   {"g1", "2025-03", 75, "weights"},
                   {"a2", "2025-03", 26, "fte"}});
  EXPECT_NE(Detail(a2, 3).find("weights weight 3 of 4 x 100"), std::string::npos) << Detail(a2, 3);
  EXPECT_NE(Detail(a2, 4).find("+1 by largest remainder"), std::string::npos) << Detail(a2, 4);
  json a1 = Explain("a1", "emails", "2025-03");
  EXPECT_DOUBLE_EQ(a1["chain"][4]["value"].get<double>(), 49);
  EXPECT_EQ(Detail(a1, 4).find("largest remainder"), std::string::npos) << Detail(a1, 4);
  // g2 = 100 x 1/4 = 25; in March a3 and a4 are both active all month: 12.5 each, the tie
  // goes to the smaller id: a3 13, a4 12.
  json a4 = Explain("a4", "emails", "2025-03");
  ExpectChain(a4, {{"co", "2025", 1200, "target"},
                   {"co", "2025-03", 100, "seasonality"},
                   {"t1", "2025-03", 100, "fte"},
                   {"g2", "2025-03", 25, "weights"},
                   {"a4", "2025-03", 12, "fte"}});
}

TEST_F(ExplainIT, RatioTargetInheritedBelowAHold) {
  // csat 92 is inherited by every unit and month; g2's March held at 88 is inherited by the
  // agents below it (PRODUCT.md "Cascade" 5).
  Json({"metric", "define", "csat", "--kind", "ratio", "--direction", "up", "--scale", "100"});
  Json({"target", "set", "--unit", "co", "--metric", "csat", "--year", "2025", "--value", "92"});
  Json({"hold", "--unit", "g2", "--metric", "csat", "--period", "2025-03", "--value", "88"});
  Json({"cascade", "--unit", "co", "--metric", "csat", "--year", "2025"});
  json held = Explain("a3", "csat", "2025-03");
  ExpectChain(held, {{"co", "2025", 92, "target"},
                     {"co", "2025-03", 92, "inherit"},
                     {"t1", "2025-03", 92, "inherit"},
                     {"g2", "2025-03", 88, "hold"},
                     {"a3", "2025-03", 88, "inherit"}});
  EXPECT_EQ(Detail(held, 4), "ratio target inherited from g2");
  json free = Explain("a1", "csat", "2025-03");
  ExpectChain(free, {{"co", "2025", 92, "target"},
                     {"co", "2025-03", 92, "inherit"},
                     {"t1", "2025-03", 92, "inherit"},
                     {"g1", "2025-03", 92, "inherit"},
                     {"a1", "2025-03", 92, "inherit"}});
}

}  // namespace
}  // namespace okr::testing
