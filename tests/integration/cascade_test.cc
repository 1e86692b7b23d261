// Cascade through okrctl -o json: days split of the company's year, FTE split with a leaver
// and a joiner, even and explicit weights, holds (honoured, impossible), --from, --dry-run,
// seasonality, a ratio metric with a hold below, and the history of it all.
//
// Every expected value below is worked out by hand in the comments.
#include <gtest/gtest.h>

#include <numeric>
#include <string>
#include <vector>

#include "tests/integration/harness.h"

namespace okr::testing {
namespace {

using Months = std::vector<double>;

// co -> t1 -> g1 {a1 1.0, a2 0.5}
//          -> g2 {a3 0.5, a4 1.0 leaving on 2026-03-15}
//    -> t2 -> g3 {a5 1.0, a6 1.0 joining on 2026-07-01}
constexpr char kOrg[] =
    "unit_id,parent_id,kind,name,fte,start_date,end_date\n"
    "co,,company,Company,,,\n"
    "t1,co,team,Team one,,,\n"
    "t2,co,team,Team two,,,\n"
    "g1,t1,group,Group one,,,\n"
    "g2,t1,group,Group two,,,\n"
    "g3,t2,group,Group three,,,\n"
    "a1,g1,agent,Ann,1.0,,\n"
    "a2,g1,agent,Bob,0.5,,\n"
    "a3,g2,agent,Cid,0.5,,\n"
    "a4,g2,agent,Dee,1.0,,2026-03-15\n"
    "a5,g3,agent,Eve,1.0,,\n"
    "a6,g3,agent,Fay,1.0,2026-07-01,\n";

// 365000 over the days of 2026 (365 days) is 1000 a day.
const Months kCompanyDays = {31000, 28000, 31000, 30000, 31000, 30000,
                             31000, 31000, 30000, 31000, 30000, 31000};

// FTE weights of the teams, each agent pro-rated by its active days in the month:
//   Jan, Feb: t1 = a1 1 + a2 .5 + a3 .5 + a4 1 = 3;  t2 = a5 1 (a6 not yet)   = 1; total 4
//     Jan 31000: t1 31000*3/4 = 23250, t2 7750.   Feb 28000: t1 21000, t2 7000.
//   Mar: a4 works Mar 1..15 = 15/31 of the month:
//     t1 = 2 + 15/31 = 77/31, t2 = 31/31, total 108/31
//     t1 = 31000*77/108 = 22101.85..., t2 = 31000*31/108 = 8898.148...
//     floors 22101 + 8898 = 30999; the 1 left goes to the larger remainder (t1 .85):
//     t1 22102, t2 8898.
//   Apr..Jun (a4 gone): t1 2, t2 1: Apr 30000 -> 20000/10000;
//     May 31000 -> 20666.67/10333.33 -> floors 30999, extra to t1 (.67): 20667/10333;
//     Jun 30000 -> 20000/10000.
//   Jul..Dec (a6 in): t1 2, t2 2: half each: 15500 (31 days) or 15000 (30 days).
const Months kT1Fte = {23250, 21000, 22102, 20000, 20667, 20000,
                       15500, 15500, 15000, 15500, 15000, 15500};
const Months kT2Fte = {7750,  7000,  8898,  10000, 10333, 10000,
                       15500, 15500, 15000, 15500, 15000, 15500};
// t1 year: 23250+21000+22102+20000+20667+20000 = 127019; + 15500*4 + 15000*2 = 92000 -> 219019
// t2 year: 365000 - 219019 = 145981
//   (check: 7750+7000+8898+10000+10333+10000 = 53981; + 92000 = 145981)
constexpr double kT1FteYear = 219019;
constexpr double kT2FteYear = 145981;

double Sum(const Months& m) { return std::accumulate(m.begin(), m.end(), 0.0); }

Months MonthsOf(const nlohmann::json& row) {
  Months out;
  for (const auto& v : row.at("months")) out.push_back(v.get<double>());
  return out;
}

const nlohmann::json* ChildRow(const nlohmann::json& breakdown, const std::string& unit) {
  for (const auto& child : breakdown.at("children")) {
    if (child.at("unit") == unit) return &child;
  }
  return nullptr;
}

Months ChildMonths(const nlohmann::json& breakdown, const std::string& unit) {
  const nlohmann::json* row = ChildRow(breakdown, unit);
  if (row == nullptr) {
    ADD_FAILURE() << "no child " << unit << " in " << breakdown.dump();
    return {};
  }
  return MonthsOf(*row);
}

// Runs okrctl -o json ARGS as admin; fails the test on a non-zero exit.
nlohmann::json Json(const OkrdProcess& okrd, std::vector<std::string> args) {
  args.insert(args.begin(), {"-o", "json"});
  CommandResult r = okrd.Ctl(args);
  if (r.exit_code != 0) {
    ADD_FAILURE() << "okrctl failed: " << r.err;
    return nlohmann::json::object();
  }
  return r.Json();
}

nlohmann::json Breakdown(const OkrdProcess& okrd, const std::string& unit,
                         const std::string& metric = "tickets") {
  return Json(okrd, {"breakdown", "--unit", unit, "--metric", metric, "--year", "2026"});
}

// The two sums a count plan must hold exactly: months sum to the year, and every month's
// children sum to the parent's month.
void ExpectCountInvariants(const nlohmann::json& b) {
  SCOPED_TRACE("breakdown of " + b.value("unit", std::string("?")));
  const Months months = MonthsOf(b);
  ASSERT_EQ(months.size(), 12u);
  EXPECT_EQ(Sum(months), b.at("year_target").get<double>());
  if (b.at("children").empty()) return;
  for (int m = 0; m < 12; ++m) {
    double children = 0;
    for (const auto& child : b.at("children")) children += child.at("months")[m].get<double>();
    EXPECT_EQ(children, months[m]) << "month " << m + 1;
  }
  for (const auto& child : b.at("children")) {
    EXPECT_EQ(Sum(MonthsOf(child)), child.at("year_target").get<double>()) << child.dump();
  }
}

void ExpectAllInvariants(const OkrdProcess& okrd, const std::string& metric = "tickets") {
  for (const char* unit : {"co", "t1", "t2", "g1", "g2", "g3"}) {
    ExpectCountInvariants(Breakdown(okrd, unit, metric));
  }
}

class Cascade : public ::testing::Test {
 protected:
  void SetUp() override {
    auto org = Json(okrd_, {"org", "import", okrd_.WriteFile("org.csv", kOrg)});
    ASSERT_EQ(org["created"], 12);
    Json(okrd_, {"metric", "define", "tickets", "--kind", "count", "--direction", "up"});
    Json(okrd_, {"target", "set", "--unit", "co", "--metric", "tickets", "--year", "2026",
                 "--value", "365000"});
  }

  nlohmann::json CascadeTickets(std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"cascade", "--unit", "co",  "--metric",
                                     "tickets", "--year", "2026"};
    args.insert(args.end(), extra.begin(), extra.end());
    return Json(okrd_, args);
  }

  OkrdProcess okrd_;
};

TEST_F(Cascade, FteSplitWithLeaverAndJoinerKeepsEverySum) {
  // A dry run before any cascade writes nothing: there is no plan to show afterwards.
  auto dry = CascadeTickets({"--dry-run"});
  EXPECT_EQ(dry["dry_run"], true);
  EXPECT_EQ(MonthsOf(dry), kCompanyDays);
  CommandResult none =
      okrd_.Ctl({"breakdown", "--unit", "co", "--metric", "tickets", "--year", "2026"});
  EXPECT_NE(none.exit_code, 0);
  EXPECT_NE(none.err.find("NOT_FOUND"), std::string::npos) << none.err;

  auto written = CascadeTickets();
  EXPECT_EQ(written["dry_run"], false);

  auto co = Breakdown(okrd_, "co");
  EXPECT_EQ(co["year_target"], 365000);
  EXPECT_EQ(MonthsOf(co), kCompanyDays);
  EXPECT_EQ(ChildMonths(co, "t1"), kT1Fte);
  EXPECT_EQ(ChildMonths(co, "t2"), kT2Fte);
  ASSERT_NE(ChildRow(co, "t1"), nullptr);
  EXPECT_EQ((*ChildRow(co, "t1"))["year_target"], kT1FteYear);
  EXPECT_EQ((*ChildRow(co, "t2"))["year_target"], kT2FteYear);

  // Groups of t1:
  //   Jan 23250: g1 = 1 + .5 = 1.5, g2 = .5 + 1 = 1.5 -> 11625 each.
  //   Mar 22102: g1 = 1.5 = 46.5/31, g2 = .5 + 15/31 = 30.5/31, total 77/31
  //     g1 = 22102*46.5/77 = 1027743/77 = 13347 rem 24 (.31)
  //     g2 = 22102*30.5/77 =  674111/77 =  8754 rem 53 (.69) -> the extra 1: g2 8755
  //   Apr 20000: g1 1.5, g2 .5 (a4 gone) -> 15000 / 5000.
  auto t1 = Breakdown(okrd_, "t1");
  EXPECT_EQ(MonthsOf(t1), kT1Fte);
  const Months g1 = ChildMonths(t1, "g1"), g2 = ChildMonths(t1, "g2");
  ASSERT_EQ(g1.size(), 12u);
  ASSERT_EQ(g2.size(), 12u);
  EXPECT_EQ(g1[0], 11625);
  EXPECT_EQ(g2[0], 11625);
  EXPECT_EQ(g1[2], 13347);
  EXPECT_EQ(g2[2], 8755);
  EXPECT_EQ(g1[3], 15000);
  EXPECT_EQ(g2[3], 5000);

  // Agents of g2 in March (8755): a3 .5 = 15.5/31, a4 15/31, total 30.5/31
  //   a3 = 8755*15.5/30.5 = 271405/61 = 4449 rem 16 (.26)
  //   a4 = 8755*15/30.5   = 262650/61 = 4305 rem 45 (.74) -> a4 4306
  // April: the leaver gets 0, a3 everything (5000).
  auto g2b = Breakdown(okrd_, "g2");
  const Months a3 = ChildMonths(g2b, "a3"), a4 = ChildMonths(g2b, "a4");
  ASSERT_EQ(a4.size(), 12u);
  EXPECT_EQ(a3[2], 4449);
  EXPECT_EQ(a4[2], 4306);
  EXPECT_EQ(a3[3], 5000);
  EXPECT_EQ(a4[3], 0);
  // a4 (1.0 of g2's 1.5) in Jan: g2 11625 * 2/3 = 7750; Feb: t1 21000 -> g1, g2 10500 each
  // -> a4 10500 * 2/3 = 7000; Mar 4306; nothing after it left.
  EXPECT_EQ(a4, (Months{7750, 7000, 4306, 0, 0, 0, 0, 0, 0, 0, 0, 0}));

  // The joiner: nothing before July; from July g3 (= t2, 15500 or 15000) halves with a5.
  auto g3b = Breakdown(okrd_, "g3");
  const Months a6 = ChildMonths(g3b, "a6"), a5 = ChildMonths(g3b, "a5");
  ASSERT_EQ(a6.size(), 12u);
  for (int m = 0; m < 6; ++m) EXPECT_EQ(a6[m], 0) << "month " << m + 1;
  EXPECT_EQ(a5[0], 7750);  // all of t2's January
  EXPECT_EQ(a6[6], 7750);  // 15500 / 2
  EXPECT_EQ(a5[6], 7750);
  EXPECT_EQ(a6[8], 7500);  // 15000 / 2

  ExpectAllInvariants(okrd_);
}

TEST_F(Cascade, EvenWeightsAndDryRun) {
  CascadeTickets();
  const auto before = Breakdown(okrd_, "co");
  const int64_t version = before["plan_version"].get<int64_t>();

  // Even: both teams are active every month, so each gets half: 31000/2 = 15500,
  // 30000/2 = 15000, 28000/2 = 14000; a year of 365000/2 = 182500.
  const Months half = {15500, 14000, 15500, 15000, 15500, 15000,
                       15500, 15500, 15000, 15500, 15000, 15500};
  auto dry = CascadeTickets({"--method", "even", "--dry-run"});
  EXPECT_EQ(dry["dry_run"], true);
  ASSERT_EQ(dry["children"].size(), 2u);
  EXPECT_EQ(MonthsOf(dry["children"][0]), half);
  // ...but nothing was written: the FTE plan and its version stand.
  const auto after_dry = Breakdown(okrd_, "co");
  EXPECT_EQ(ChildMonths(after_dry, "t1"), kT1Fte);
  EXPECT_EQ(after_dry["plan_version"], version);

  CascadeTickets({"--method", "even"});
  auto co = Breakdown(okrd_, "co");
  EXPECT_EQ(ChildMonths(co, "t1"), half);
  EXPECT_EQ(ChildMonths(co, "t2"), half);
  EXPECT_EQ((*ChildRow(co, "t1"))["year_target"], 182500);
  EXPECT_GT(co["plan_version"].get<int64_t>(), version);
  // Even below too: g2 in April (t1 15000 -> g1 7500, g2 7500) goes all to a3 (a4 left).
  auto g2 = Breakdown(okrd_, "g2");
  EXPECT_EQ(ChildMonths(g2, "a3")[3], 7500);
  EXPECT_EQ(ChildMonths(g2, "a4")[3], 0);
  // January: g2 7750 over two active agents -> 3875 each, FTE notwithstanding.
  EXPECT_EQ(ChildMonths(g2, "a3")[0], 3875);
  EXPECT_EQ(ChildMonths(g2, "a4")[0], 3875);
  ExpectAllInvariants(okrd_);

  // Explicit weights t1=3, t2=1: t1 gets 3/4 of every month: 31000*3/4 = 23250,
  // 30000*3/4 = 22500, 28000*3/4 = 21000; year 365000*3/4 = 273750, t2 91250.
  CascadeTickets({"--method", "weights", "--weights", "t1=3,t2=1"});
  co = Breakdown(okrd_, "co");
  EXPECT_EQ(ChildMonths(co, "t1"), (Months{23250, 21000, 23250, 22500, 23250, 22500, 23250, 23250,
                                           22500, 23250, 22500, 23250}));
  EXPECT_EQ(ChildMonths(co, "t2"),
            (Months{7750, 7000, 7750, 7500, 7750, 7500, 7750, 7750, 7500, 7750, 7500, 7750}));
  EXPECT_EQ((*ChildRow(co, "t1"))["year_target"], 273750);
  EXPECT_EQ((*ChildRow(co, "t2"))["year_target"], 91250);
  // Below the named children the FTE split applies: t1 Jan 23250 -> g1 1.5 : g2 1.5.
  auto t1 = Breakdown(okrd_, "t1");
  EXPECT_EQ(ChildMonths(t1, "g1")[0], 11625);
  ExpectAllInvariants(okrd_);
}

TEST_F(Cascade, HoldsAreHonouredAndAnImpossibleHoldIsRefusedWhenSet) {
  ASSERT_EQ(Json(okrd_, {"hold", "--unit", "t2", "--metric", "tickets", "--period", "2026-01",
                         "--value", "10000"})["held"],
            true);
  CascadeTickets();
  // t2 January is held at 10000; t1 takes the rest: 31000 - 10000 = 21000. Other months are
  // the FTE split.
  Months t1 = kT1Fte, t2 = kT2Fte;
  t1[0] = 21000;
  t2[0] = 10000;
  auto co = Breakdown(okrd_, "co");
  EXPECT_EQ(ChildMonths(co, "t1"), t1);
  EXPECT_EQ(ChildMonths(co, "t2"), t2);
  // t1 year: 219019 - 23250 + 21000 = 216769; t2: 145981 - 7750 + 10000 = 148231.
  EXPECT_EQ((*ChildRow(co, "t1"))["year_target"], 216769);
  EXPECT_EQ((*ChildRow(co, "t2"))["year_target"], 148231);
  // Within t1, January 21000 splits 1.5 : 1.5 -> 10500 each; t2's 10000 all to a5 via g3.
  EXPECT_EQ(ChildMonths(Breakdown(okrd_, "t1"), "g1")[0], 10500);
  EXPECT_EQ(ChildMonths(Breakdown(okrd_, "g3"), "a5")[0], 10000);
  auto t2b = Breakdown(okrd_, "t2");
  ASSERT_EQ(t2b["holds"].size(), 1u);
  EXPECT_EQ(t2b["holds"][0], "2026-01");
  ExpectAllInvariants(okrd_);

  // February has 28000; a hold of 30000 on t2 cannot be honoured: refused when it is set
  // (PRODUCT.md "Review of monthly breakdowns"), naming t2, the month and what is available.
  const auto plan_before = Breakdown(okrd_, "co");
  CommandResult failed = okrd_.Ctl(
      {"hold", "--unit", "t2", "--metric", "tickets", "--period", "2026-02", "--value", "30000"});
  EXPECT_NE(failed.exit_code, 0);
  EXPECT_NE(failed.err.find("FAILED_PRECONDITION: hold of 30000 on unit 't2' for 2026-02 cannot "
                            "be carried: its parent 'co' has 28000 in 2026-02; at most 28000 is "
                            "available"),
            std::string::npos)
      << failed.err;
  // Nothing was written: every unit's plan is the one before, the version did not move.
  const auto plan_after = Breakdown(okrd_, "co");
  EXPECT_EQ(plan_after["children"], plan_before["children"]);
  EXPECT_EQ(plan_after["months"], plan_before["months"]);
  EXPECT_EQ(plan_after["plan_version"], plan_before["plan_version"]);
  EXPECT_EQ(ChildMonths(Breakdown(okrd_, "g2"), "a4")[2], 4306);  // deep rows unchanged too
  CascadeTickets();

  // --from 2026-07 with weights 3:1 re-spreads July..December only; January keeps its held
  // split and February..June keep the FTE values.
  //   Jul 31000*3/4 = 23250 / 7750; Sep 30000*3/4 = 22500 / 7500.
  CascadeTickets({"--method", "weights", "--weights", "t1=3,t2=1", "--from", "2026-07"});
  co = Breakdown(okrd_, "co");
  EXPECT_EQ(MonthsOf(co), kCompanyDays);
  EXPECT_EQ(ChildMonths(co, "t1"), (Months{21000, 21000, 22102, 20000, 20667, 20000, 23250, 23250,
                                           22500, 23250, 22500, 23250}));
  EXPECT_EQ(ChildMonths(co, "t2"),
            (Months{10000, 7000, 8898, 10000, 10333, 10000, 7750, 7750, 7500, 7750, 7500, 7750}));
  // t1 year: 21000+21000+22102+20000+20667+20000 = 124769; + 23250*4 + 22500*2 = 138000
  //   -> 262769; t2: 365000 - 262769 = 102231.
  EXPECT_EQ((*ChildRow(co, "t1"))["year_target"], 262769);
  EXPECT_EQ((*ChildRow(co, "t2"))["year_target"], 102231);
  ExpectAllInvariants(okrd_);
}

TEST_F(Cascade, SeasonalityAndTies) {
  Json(okrd_, {"metric", "define", "calls", "--kind", "count", "--direction", "up"});
  // Weights 1 x6 then 2 x6 sum to 18: 360000/18 = 20000 per weight.
  Json(okrd_, {"target", "set", "--unit", "co", "--metric", "calls", "--year", "2026", "--value",
               "360000", "--seasonality", "1,1,1,1,1,1,2,2,2,2,2,2"});
  Json(okrd_, {"cascade", "--unit", "co", "--metric", "calls", "--year", "2026"});
  auto co = Breakdown(okrd_, "co", "calls");
  EXPECT_EQ(MonthsOf(co), (Months{20000, 20000, 20000, 20000, 20000, 20000, 40000, 40000, 40000,
                                  40000, 40000, 40000}));
  // Jan: t1 3/4 of 20000 = 15000, t2 5000.
  // Apr: 2:1 -> 13333.33 / 6666.67: floors 19999, extra to t2 (.67): 13333 / 6667.
  // Jul: 2:2 -> 20000 each.
  const Months t1 = ChildMonths(co, "t1"), t2 = ChildMonths(co, "t2");
  ASSERT_EQ(t1.size(), 12u);
  EXPECT_EQ(t1[0], 15000);
  EXPECT_EQ(t2[0], 5000);
  EXPECT_EQ(t1[3], 13333);
  EXPECT_EQ(t2[3], 6667);
  EXPECT_EQ(t1[6], 20000);
  EXPECT_EQ(t2[6], 20000);
  ExpectAllInvariants(okrd_, "calls");

  // Ties: 365001 by days is 1000 a day plus 1 left over; each month's remainder is
  // days/365, so the seven 31-day months tie and the earliest (January) takes it: 31001.
  // Even between the teams, January 31001/2 = 15500.5 ties; the smaller id (t1) gets 15501.
  Json(okrd_, {"metric", "define", "emails", "--kind", "count", "--direction", "up"});
  Json(okrd_, {"target", "set", "--unit", "co", "--metric", "emails", "--year", "2026", "--value",
               "365001"});
  Json(okrd_,
       {"cascade", "--unit", "co", "--metric", "emails", "--year", "2026", "--method", "even"});
  auto emails = Breakdown(okrd_, "co", "emails");
  Months expected = kCompanyDays;
  expected[0] = 31001;
  EXPECT_EQ(MonthsOf(emails), expected);
  EXPECT_EQ(ChildMonths(emails, "t1")[0], 15501);
  EXPECT_EQ(ChildMonths(emails, "t2")[0], 15500);
  ExpectAllInvariants(okrd_, "emails");
}

TEST_F(Cascade, RatioIsInheritedWithAHoldBelow) {
  Json(okrd_, {"metric", "define", "csat", "--kind", "ratio", "--direction", "up", "--scale", "100",
               "--unit", "%"});
  Json(okrd_,
       {"target", "set", "--unit", "co", "--metric", "csat", "--year", "2026", "--value", "92"});
  Json(okrd_, {"hold", "--unit", "g3", "--metric", "csat", "--period", "2026-03", "--value", "85"});
  Json(okrd_, {"cascade", "--unit", "co", "--metric", "csat", "--year", "2026"});
  const Months all92(12, 92);
  Months g3 = all92;
  g3[2] = 85;

  // Every unit inherits 92 (a level, not an amount: no split), except g3 in March and the
  // agents below it, which inherit the held 85. The teams above g3 keep 92.
  auto co = Breakdown(okrd_, "co", "csat");
  EXPECT_EQ(MonthsOf(co), all92);
  EXPECT_EQ(co["year_target"], 92);
  EXPECT_EQ(ChildMonths(co, "t1"), all92);
  EXPECT_EQ(ChildMonths(co, "t2"), all92);
  auto t2 = Breakdown(okrd_, "t2", "csat");
  EXPECT_EQ(ChildMonths(t2, "g3"), g3);
  // g3's year figure is the mean of its months: (11*92 + 85)/12 = 1097/12.
  EXPECT_DOUBLE_EQ((*ChildRow(t2, "g3"))["year_target"].get<double>(), 1097.0 / 12);
  auto g3b = Breakdown(okrd_, "g3", "csat");
  EXPECT_EQ(ChildMonths(g3b, "a5"), g3);
  EXPECT_EQ(ChildMonths(Breakdown(okrd_, "g1", "csat"), "a1"), all92);
}

TEST_F(Cascade, HistoryRecordsTargetHoldAndCascadeWithBeforeAndAfter) {
  CascadeTickets();
  Json(okrd_, {"hold", "--unit", "t2", "--metric", "tickets", "--period", "2026-01", "--value",
               "10000", "--reason", "launch"});
  CascadeTickets();
  auto history = Json(okrd_, {"history", "--unit", "co", "--metric", "tickets"});
  const nlohmann::json* target = nullptr;
  const nlohmann::json* hold = nullptr;
  std::vector<const nlohmann::json*> cascades;
  for (const auto& e : history["entries"]) {
    if (e["action"] == "target.set") target = &e;
    if (e["action"] == "hold.set") hold = &e;
    if (e["action"] == "cascade") cascades.push_back(&e);
  }
  ASSERT_NE(target, nullptr) << history.dump(1);
  EXPECT_EQ((*target)["unit"], "co");
  EXPECT_EQ((*target)["after"]["value"], 365000);
  EXPECT_EQ((*target)["after"]["year"], 2026);
  ASSERT_NE(hold, nullptr) << history.dump(1);
  EXPECT_EQ((*hold)["unit"], "t2");
  EXPECT_EQ((*hold)["reason"], "launch");
  EXPECT_EQ((*hold)["after"]["period"], "2026-01");
  EXPECT_EQ((*hold)["after"]["value"], 10000);
  EXPECT_FALSE((*hold)["actor"].get<std::string>().empty());
  ASSERT_EQ(cascades.size(), 2u) << history.dump(1);
  // The second cascade's "before" is the first one's result (the company's own months, which
  // a hold below does not change), and its "after" the same months.
  bool saw_before = false;
  for (const auto* c : cascades) {
    EXPECT_EQ(MonthsOf((*c)["after"]), kCompanyDays);
    EXPECT_GT((*c)["plan_version"].get<int64_t>(), 0);
    if ((*c)["before"]["months"].is_array()) {
      saw_before = true;
      Months before;
      for (const auto& v : (*c)["before"]["months"]) before.push_back(v.get<double>());
      EXPECT_EQ(before, kCompanyDays);
    }
  }
  EXPECT_TRUE(saw_before) << history.dump(1);
}

}  // namespace
}  // namespace okr::testing
