// okrd's day is the day in its time zone (--time-zone): actuals dated after today, progress
// "as of today", the end of a month for `period close` and the month kudos count in.
// okrd's clock is fixed with the test-only --test-clock-start.
//
// The instant 2026-04-30T17:00:00Z is 01:00 on May 1st in Shanghai (UTC+8) and still
// April 30th in UTC.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "tests/integration/build_paths.h"
#include "tests/integration/harness.h"

namespace okr::testing {
namespace {

using json = nlohmann::json;

constexpr char kOrg[] =
    "unit_id,parent_id,kind,name,fte,start_date,end_date\n"
    "acme,,company,Acme,,,\n"
    "t1,acme,team,Team one,,,\n"
    "g1,t1,group,Group one,,,\n"
    "a1,g1,agent,Ann,1.0,,\n"
    "a2,g1,agent,Bob,1.0,,\n";

constexpr char kEndOfAprilUtc[] = "2026-04-30T17:00:00Z";

std::vector<std::string> ZoneAt(const std::string& zone, const std::string& instant,
                                std::vector<std::string> more = {}) {
  std::vector<std::string> flags = {"--time-zone", zone, "--test-clock-start", instant};
  flags.insert(flags.end(), more.begin(), more.end());
  return flags;
}

json MustJson(const OkrdProcess& okrd, std::vector<std::string> args) {
  args.insert(args.end(), {"-o", "json"});
  CommandResult r = okrd.Ctl(args);
  EXPECT_EQ(r.exit_code, 0) << "okrctl failed: " << r.err;
  if (r.exit_code != 0) return json::object();
  return r.Json();
}

// The org, a count metric and its 2026 plan: 3650 spread by days gives May 310 (31 days x 10);
// t1 and g1 carry it whole, and a1 and a2 (FTE 1.0 each) 155 each.
void SetUpOrgAndPlan(const OkrdProcess& okrd) {
  ASSERT_EQ(MustJson(okrd, {"org", "import", okrd.WriteFile("org.csv", kOrg)})["created"], 5);
  MustJson(okrd, {"metric", "define", "tickets", "--kind", "count", "--direction", "up"});
  MustJson(okrd, {"target", "set", "--unit", "acme", "--metric", "tickets", "--year", "2026",
                  "--value", "3650"});
  MustJson(okrd, {"cascade", "--unit", "acme", "--metric", "tickets", "--year", "2026"});
  json a1 = MustJson(okrd, {"breakdown", "--unit", "g1", "--metric", "tickets", "--year", "2026"});
  ASSERT_EQ(a1["children"][0]["months"][4], 155) << a1.dump();
}

CommandResult ImportMayFirst(const OkrdProcess& okrd) {
  return okrd.Ctl({"actuals", "import",
                   okrd.WriteFile("may1.csv",
                                  "event_id,unit_id,metric,date,value,denominator\n"
                                  "e1,a1,tickets,2026-05-01,7,\n"),
                   "-o", "json"});
}

TEST(TimeZoneIT, InShanghaiTheEndOfAprilUtcIsMayFirst) {
  OkrdProcess okrd(ZoneAt("Asia/Shanghai", kEndOfAprilUtc));
  SetUpOrgAndPlan(okrd);

  // An actual dated May 1st: it is May 1st in Shanghai.
  CommandResult imported = ImportMayFirst(okrd);
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  EXPECT_EQ(imported.Json()["accepted"], 1) << imported.out;

  // Progress defaults to as of May 1st: a1's May target 155, one day of 31 elapsed, so
  // expected 155 / 31 = 5; the actual 7 counts.
  json progress =
      MustJson(okrd, {"progress", "--unit", "a1", "--metric", "tickets", "--period", "2026-05"});
  EXPECT_EQ(progress["as_of"], "2026-05-01");
  EXPECT_EQ(progress["target"], 155);
  EXPECT_EQ(progress["expected_to_date"], 5);
  EXPECT_EQ(progress["actual"], 7);

  // April has ended in Shanghai: it closes. May is running: it does not.
  json closed = MustJson(okrd, {"period", "close", "2026-04"});
  EXPECT_EQ(closed["month"], "2026-04") << closed.dump();
  CommandResult may = okrd.Ctl({"period", "close", "2026-05"});
  EXPECT_EQ(may.exit_code, 9);  // FAILED_PRECONDITION
  EXPECT_EQ(may.err,
            "okrctl: FAILED_PRECONDITION: 2026-05 has not ended yet (today is 2026-05-01 in "
            "Asia/Shanghai); a month closes from the first day of the next, 2026-06-01\n");
}

TEST(TimeZoneIT, InUtcTheSameInstantIsStillAprilThirtieth) {
  OkrdProcess okrd(ZoneAt("UTC", kEndOfAprilUtc));
  SetUpOrgAndPlan(okrd);

  // May 1st has not begun in UTC: the row is refused, nothing is stored.
  CommandResult imported = ImportMayFirst(okrd);
  EXPECT_EQ(imported.exit_code, 1);
  json reply = imported.Json();
  EXPECT_EQ(reply["accepted"], 0);
  EXPECT_EQ(reply["rejected"], 1);
  ASSERT_EQ(reply["errors"].size(), 1u) << imported.out;
  EXPECT_EQ(reply["errors"][0]["message"],
            "line 2: date 2026-05-01 is after today (2026-04-30 in UTC); actuals are for days "
            "that have begun");
  // April 30th itself is today: accepted.
  json today = MustJson(okrd, {"actuals", "import",
                               okrd.WriteFile("apr30.csv",
                                              "event_id,unit_id,metric,date,value,denominator\n"
                                              "e2,a1,tickets,2026-04-30,4,\n")});
  EXPECT_EQ(today["accepted"], 1);

  json progress =
      MustJson(okrd, {"progress", "--unit", "a1", "--metric", "tickets", "--period", "2026-04"});
  EXPECT_EQ(progress["as_of"], "2026-04-30");
  EXPECT_EQ(progress["actual"], 4);

  // April is still running in UTC.
  CommandResult april = okrd.Ctl({"period", "close", "2026-04"});
  EXPECT_EQ(april.exit_code, 9);  // FAILED_PRECONDITION
  EXPECT_EQ(april.err,
            "okrctl: FAILED_PRECONDITION: 2026-04 has not ended yet (today is 2026-04-30 in "
            "UTC); a month closes from the first day of the next, 2026-05-01\n");
}

// Issue 19, item 2: the running month, a month next year and 1900-01 all closed (payouts on
// a guess). Now only a month that has ended closes, and only months of 2000 to 2100.
TEST(TimeZoneIT, OnlyMonthsThatHaveEndedClose) {
  // 2026-12-01T02:00Z is 10:00 on December 1st in Shanghai.
  OkrdProcess okrd(ZoneAt("Asia/Shanghai", "2026-12-01T02:00:00Z"));
  SetUpOrgAndPlan(okrd);

  CommandResult running = okrd.Ctl({"period", "close", "2026-12"});
  EXPECT_EQ(running.exit_code, 9);  // FAILED_PRECONDITION
  EXPECT_EQ(running.err,
            "okrctl: FAILED_PRECONDITION: 2026-12 has not ended yet (today is 2026-12-01 in "
            "Asia/Shanghai); a month closes from the first day of the next, 2027-01-01\n");

  CommandResult next_year = okrd.Ctl({"period", "close", "2027-06"});
  EXPECT_EQ(next_year.exit_code, 9);  // FAILED_PRECONDITION
  EXPECT_EQ(next_year.err,
            "okrctl: FAILED_PRECONDITION: 2027-06 has not ended yet (today is 2026-12-01 in "
            "Asia/Shanghai); a month closes from the first day of the next, 2027-07-01\n");

  CommandResult ancient = okrd.Ctl({"period", "close", "1900-01"});
  EXPECT_EQ(ancient.exit_code, 11);  // OUT_OF_RANGE
  EXPECT_EQ(ancient.err,
            "okrctl: OUT_OF_RANGE: cannot close 1900-01: only months of 2000 to 2100 close\n");

  // Nothing was closed by the refusals: no payouts are listed for the running month.
  EXPECT_EQ(MustJson(okrd, {"payouts", "--period", "2026-12"})["payouts"], json::array());

  // November has ended: it closes.
  EXPECT_EQ(MustJson(okrd, {"period", "close", "2026-11"})["month"], "2026-11");
}

// Kudos count in the month of the server's day: given at 2026-04-30T17:00Z in Shanghai, they
// are May's (in UTC they would be April's).
TEST(TimeZoneIT, KudosCountInTheMonthOfTheServersDay) {
  const std::vector<std::string> plugins = {"--plugin-dir", PluginDir()};
  OkrdProcess okrd(ZoneAt("Asia/Shanghai", kEndOfAprilUtc, plugins));
  SetUpOrgAndPlan(okrd);
  MustJson(okrd, {"plugin", "configure", "recognition", "--unit", "acme", "--config",
                  R"({"primary_metric": "tickets", "agent_of_the_month": {"enabled": false},)"
                  R"( "milestones": {"enabled": false}, "streak": {"enabled": false},)"
                  R"( "kudos": {"min_received": 1}})"});
  // From a colleague: only peer kudos count toward the award (docs/alerts-and-kudos.md).
  const std::string a2 =
      MustJson(okrd, {"token", "create", "--role", "agent", "--unit", "a2"}).value("token", "");
  CommandResult given =
      okrd.CtlAs(a2, {"kudos", "give", "--to", "a1", "--reason", "covered my queue"});
  ASSERT_EQ(given.exit_code, 0) << given.err;

  // June 1st, 08:00 in Shanghai: April and May have ended.
  okrd.set_extra_flags(ZoneAt("Asia/Shanghai", "2026-06-01T00:00:00Z", plugins));
  okrd.Restart();
  EXPECT_EQ(MustJson(okrd, {"period", "close", "2026-04"})["awards"], 0);
  EXPECT_EQ(MustJson(okrd, {"period", "close", "2026-05"})["awards"], 1);
  json awards = MustJson(okrd, {"awards", "--period", "2026-05"});
  ASSERT_EQ(awards["awards"].size(), 1u) << awards.dump();
  EXPECT_EQ(awards["awards"][0]["unit"], "a1");
  EXPECT_EQ(awards["awards"][0]["explanation"], "1 kudos received in 2026-05 (minimum 1)");
}

TEST(TimeZoneIT, AnUnknownZoneStopsOkrdAtStart) {
  char root[] = "/tmp/okr-tz-itestXXXXXX";
  const std::string dir = ::mkdtemp(root);
  const std::string data_dir = dir + "/data";
  CommandResult r = RunCommand({OkrdPath(), "--listen", "127.0.0.1:" + std::to_string(FreePort()),
                                "--data-dir", data_dir, "--time-zone", "Nowhere/Atlantis"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find(" error server.start_failed error=\"--time-zone: unknown time zone "
                       "'Nowhere/Atlantis'"),
            std::string::npos)
      << r.err;
  EXPECT_FALSE(std::filesystem::exists(data_dir));  // refused before the database is made
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace okr::testing
