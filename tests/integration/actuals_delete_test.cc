// `okrctl actuals delete --event-id ID [--reason TEXT]` (issue 19, defect 8): a wrong event is
// taken back whole, with what it added to every roll-up, in one audited write. An unknown id
// is NOT_FOUND, an event of a closed month FAILED_PRECONDITION (closed months are final), a
// lead may not delete (who may import may delete: a director), a reason of 100,000
// characters is refused, and the id is free again afterwards (a re-import is a new event).
//
// okrd's clock reads 2026-05-10 (UTC): April has ended and March can be closed.
// Every expected value is worked out by hand in the comments.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/integration/build_paths.h"
#include "tests/integration/harness.h"

namespace okr::testing {
namespace {

using ::testing::HasSubstr;
using json = nlohmann::json;

// co -> g1 {a1, a2}, both 1.0 FTE all year.
constexpr char kOrg[] =
    "unit_id,parent_id,kind,name,fte,start_date,end_date\n"
    "co,,company,Company,,,\n"
    "g1,co,group,Group one,,,\n"
    "a1,g1,agent,Ann,1.0,,\n"
    "a2,g1,agent,Bob,1.0,,\n";

// April: a1 10 + 20 tickets, a2 5; March: a1 7. CSAT of a1 in April: 18 of 20, 8 of 10.
constexpr char kActuals[] =
    "event_id,unit_id,metric,date,value,denominator\n"
    "e1,a1,tickets,2026-04-03,10,\n"
    "e2,a1,tickets,2026-04-10,20,\n"
    "e3,a2,tickets,2026-04-11,5,\n"
    "m1,a1,tickets,2026-03-05,7,\n"
    "c1,a1,csat,2026-04-03,18,20\n"
    "c2,a1,csat,2026-04-04,8,10\n";

class ActualsDelete : public ::testing::Test {
 protected:
  void SetUp() override {
    Json({"org", "import", okrd_.WriteFile("org.csv", kOrg)});
    Json({"metric", "define", "tickets", "--kind", "count", "--direction", "up"});
    Json({"metric", "define", "csat", "--kind", "ratio", "--direction", "up", "--scale", "100"});
    // 1200 over twelve equal weights: 100 a month for co and g1, 50 for each agent.
    Json({"target", "set", "--unit", "co", "--metric", "tickets", "--year", "2026", "--value",
          "1200", "--seasonality", "1,1,1,1,1,1,1,1,1,1,1,1"});
    Json({"cascade", "--unit", "co", "--metric", "tickets", "--year", "2026"});
    Json({"target", "set", "--unit", "co", "--metric", "csat", "--year", "2026", "--value", "90"});
    Json({"cascade", "--unit", "co", "--metric", "csat", "--year", "2026"});
    ASSERT_EQ(Json({"actuals", "import", okrd_.WriteFile("actuals.csv", kActuals)})["accepted"], 6);
  }

  json Json(std::vector<std::string> args) {
    args.insert(args.end(), {"-o", "json"});
    CommandResult r = okrd_.Ctl(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    if (r.exit_code != 0) return json::object();
    return r.Json();
  }

  // The stderr of a command that must fail.
  std::string Fails(const std::vector<std::string>& args) {
    CommandResult r = okrd_.Ctl(args);
    EXPECT_NE(r.exit_code, 0) << r.out;
    return r.err;
  }

  json Progress(const std::string& unit, const std::string& metric, const std::string& period,
                const std::string& as_of = "") {
    std::vector<std::string> args = {"progress", "--unit",   unit,  "--metric",
                                     metric,     "--period", period};
    if (!as_of.empty()) args.insert(args.end(), {"--as-of", as_of});
    return Json(args);
  }

  OkrdProcess okrd_{{"--test-clock-start", "2026-05-10T12:00:00Z"}};
};

TEST_F(ActualsDelete, TakesTheEventOutOfEveryRollUpAndTheAudit) {
  // Before: a1's April 10 + 20 = 30 of 50 (60%), g1's 30 + 5 = 35 of 100 (35%).
  EXPECT_EQ(Progress("a1", "tickets", "2026-04")["actual"], 30);
  EXPECT_EQ(Progress("g1", "tickets", "2026-04")["actual"], 35);

  const json deleted = Json(
      {"actuals", "delete", "--event-id", "e2", "--reason", "counted twice in the WFM export"});
  EXPECT_EQ(deleted["deleted"], true);
  EXPECT_EQ(deleted["event_id"], "e2");
  EXPECT_EQ(deleted["unit_id"], "a1");
  EXPECT_EQ(deleted["metric"], "tickets");
  EXPECT_EQ(deleted["date"], "2026-04-10");
  EXPECT_EQ(deleted["value"], 20);

  // After, by hand without e2: a1 10 of 50 = 20%, one event; g1 10 + 5 = 15 of 100 = 15%;
  // co the same 15.
  json a1 = Progress("a1", "tickets", "2026-04");
  EXPECT_EQ(a1["actual"], 10);
  EXPECT_EQ(a1["attainment_pct"], 20);
  EXPECT_EQ(a1["events"], 1);
  json g1 = Progress("g1", "tickets", "2026-04");
  EXPECT_EQ(g1["actual"], 15);
  EXPECT_EQ(g1["attainment_pct"], 15);
  EXPECT_EQ(Progress("co", "tickets", "2026-04")["actual"], 15);
  // The day roll-ups too (a part of a month is summed by day): to 04-10, a1 has e1 only.
  EXPECT_EQ(Progress("a1", "tickets", "2026-04", "2026-04-10")["actual"], 10);
  EXPECT_EQ(Progress("g1", "tickets", "2026-04", "2026-04-10")["actual"], 10);

  // A ratio: without c1, a1's CSAT is 8 / 10 = 80% (it was 26 / 30 = 86.67%).
  Json({"actuals", "delete", "--event-id", "c1"});
  EXPECT_EQ(Progress("a1", "csat", "2026-04")["actual"], 80);
  EXPECT_EQ(Progress("g1", "csat", "2026-04")["actual"], 80);

  // Audited: before is the event, after null, with the reason.
  json history = Json({"history", "--unit", "a1", "--metric", "tickets"})["entries"];
  std::vector<json> deletes;
  for (const json& e : history) {
    if (e["action"] == "actuals.delete") deletes.push_back(e);
  }
  ASSERT_EQ(deletes.size(), 1u) << history.dump();
  EXPECT_EQ(deletes[0]["unit"], "a1");
  EXPECT_EQ(deletes[0]["reason"], "counted twice in the WFM export");
  EXPECT_EQ(deletes[0]["before"], json::parse(R"({"event_id":"e2","unit_id":"a1","metric":"tickets",
                                                 "date":"2026-04-10","value":"20"})"));
  EXPECT_TRUE(deletes[0]["after"].is_null());
  EXPECT_THAT(deletes[0]["actor"].get<std::string>(), HasSubstr("admin"));

  // Every roll-up still equals the sum of the events that remain (okrd --verify recomputes
  // them), and all of it is durable: the same after a restart.
  okrd_.Stop();
  CommandResult verify = RunCommand({OkrdPath(), "--verify", "--data-dir", okrd_.data_dir()});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  EXPECT_THAT(verify.out, HasSubstr(": clean"));
  okrd_.Start();
  EXPECT_EQ(Progress("g1", "tickets", "2026-04")["actual"], 15);
}

TEST_F(ActualsDelete, AnUnknownIdIsNotFound) {
  EXPECT_EQ(Fails({"actuals", "delete", "--event-id", "nope"}),
            "okrctl: NOT_FOUND: no event 'nope' (never imported, or already deleted); nothing "
            "was changed\n");
  // Deleting twice: the second finds nothing, and takes nothing more.
  Json({"actuals", "delete", "--event-id", "e3"});
  EXPECT_THAT(Fails({"actuals", "delete", "--event-id", "e3"}), HasSubstr("NOT_FOUND"));
  EXPECT_EQ(Progress("g1", "tickets", "2026-04")["actual"], 30);  // 35 - 5, once
}

TEST_F(ActualsDelete, AnEventOfAClosedMonthStays) {
  Json({"period", "close", "2026-03"});
  EXPECT_EQ(Fails({"actuals", "delete", "--event-id", "m1"}),
            "okrctl: FAILED_PRECONDITION: event 'm1' is dated 2026-03-05 and 2026-03 is closed: "
            "its payouts and awards were computed with it, and closed months are final; nothing "
            "was changed\n");
  EXPECT_EQ(Progress("a1", "tickets", "2026-03")["actual"], 7);
}

TEST_F(ActualsDelete, ALeadMayNotDelete) {
  const std::string lead =
      Json({"token", "create", "--role", "lead", "--unit", "g1"})["token"].get<std::string>();
  CommandResult r = okrd_.CtlAs(lead, {"actuals", "delete", "--event-id", "e1"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_THAT(r.err, HasSubstr("PERMISSION_DENIED"));
  EXPECT_EQ(Progress("a1", "tickets", "2026-04")["actual"], 30);
}

TEST_F(ActualsDelete, AReasonOfAHundredThousandCharactersIsRefused) {
  EXPECT_EQ(Fails({"actuals", "delete", "--event-id", "e1", "--reason", std::string(100000, 'r')}),
            "okrctl: INVALID_ARGUMENT: reason: longer than 2000 bytes (100000)\n");
  EXPECT_EQ(Progress("a1", "tickets", "2026-04")["actual"], 30);
}

TEST_F(ActualsDelete, TheIdIsFreeAgainAfterwards) {
  Json({"actuals", "delete", "--event-id", "e2"});
  // The same id, new content: a new event, not a duplicate nor a correction.
  json again = Json({"actuals", "import",
                     okrd_.WriteFile("again.csv",
                                     "event_id,unit_id,metric,date,value,denominator\n"
                                     "e2,a1,tickets,2026-04-10,4,\n")});
  EXPECT_EQ(again["accepted"], 1);
  EXPECT_EQ(again["duplicates"], 0);
  EXPECT_EQ(again["corrected"], 0);
  // a1: 10 + 4 = 14; g1: 14 + 5 = 19.
  EXPECT_EQ(Progress("a1", "tickets", "2026-04")["actual"], 14);
  EXPECT_EQ(Progress("g1", "tickets", "2026-04")["actual"], 19);
}

}  // namespace
}  // namespace okr::testing
