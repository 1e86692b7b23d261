// Actuals and progress through okrctl -o json: import summaries (duplicates, corrections,
// a bad file that stores nothing, --skip-invalid), progress of a month / quarter / year as of
// a day and after the period, ratios rolled up as the ratio of sums, metrics where lower is
// better, --children, org moves, the leaderboard, restart, and a live --watch.
//
// Every expected value below is worked out by hand in the comments.
#include <gtest/gtest.h>

#include <chrono>
#include <regex>
#include <string>
#include <vector>

#include "tests/integration/build_paths.h"
#include "tests/integration/child_process.h"
#include "tests/integration/harness.h"
#include "tests/integration/wait_for.h"

namespace okr::testing {
namespace {

// co -> t1 -> g1 {a1, a2}, g2 {a3}; every agent 1.0 FTE, active all year.
constexpr char kOrg[] =
    "unit_id,parent_id,kind,name,fte,start_date,end_date\n"
    "co,,company,Company,,,\n"
    "t1,co,team,Team one,,,\n"
    "g1,t1,group,Group one,,,\n"
    "g2,t1,group,Group two,,,\n"
    "a1,g1,agent,Ann,1.0,,\n"
    "a2,g1,agent,Bob,1.0,,\n"
    "a3,g2,agent,Cid,1.0,,\n";

constexpr char kHeader[] = "event_id,unit_id,metric,date,value,denominator\n";

nlohmann::json Json(const OkrdProcess& okrd, std::vector<std::string> args) {
  args.insert(args.begin(), {"-o", "json"});
  CommandResult r = okrd.Ctl(args);
  if (r.exit_code != 0) {
    ADD_FAILURE() << "okrctl failed: " << r.err;
    return nlohmann::json::object();
  }
  return r.Json();
}

nlohmann::json ProgressOf(const OkrdProcess& okrd, const std::string& unit,
                          const std::string& metric, const std::string& period,
                          const std::string& as_of, bool children = false) {
  std::vector<std::string> args = {"progress", "--unit", unit,      "--metric", metric,
                                   "--period", period,   "--as-of", as_of};
  if (children) args.push_back("--children");
  return Json(okrd, args);
}

// Compares one progress document against hand-worked figures.
void ExpectProgress(const nlohmann::json& p, double target, double actual, double expected,
                    double attainment, const std::string& status) {
  SCOPED_TRACE(p.dump());
  EXPECT_NEAR(p.at("target").get<double>(), target, 1e-9);
  EXPECT_NEAR(p.at("actual").get<double>(), actual, 1e-9);
  EXPECT_NEAR(p.at("expected_to_date").get<double>(), expected, 1e-9);
  EXPECT_NEAR(p.at("attainment_pct").get<double>(), attainment, 1e-9);
  EXPECT_EQ(p.at("status"), status);
}

class Progress : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(Json(okrd_, {"org", "import", okrd_.WriteFile("org.csv", kOrg)})["created"], 7);
    Json(okrd_, {"metric", "define", "tickets", "--kind", "count", "--direction", "up"});
    // 109500 = 300 a day over 365 days; FTE 2:1 between g1 and g2, 1:1 between a1 and a2:
    // every agent gets 100 a day: January 3100, February 2800, March 3100; g1 6200 in
    // January, g2 3100, t1 (the only child of co) 9300.
    Json(okrd_, {"target", "set", "--unit", "co", "--metric", "tickets", "--year", "2026",
                 "--value", "109500"});
    Json(okrd_, {"cascade", "--unit", "co", "--metric", "tickets", "--year", "2026"});
  }

  nlohmann::json Import(const std::string& name, const std::string& rows,
                        const std::vector<std::string>& flags = {}) {
    std::vector<std::string> args = {"actuals", "import", okrd_.WriteFile(name, kHeader + rows)};
    args.insert(args.end(), flags.begin(), flags.end());
    return Json(okrd_, args);
  }

  OkrdProcess okrd_;
};

// The events of the count tests, after every import below:
//   a1: Jan 2 600, Jan 10 800, Jan 11 50 (skip-invalid import), Jan 20 500
//   a2: Jan 5 1200 (corrected from 1000), Jan 14 400
//   a3: Jan 7 2000, Feb 3 1500, Feb 20 1300
constexpr char kFirst[] =
    "e1,a1,tickets,2026-01-02,600,\n"
    "e2,a1,tickets,2026-01-10,800,\n"
    "e3,a1,tickets,2026-01-20,500,\n"
    "e4,a2,tickets,2026-01-05,1000,\n"
    "e5,a3,tickets,2026-01-07,2000,\n"
    "e6,a3,tickets,2026-02-03,1500,\n"
    "e7,a3,tickets,2026-02-20,1300,\n";

constexpr char kSecond[] =
    "e1,a1,tickets,2026-01-02,600,\n"   // duplicate
    "e2,a1,tickets,2026-01-10,800,\n"   // duplicate
    "e4,a2,tickets,2026-01-05,1200,\n"  // correction of 1000
    "e8,a2,tickets,2026-01-14,400,\n";  // new

constexpr char kBad[] =
    "e9,a1,tickets,2026-01-11,50,\n"        // line 2: good
    "e10,nobody,tickets,2026-01-11,100,\n"  // line 3: unknown unit
    "e11,a1,nometric,2026-01-11,100,\n"     // line 4: unknown metric
    "e12,a1,tickets,2026-01-11,abc,\n"      // line 5: not a number
    "e13,g1,tickets,2026-01-11,5,\n"        // line 6: not an agent
    "e14,a1,tickets,2026-13-01,5,\n"        // line 7: no such date
    "e15,a1,tickets,2026-01-11,-5,\n"       // line 8: negative
    "e16,a1,tickets,2026-01-11,5,3\n";      // line 9: a count with a denominator

TEST_F(Progress, ImportSummariesDuplicatesCorrectionsAndBadFiles) {
  auto first = Import("first.csv", kFirst);
  EXPECT_EQ(first["accepted"], 7);
  EXPECT_EQ(first["duplicates"], 0);
  EXPECT_EQ(first["corrected"], 0);
  EXPECT_EQ(first["rejected"], 0);
  EXPECT_TRUE(first["errors"].empty());

  auto second = Import("second.csv", kSecond);
  EXPECT_EQ(second["accepted"], 1);
  EXPECT_EQ(second["duplicates"], 2);
  EXPECT_EQ(second["corrected"], 1);
  EXPECT_EQ(second["rejected"], 0);

  // The correction replaced 1000 by 1200 (never both): a2 January = 1200 + 400 = 1600.
  auto a2 = ProgressOf(okrd_, "a2", "tickets", "2026-01", "2026-01-31");
  EXPECT_EQ(a2["actual"], 1600);

  // A bad file: every bad row is listed with its line, the good one is not stored.
  CommandResult bad = okrd_.Ctl(
      {"-o", "json", "actuals", "import", okrd_.WriteFile("bad.csv", std::string(kHeader) + kBad)});
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_NE(bad.err.find("INVALID_ARGUMENT"), std::string::npos) << bad.err;
  auto summary = bad.Json();
  EXPECT_EQ(summary["accepted"], 0);
  EXPECT_EQ(summary["rejected"], 7);
  std::vector<int> lines;
  for (const auto& e : summary["errors"]) lines.push_back(e["line"].get<int>());
  EXPECT_EQ(lines, (std::vector<int>{3, 4, 5, 6, 7, 8, 9}));
  // a1 January as of the 31st is still 600 + 800 + 500 = 1900: e9 (50) was not stored.
  EXPECT_EQ(ProgressOf(okrd_, "a1", "tickets", "2026-01", "2026-01-31")["actual"], 1900);

  // --skip-invalid keeps the good row.
  auto skipped = Import("bad2.csv", kBad, {"--skip-invalid"});
  EXPECT_EQ(skipped["accepted"], 1);
  EXPECT_EQ(skipped["rejected"], 7);
  EXPECT_EQ(skipped["errors"].size(), 7u);
  // 1900 + 50 = 1950.
  EXPECT_EQ(ProgressOf(okrd_, "a1", "tickets", "2026-01", "2026-01-31")["actual"], 1950);

  // Importing the bad file's good row again is a duplicate.
  auto again = Import("again.csv", "e9,a1,tickets,2026-01-11,50,\n");
  EXPECT_EQ(again["duplicates"], 1);
  EXPECT_EQ(again["accepted"], 0);
}

void ImportAll(OkrdProcess& okrd) {
  for (const auto& [name, rows] : std::vector<std::pair<std::string, std::string>>{
           {"first.csv", kFirst}, {"second.csv", kSecond}}) {
    Json(okrd, {"actuals", "import", okrd.WriteFile(name, kHeader + rows)});
  }
  Json(okrd, {"actuals", "import", "--skip-invalid",
              okrd.WriteFile("bad.csv", std::string(kHeader) + kBad)});
}

TEST_F(Progress, MonthQuarterYearAndAfterThePeriod) {
  ImportAll(okrd_);

  // a1, January, as of the 15th: events on the 2nd, 10th and 11th count, the 20th not yet.
  //   target 3100; actual 600 + 800 + 50 = 1450; expected 3100 * 15/31 = 1500;
  //   attainment 1450/3100*100 = 46.774...; pace 1450/1500 = 0.967 -> at_risk.
  ExpectProgress(ProgressOf(okrd_, "a1", "tickets", "2026-01", "2026-01-15"), 3100, 1450, 1500,
                 1450.0 / 3100 * 100, "at_risk");
  // a2: 1200 + 400 = 1600 >= 1500 -> on_track; 1600/3100*100 = 51.61...
  ExpectProgress(ProgressOf(okrd_, "a2", "tickets", "2026-01", "2026-01-15"), 3100, 1600, 1500,
                 1600.0 / 3100 * 100, "on_track");
  // a1 as of the 31st (the last day, the month still runs): 1450 + 500 = 1950 against the
  // whole 3100 expected: pace 0.63 -> off_track.
  ExpectProgress(ProgressOf(okrd_, "a1", "tickets", "2026-01", "2026-01-31"), 3100, 1950, 3100,
                 1950.0 / 3100 * 100, "off_track");
  // After the month: a1 missed (1950 < 3100).
  ExpectProgress(ProgressOf(okrd_, "a1", "tickets", "2026-01", "2026-02-01"), 3100, 1950, 3100,
                 1950.0 / 3100 * 100, "missed");
  // a3 February: 1500 + 1300 = 2800 = the target exactly -> achieved at 100%.
  ExpectProgress(ProgressOf(okrd_, "a3", "tickets", "2026-02", "2026-03-01"), 2800, 2800, 2800, 100,
                 "achieved");

  // The group rolls up its agents: g1 January as of the 15th:
  //   target 6200; actual 1450 + 1600 = 3050; expected 6200*15/31 = 3000; pace 1.017 on_track.
  ExpectProgress(ProgressOf(okrd_, "g1", "tickets", "2026-01", "2026-01-15"), 6200, 3050, 3000,
                 3050.0 / 6200 * 100, "on_track");

  // A quarter: a3 2026-Q1 as of 14 February:
  //   target 3100 + 2800 + 3100 = 9000; expected 3100 + 2800*14/28 = 4500;
  //   actual 2000 (Jan 7) + 1500 (Feb 3) = 3500 (Feb 20 not yet);
  //   attainment 3500/9000*100 = 38.88...; pace 3500/4500 = 0.78 -> off_track.
  ExpectProgress(ProgressOf(okrd_, "a3", "tickets", "2026-Q1", "2026-02-14"), 9000, 3500, 4500,
                 3500.0 / 9000 * 100, "off_track");

  // The year: t1 as of 31 March: target 109500; expected Jan 9300 + Feb 8400 + Mar 9300 =
  //   27000; actual a1 1950 + a2 1600 + a3 2000+1500+1300 = 8350; 8350/109500*100 = 7.6255...
  ExpectProgress(ProgressOf(okrd_, "t1", "tickets", "2026", "2026-03-31"), 109500, 8350, 27000,
                 8350.0 / 109500 * 100, "off_track");
  // The company is the same (t1 is its only child), and so is its year after the year:
  // missed.
  ExpectProgress(ProgressOf(okrd_, "co", "tickets", "2026", "2027-01-01"), 109500, 8350, 109500,
                 8350.0 / 109500 * 100, "missed");

  // --children: g1 January as of the 15th lists a1 and a2 with their own figures.
  auto g1 = ProgressOf(okrd_, "g1", "tickets", "2026-01", "2026-01-15", true);
  ASSERT_EQ(g1["children"].size(), 2u);
  EXPECT_EQ(g1["children"][0]["unit"], "a1");
  ExpectProgress(g1["children"][0], 3100, 1450, 1500, 1450.0 / 3100 * 100, "at_risk");
  EXPECT_EQ(g1["children"][1]["unit"], "a2");
  ExpectProgress(g1["children"][1], 3100, 1600, 1500, 1600.0 / 3100 * 100, "on_track");

  // Before any actual in a period: no_data; a unit without a plan for a metric: no_target.
  EXPECT_EQ(ProgressOf(okrd_, "a1", "tickets", "2026-05", "2026-05-10")["status"], "no_data");
  Json(okrd_, {"metric", "define", "chats", "--kind", "count", "--direction", "up"});
  EXPECT_EQ(ProgressOf(okrd_, "a1", "chats", "2026-05", "2026-05-10")["status"], "no_target");

  // Leaderboard of t1, January as of the 15th, best attainment first:
  //   a3 2000/3100 = 64.5%, a2 1600/3100 = 51.6%, a1 1450/3100 = 46.8%.
  auto board = Json(okrd_, {"leaderboard", "--unit", "t1", "--metric", "tickets", "--period",
                            "2026-01", "--as-of", "2026-01-15"});
  ASSERT_EQ(board["agents"].size(), 3u);
  EXPECT_EQ(board["agents"][0]["unit"], "a3");
  EXPECT_EQ(board["agents"][1]["unit"], "a2");
  EXPECT_EQ(board["agents"][2]["unit"], "a1");
  EXPECT_NEAR(board["agents"][0]["attainment_pct"].get<double>(), 2000.0 / 3100 * 100, 1e-9);

  // A restart keeps plans and actuals.
  okrd_.Restart();
  ExpectProgress(ProgressOf(okrd_, "t1", "tickets", "2026", "2026-03-31"), 109500, 8350, 27000,
                 8350.0 / 109500 * 100, "off_track");
  // And ingestion stays idempotent across it.
  auto again = Json(
      okrd_, {"actuals", "import", okrd_.WriteFile("first.csv", std::string(kHeader) + kFirst)});
  // e4 now holds the corrected 1200, so the original 1000 is a correction back, the other
  // six are duplicates.
  EXPECT_EQ(again["duplicates"], 6);
  EXPECT_EQ(again["corrected"], 1);
  EXPECT_EQ(again["accepted"], 0);
  // a2 January: 1000 + 400 = 1400.
  EXPECT_EQ(ProgressOf(okrd_, "a2", "tickets", "2026-01", "2026-01-31")["actual"], 1400);
}

TEST_F(Progress, RatioRollsUpAsTheRatioOfSumsAndDownMetrics) {
  Json(okrd_, {"metric", "define", "csat", "--kind", "ratio", "--direction", "up", "--scale", "100",
               "--unit", "%"});
  Json(okrd_, {"metric", "define", "aht", "--kind", "ratio", "--direction", "down", "--scale", "1",
               "--unit", "s"});
  Json(okrd_, {"metric", "define", "complaints", "--kind", "count", "--direction", "down"});
  for (const auto& [metric, value] : std::vector<std::pair<std::string, std::string>>{
           {"csat", "90"}, {"aht", "300"}, {"complaints", "1095"}}) {
    Json(okrd_,
         {"target", "set", "--unit", "co", "--metric", metric, "--year", "2026", "--value", value});
    Json(okrd_, {"cascade", "--unit", "co", "--metric", metric, "--year", "2026"});
  }
  auto summary = Json(
      okrd_,
      {"actuals", "import",
       okrd_.WriteFile("r.csv",
                       std::string(kHeader) +
                           "c1,a1,csat,2026-01-05,9,10\n"    // a1: 9 of 10 satisfied
                           "c2,a2,csat,2026-01-06,50,100\n"  // a2: 50 of 100
                           "h1,a1,aht,2026-01-05,3300,10\n"  // a1: 3300 s over 10 tickets = 330 s
                           "h2,a2,aht,2026-01-06,2900,10\n"  // a2: 290 s
                           "p1,a1,complaints,2026-01-08,20,\n"
                           "p2,a1,complaints,2026-01-25,13,\n"      // a1: 33 complaints in January
                           "p3,a2,complaints,2026-01-09,20,\n")});  // a2: 20
  EXPECT_EQ(summary["accepted"], 7);

  // CSAT: a1 9/10 = 90%, a2 50/100 = 50%; g1 is the ratio of the sums 59/110*100 =
  // 53.636..., not the mean of the ratios (70). Target 90 (inherited); expected = target;
  // attainment 53.636/90*100 = 59.59...; pace 0.596 -> off_track.
  const double g1_csat = 59.0 / 110 * 100;
  ExpectProgress(ProgressOf(okrd_, "g1", "csat", "2026-01", "2026-01-15"), 90, g1_csat, 90,
                 g1_csat / 90 * 100, "off_track");
  // a1: 90 against 90 -> 100%, on_track.
  ExpectProgress(ProgressOf(okrd_, "a1", "csat", "2026-01", "2026-01-15"), 90, 90, 90, 100,
                 "on_track");
  // A quarter's ratio target is the mean of its months (all 90).
  EXPECT_EQ(ProgressOf(okrd_, "g1", "csat", "2026-Q1", "2026-01-15")["target"], 90);

  // AHT, lower is better: g1 = (3300 + 2900) / (10 + 10) = 310 s; attainment = target/actual
  //   = 300/310*100 = 96.77...; pace 0.968 -> at_risk. a2: 300/290*100 = 103.4 -> on_track.
  ExpectProgress(ProgressOf(okrd_, "g1", "aht", "2026-01", "2026-01-15"), 300, 310, 300,
                 300.0 / 310 * 100, "at_risk");
  ExpectProgress(ProgressOf(okrd_, "a2", "aht", "2026-01", "2026-01-15"), 300, 290, 300,
                 300.0 / 290 * 100, "on_track");

  // Complaints, a count where lower is better: 1095 = 3 a day -> co January 93, g1 62, g2
  // 31, each agent 31. a1 as of 31 January: expected 31, actual 33: attainment 31/33*100 =
  // 93.9...; pace 31/33 = 0.939 -> at_risk; after the month: missed.
  ExpectProgress(ProgressOf(okrd_, "a1", "complaints", "2026-01", "2026-01-31"), 31, 33, 31,
                 31.0 / 33 * 100, "at_risk");
  ExpectProgress(ProgressOf(okrd_, "a1", "complaints", "2026-01", "2026-02-01"), 31, 33, 31,
                 31.0 / 33 * 100, "missed");
  // a2: 20 of at most 31 -> 155%, achieved.
  ExpectProgress(ProgressOf(okrd_, "a2", "complaints", "2026-01", "2026-02-01"), 31, 20, 31,
                 31.0 / 20 * 100, "achieved");
  // a1 as of 10 January: expected 31*10/31 = 10, actual 20 (the 8th) -> 10/20 = 0.5,
  //   off_track; attainment 31/20*100 = 155.
  ExpectProgress(ProgressOf(okrd_, "a1", "complaints", "2026-01", "2026-01-10"), 31, 20, 10, 155,
                 "off_track");
  // g1: 53 complaints against 62: 62/53*100 = 116.98 -> achieved after the month.
  ExpectProgress(ProgressOf(okrd_, "g1", "complaints", "2026-01", "2026-02-01"), 62, 53, 62,
                 62.0 / 53 * 100, "achieved");
  // a3 had no complaint at all: actual 0, not no_data (PRODUCT.md "Progress"); 100%, achieved.
  ExpectProgress(ProgressOf(okrd_, "a3", "complaints", "2026-01", "2026-02-01"), 31, 0, 31, 100,
                 "achieved");
  // The leaderboard of a "down" metric ranks the fewest first: a3 0, a2 20, a1 33.
  auto board = Json(okrd_, {"leaderboard", "--unit", "t1", "--metric", "complaints", "--period",
                            "2026-01", "--as-of", "2026-02-01"});
  ASSERT_EQ(board["agents"].size(), 3u);
  EXPECT_EQ(board["agents"][0]["unit"], "a3");
  EXPECT_EQ(board["agents"][1]["unit"], "a2");
  EXPECT_EQ(board["agents"][2]["unit"], "a1");
}

TEST_F(Progress, OrgMoveSendsActualsToTheGroupOfTheirDate) {
  // a3 moves from g2 to g1 on 1 February.
  Json(okrd_, {"org", "move", "--unit", "a3", "--to", "g1", "--effective", "2026-02-01"});
  Json(okrd_, {"actuals", "import",
               okrd_.WriteFile("m.csv", std::string(kHeader) + "m1,a3,tickets,2026-01-20,100,\n"
                                                               "m2,a3,tickets,2026-01-31,10,\n"
                                                               "m3,a3,tickets,2026-02-01,200,\n"
                                                               "m4,a3,tickets,2026-02-10,20,\n")});
  // Before the move (January 20 and 31): g2 = 100 + 10 = 110; from it (Feb 1, 10): g1 = 220.
  EXPECT_EQ(ProgressOf(okrd_, "g2", "tickets", "2026", "2026-12-31")["actual"], 110);
  EXPECT_EQ(ProgressOf(okrd_, "g1", "tickets", "2026", "2026-12-31")["actual"], 220);
  EXPECT_EQ(ProgressOf(okrd_, "g1", "tickets", "2026-01", "2026-12-31")["actual"], 0);
  EXPECT_EQ(ProgressOf(okrd_, "t1", "tickets", "2026", "2026-12-31")["actual"], 330);
  EXPECT_EQ(ProgressOf(okrd_, "a3", "tickets", "2026", "2026-12-31")["actual"], 330);

  // A correction after the move takes back what the event added where it added it:
  // m3 200 -> 250: g1 = 250 + 20 = 270, g2 still 110.
  Json(okrd_, {"actuals", "import",
               okrd_.WriteFile("c.csv", std::string(kHeader) + "m3,a3,tickets,2026-02-01,250,\n")});
  EXPECT_EQ(ProgressOf(okrd_, "g1", "tickets", "2026", "2026-12-31")["actual"], 270);
  EXPECT_EQ(ProgressOf(okrd_, "g2", "tickets", "2026", "2026-12-31")["actual"], 110);
}

TEST_F(Progress, AMoveDatedBeforeStoredActualsMovesThem) {
  // Actuals first, all while a3 is in g2: g2 = 100 + 10 + 200 + 20 = 330, g1 nothing.
  Json(okrd_, {"actuals", "import",
               okrd_.WriteFile("m.csv", std::string(kHeader) + "m1,a3,tickets,2026-01-20,100,\n"
                                                               "m2,a3,tickets,2026-01-31,10,\n"
                                                               "m3,a3,tickets,2026-02-01,200,\n"
                                                               "m4,a3,tickets,2026-02-10,20,\n")});
  EXPECT_EQ(ProgressOf(okrd_, "g2", "tickets", "2026", "2026-12-31")["actual"], 330);
  // Then the move, effective 1 February: the February events now count for g1 (220), the
  // January ones stay with g2 (110); the team above both still has all 330.
  Json(okrd_, {"org", "move", "--unit", "a3", "--to", "g1", "--effective", "2026-02-01"});
  EXPECT_EQ(ProgressOf(okrd_, "g2", "tickets", "2026", "2026-12-31")["actual"], 110);
  EXPECT_EQ(ProgressOf(okrd_, "g1", "tickets", "2026", "2026-12-31")["actual"], 220);
  EXPECT_EQ(ProgressOf(okrd_, "g1", "tickets", "2026-02", "2026-02-05")["actual"], 200);
  EXPECT_EQ(ProgressOf(okrd_, "t1", "tickets", "2026", "2026-12-31")["actual"], 330);
  // Back to g2 from 5 February: Feb 10 (20) returns to g2: g2 110 + 20 = 130, g1 200.
  Json(okrd_, {"org", "move", "--unit", "a3", "--to", "g2", "--effective", "2026-02-05"});
  EXPECT_EQ(ProgressOf(okrd_, "g2", "tickets", "2026", "2026-12-31")["actual"], 130);
  EXPECT_EQ(ProgressOf(okrd_, "g1", "tickets", "2026", "2026-12-31")["actual"], 200);
  // A correction of a moved event takes back exactly what it added: m4 20 -> 5: g2 115.
  Json(okrd_, {"actuals", "import",
               okrd_.WriteFile("c.csv", std::string(kHeader) + "m4,a3,tickets,2026-02-10,5,\n")});
  EXPECT_EQ(ProgressOf(okrd_, "g2", "tickets", "2026", "2026-12-31")["actual"], 115);
  EXPECT_EQ(ProgressOf(okrd_, "t1", "tickets", "2026", "2026-12-31")["actual"], 315);
  okrd_.Restart();
  EXPECT_EQ(ProgressOf(okrd_, "g1", "tickets", "2026", "2026-12-31")["actual"], 200);
  EXPECT_EQ(ProgressOf(okrd_, "g2", "tickets", "2026", "2026-12-31")["actual"], 115);
}

// The number of progress documents (each with an "as_of" key) in okrctl's output so far.
int CountDocuments(const std::string& text) {
  int n = 0;
  for (size_t at = text.find("\"as_of\""); at != std::string::npos;
       at = text.find("\"as_of\"", at + 1)) {
    ++n;
  }
  return n;
}

// True when one of the documents has "actual": VALUE (pretty-printed or on one line).
bool HasActual(const std::string& text, const std::string& value) {
  return std::regex_search(text, std::regex("\"actual\":\\s*" + value + "[,\\s}]"));
}

TEST_F(Progress, WatchReceivesAnUpdateAfterAnImport) {
  Json(okrd_,
       {"actuals", "import",
        okrd_.WriteFile("w1.csv", std::string(kHeader) + "w1,a1,tickets,2026-01-02,100,\n")});
  ChildProcess watch({"/usr/bin/timeout", "10", OkrctlPath(), "--server", okrd_.address(),
                      "--token", okrd_.admin_token(), "-o", "json", "progress", "--unit", "g1",
                      "--metric", "tickets", "--period", "2026-01", "--as-of", "2026-01-15",
                      "--watch"});
  // The first document is the progress now: g1 has a1's 100.
  ASSERT_TRUE(WaitFor(5, [&] { return CountDocuments(watch.Out()) >= 1; })) << watch.Err();
  EXPECT_EQ(CountDocuments(watch.Out()), 1) << watch.Out();
  EXPECT_TRUE(HasActual(watch.Out(), "100")) << watch.Out();

  // An import below g1 pushes a second document: 100 + 250 = 350.
  Json(okrd_,
       {"actuals", "import",
        okrd_.WriteFile("w2.csv", std::string(kHeader) + "w2,a2,tickets,2026-01-03,250,\n")});
  EXPECT_TRUE(WaitFor(5, [&] { return CountDocuments(watch.Out()) >= 2; })) << watch.Out();
  EXPECT_TRUE(HasActual(watch.Out(), "350")) << watch.Out();
}

}  // namespace
}  // namespace okr::testing
