// Alerts, kudos and leaderboards as a lead works with them every day (issue 19), through
// okrctl and the dashboard of a real okrd with the shipped plugins:
//   - one breach, one alert: the same complaints seen on later evaluation days (in the next
//     fortnight of the plugin's breach keys) do not open a second alert while one is in work,
//     nor right after it is resolved; new complaints later do;
//   - ack and resolve with a note, shown in the list and the history; ids in number order;
//   - the dashboard groups alerts in work by unit and rule, and opens on the last completed
//     month of the first metric a director set (or the year);
//   - leaderboards with names and groups, and a minimum volume for ratio metrics;
//   - kudos: one a day per giver and receiver (the server's day), never to a leaver, peer kudos
//     only toward the award, `kudos list`.
// Every expected value is worked out by hand in the comments.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "tests/integration/build_paths.h"
#include "tests/integration/harness.h"
#include "tests/integration/http_client.h"
#include "tests/integration/wait_for.h"

namespace okr::testing {
namespace {

using nlohmann::json;

json MustJsonAs(const OkrdProcess& okrd, const std::string& token, std::vector<std::string> args) {
  args.insert(args.end(), {"-o", "json"});
  CommandResult r = okrd.CtlAs(token, args);
  EXPECT_EQ(r.exit_code, 0) << "okrctl failed: " << r.err;
  return r.exit_code == 0 ? r.Json() : json::object();
}

json MustJson(const OkrdProcess& okrd, std::vector<std::string> args) {
  return MustJsonAs(okrd, okrd.admin_token(), std::move(args));
}

std::string TokenFor(const OkrdProcess& okrd, const std::string& role, const std::string& unit) {
  std::vector<std::string> args = {"token", "create", "--role", role};
  if (!unit.empty()) args.insert(args.end(), {"--unit", unit});
  return MustJson(okrd, args).value("token", "");
}

std::string Csv(const std::string& rows) {
  return "event_id,unit_id,metric,date,value,denominator\n" + rows;
}

json AlertsOf(const OkrdProcess& okrd, const std::string& unit) {
  return MustJson(okrd, {"alerts", "--unit", unit}).value("alerts", json::array());
}

std::vector<std::string> PluginsAt(const std::string& instant, std::vector<std::string> more = {}) {
  std::vector<std::string> flags = {"--plugin-dir", PluginDir(), "--test-clock-start", instant};
  flags.insert(flags.end(), more.begin(), more.end());
  return flags;
}

// The red-line rule of these tests, configured at the company (PRODUCT.md "plugins are
// configured per subtree"): 3 or more complaints in 14 days.
constexpr char kComplaintsRule[] =
    R"({"rules": [{"name": "complaints_14d", "type": "window_sum", "metric": "complaints",)"
    R"( "days": 14, "op": ">=", "threshold": 3, "severity": "critical"}]})";

// acme -> t1 -> g2 {a4, a5, a6}
constexpr char kOrg[] =
    "unit_id,parent_id,kind,name,fte,start_date,end_date\n"
    "acme,,company,Acme,,,\n"
    "t1,acme,team,Team one,,,\n"
    "g2,t1,group,Group two,,,\n"
    "a4,g2,agent,Dee,1.0,,\n"
    "a5,g2,agent,Eve,1.0,,\n"
    "a6,g2,agent,Fay,1.0,,\n";

void SetUpRedline(const OkrdProcess& okrd, const std::string& org, const std::string& rules) {
  MustJson(okrd, {"org", "import", okrd.WriteFile("org.csv", org)});
  MustJson(okrd, {"metric", "define", "complaints", "--kind", "count", "--direction", "down"});
  MustJson(okrd, {"metric", "define", "tickets", "--kind", "count", "--direction", "up"});
  MustJson(okrd, {"plugin", "configure", "threshold_redline", "--unit", "acme", "--config", rules});
}

// Defect 6. Breach keys name fortnights counted from Monday 1970-01-05; 2024-03-04 starts one
// (19782 days after, 19782 = 14 x 1413), so the fortnights are 03-04..03-17, 03-18..03-31.
TEST(AlertsIT, OneBreachIsOneAlertOnEveryLaterDayAndAfterItIsResolved) {
  OkrdProcess okrd(PluginsAt("2024-04-20T12:00:00Z"));
  SetUpRedline(okrd, kOrg, kComplaintsRule);

  // a5: complaints on 03-14, 03-15, 03-16. As of 03-16 the 14 days 03-03..03-16 hold 3: an alert.
  MustJson(okrd, {"actuals", "import",
                  okrd.WriteFile("c1.csv", Csv("c1,a5,complaints,2024-03-14,1,\n"
                                               "c2,a5,complaints,2024-03-15,1,\n"
                                               "c3,a5,complaints,2024-03-16,1,\n"))});
  ASSERT_TRUE(WaitFor(10, [&] { return AlertsOf(okrd, "a5").size() == 1; }));
  const json first = AlertsOf(okrd, "a5")[0];
  EXPECT_EQ(first["figures"], "3 complaints in 14 days to 2024-03-16 (alert at >= 3)");
  EXPECT_EQ(first["status"], "open");

  // 03-18, the next fortnight: a5 works (a tickets row makes okrd evaluate her as of 03-18),
  // and the 14 days 03-05..03-18 still hold the same 3 complaints: the same breach, in the
  // alert that is open, now seen to 03-18. a4's 3 complaints that day, evaluated with a5's in
  // one batch, are a new breach: when a4's alert shows, a5's evaluation is stored too.
  MustJson(okrd, {"actuals", "import",
                  okrd.WriteFile("d18.csv", Csv("t1,a5,tickets,2024-03-18,9,\n"
                                                "c4,a4,complaints,2024-03-18,3,\n"))});
  ASSERT_TRUE(WaitFor(10, [&] { return AlertsOf(okrd, "a4").size() == 1; }));
  json a5 = AlertsOf(okrd, "a5");
  ASSERT_EQ(a5.size(), 1u) << a5.dump(1);
  EXPECT_EQ(a5[0]["id"], first["id"]);
  EXPECT_EQ(a5[0]["as_of"], "2024-03-16");
  EXPECT_EQ(a5[0]["last_seen"], "2024-03-18");
  EXPECT_EQ(a5[0]["latest_figures"], "3 complaints in 14 days to 2024-03-18 (alert at >= 3)");
  EXPECT_EQ(a5[0]["figures"], "3 complaints in 14 days to 2024-03-16 (alert at >= 3)");

  // Resolved; on 03-19 the window 03-06..03-19 still holds those complaints (it starts before
  // 03-18, the last day the alert saw): the same breach, not opened again. a6's complaints
  // that day mark the evaluation as done.
  MustJson(okrd, {"alerts", "resolve", first["id"], "--note", "talked it through with Eve"});
  MustJson(okrd, {"actuals", "import",
                  okrd.WriteFile("d19.csv", Csv("t2,a5,tickets,2024-03-19,9,\n"
                                                "c5,a6,complaints,2024-03-19,3,\n"))});
  ASSERT_TRUE(WaitFor(10, [&] { return AlertsOf(okrd, "a6").size() == 1; }));
  a5 = AlertsOf(okrd, "a5");
  ASSERT_EQ(a5.size(), 1u) << a5.dump(1);
  EXPECT_EQ(a5[0]["status"], "resolved");
  EXPECT_EQ(a5[0]["last_seen"], "2024-03-18");

  // New complaints on 04-02..04-04: the window 03-22..04-04 holds these 3 only and starts
  // after 03-18: a new breach, a new alert.
  MustJson(okrd, {"actuals", "import",
                  okrd.WriteFile("c6.csv", Csv("c6,a5,complaints,2024-04-02,1,\n"
                                               "c7,a5,complaints,2024-04-03,1,\n"
                                               "c8,a5,complaints,2024-04-04,1,\n"))});
  ASSERT_TRUE(WaitFor(10, [&] { return AlertsOf(okrd, "a5").size() == 2; }));
  a5 = AlertsOf(okrd, "a5");
  EXPECT_EQ(a5[1]["status"], "open");
  EXPECT_EQ(a5[1]["figures"], "3 complaints in 14 days to 2024-04-04 (alert at >= 3)");
  EXPECT_NE(a5[1]["id"], first["id"]);
}

// ack/resolve with notes, in the list and the history; ids in number order.
TEST(AlertsIT, NotesShowInTheListAndHistoryAndIdsSortAsNumbers) {
  OkrdProcess okrd(PluginsAt("2024-04-20T12:00:00Z"));
  // Eleven agents b1..b11 in g2, three complaints each on 03-05: eleven alerts, A1..A11.
  std::string org = kOrg, rows;
  for (int i = 1; i <= 11; ++i) {
    const std::string id = "b" + std::to_string(i);
    org += id + ",g2,agent,Agent " + id + ",1.0,,\n";
    rows += "e" + std::to_string(i) + "," + id + ",complaints,2024-03-05,3,\n";
  }
  SetUpRedline(okrd, org, kComplaintsRule);
  MustJson(okrd, {"actuals", "import", okrd.WriteFile("c.csv", Csv(rows))});
  ASSERT_TRUE(WaitFor(10, [&] { return AlertsOf(okrd, "g2").size() == 11; }));
  std::vector<std::string> ids;
  for (const json& a : AlertsOf(okrd, "g2")) ids.push_back(a["id"]);
  EXPECT_EQ(ids, (std::vector<std::string>{"A1", "A2", "A3", "A4", "A5", "A6", "A7", "A8", "A9",
                                           "A10", "A11"}));

  const std::string lead = TokenFor(okrd, "lead", "g2");
  json acked = MustJsonAs(okrd, lead, {"alerts", "ack", "A10", "--note", "called her"});
  EXPECT_EQ(acked["status"], "acked");
  EXPECT_EQ(acked["ack_note"], "called her");
  MustJsonAs(okrd, lead, {"alerts", "resolve", "A10", "--note", "coached on tone"});
  MustJsonAs(okrd, lead, {"alerts", "ack", "A2"});  // a note is optional

  json resolved = MustJson(okrd, {"alerts", "--status", "resolved"})["alerts"];
  ASSERT_EQ(resolved.size(), 1u) << resolved.dump(1);
  EXPECT_EQ(resolved[0]["id"], "A10");
  EXPECT_EQ(resolved[0]["ack_note"], "called her");
  EXPECT_EQ(resolved[0]["resolve_note"], "coached on tone");
  EXPECT_EQ(resolved[0]["acked_by"].get<std::string>().rfind("lead:", 0), 0u) << resolved[0];
  EXPECT_EQ(resolved[0]["resolved_by"].get<std::string>().rfind("lead:", 0), 0u);
  json a2 = MustJson(okrd, {"alerts", "--status", "acked"})["alerts"];
  ASSERT_EQ(a2.size(), 1u);
  EXPECT_EQ(a2[0]["ack_note"], "");

  // The table says it too.
  CommandResult table = okrd.Ctl({"alerts", "--status", "resolved"});
  EXPECT_NE(table.out.find("ack: called her; resolved: coached on tone"), std::string::npos)
      << table.out;

  // The history of A10's agent: open, ack, resolve, with the notes as the reason.
  const std::string unit = resolved[0]["unit"];
  std::vector<std::string> steps;
  const json history = MustJson(okrd, {"history", "--unit", unit});
  for (const json& e : history["entries"]) {
    if (e["action"].get<std::string>().rfind("alert.", 0) != 0) continue;
    steps.push_back(e["action"].get<std::string>() + "|" + e["reason"].get<std::string>() + "|" +
                    (e["after"].is_object() ? e["after"].value("status", "") : ""));
  }
  EXPECT_EQ(steps, (std::vector<std::string>{"alert.open||", "alert.ack|called her|acked",
                                             "alert.resolve|coached on tone|resolved"}))
      << history.dump(1);
}

// The dashboard: alerts in work grouped by unit and rule; the default metric and month.
TEST(AlertsIT, DashboardGroupsAlertsByUnitAndRule) {
  const int http = FreePort();
  OkrdProcess okrd(
      PluginsAt("2024-04-20T12:00:00Z", {"--http-listen", "127.0.0.1:" + std::to_string(http)}));
  // Two rules: 3 in 14 days, 2 in 7 days. a5's 3 complaints on 03-14..16 breach both; a4's
  // 3 on 03-18 too: four alerts, A1..A4, in four (unit, rule) rows.
  SetUpRedline(okrd, kOrg,
               R"({"rules": [{"name": "complaints_14d", "type": "window_sum", "metric":)"
               R"( "complaints", "days": 14, "op": ">=", "threshold": 3},)"
               R"( {"name": "complaints_7d", "type": "window_sum", "metric": "complaints",)"
               R"( "days": 7, "op": ">=", "threshold": 2}]})");
  MustJson(okrd, {"actuals", "import",
                  okrd.WriteFile("c.csv", Csv("c1,a5,complaints,2024-03-14,1,\n"
                                              "c2,a5,complaints,2024-03-15,1,\n"
                                              "c3,a5,complaints,2024-03-16,1,\n"
                                              "c4,a4,complaints,2024-03-18,3,\n"))});
  ASSERT_TRUE(WaitFor(10, [&] { return AlertsOf(okrd, "g2").size() == 4; }));
  std::string a4_14d;
  for (const json& a : AlertsOf(okrd, "g2")) {
    if (a["unit"] == "a4" && a["rule"] == "complaints_14d") a4_14d = a["id"];
  }
  MustJson(okrd, {"alerts", "ack", a4_14d, "--note", "on it"});
  // a5's 7-day alert resolved: no longer in work, not shown.
  for (const json& a : AlertsOf(okrd, "a5")) {
    if (a["rule"] == "complaints_7d") MustJson(okrd, {"alerts", "resolve", a["id"]});
  }

  const std::string page =
      HttpClient(http).Get("/?unit=g2&metric=complaints&month=2024-03", "",
                           "Authorization: Bearer " + okrd.admin_token() + "\r\n");
  ASSERT_EQ(StatusOf(page), 200) << page.substr(0, 300);
  const std::string html = Body(page);
  const size_t table = html.find("<table id=alerts>");
  ASSERT_NE(table, std::string::npos) << html;
  const std::string alerts = html.substr(table, html.find("</table>", table) - table);
  // Rows by unit, then rule: a4 14d (acked, with its note), a4 7d, a5 14d.
  std::vector<std::string> rows;
  const std::string row_start = "<tr data-alert-unit=\"";
  for (size_t at = alerts.find(row_start); at != std::string::npos;
       at = alerts.find(row_start, at + 1)) {
    const size_t unit = at + row_start.size();
    const size_t rule = alerts.find("data-rule=\"", at) + 11;
    rows.push_back(alerts.substr(unit, alerts.find('"', unit) - unit) + "/" +
                   alerts.substr(rule, alerts.find('"', rule) - rule));
  }
  EXPECT_EQ(rows, (std::vector<std::string>{"a4/complaints_14d", "a4/complaints_7d",
                                            "a5/complaints_14d"}));
  EXPECT_NE(alerts.find(a4_14d + " acked"), std::string::npos) << alerts;
  EXPECT_NE(alerts.find(a4_14d + ": on it"), std::string::npos) << alerts;
}

TEST(DashboardDefaultIT, OpensOnTheLastCompletedMonthOfTheFirstMetricSet) {
  const int http = FreePort();
  const std::vector<std::string> listen = {"--http-listen", "127.0.0.1:" + std::to_string(http)};
  std::vector<std::string> flags = {"--test-clock-start", "2026-05-10T08:00:00Z"};
  flags.insert(flags.end(), listen.begin(), listen.end());
  OkrdProcess okrd(flags);
  MustJson(okrd, {"org", "import", okrd.WriteFile("org.csv", kOrg)});
  // "aht" is first by id; the director sets the tickets target first.
  MustJson(okrd, {"metric", "define", "aht", "--kind", "ratio", "--direction", "down", "--name",
                  "Handle time"});
  MustJson(okrd, {"metric", "define", "tickets", "--kind", "count", "--direction", "up", "--name",
                  "Tickets resolved"});
  const std::string director = TokenFor(okrd, "director", "");
  for (const auto& [metric, value] :
       std::vector<std::pair<std::string, std::string>>{{"tickets", "36500"}, {"aht", "300"}}) {
    MustJsonAs(okrd, director,
               {"target", "set", "--unit", "acme", "--metric", metric, "--year", "2026", "--value",
                value});
    MustJsonAs(okrd, director, {"cascade", "--unit", "acme", "--metric", metric, "--year", "2026"});
  }
  auto heading = [&] {
    const std::string page =
        HttpClient(http).Get("/", "", "Authorization: Bearer " + okrd.admin_token() + "\r\n");
    const std::string html = Body(page);
    const size_t h1 = html.find("<h1>");
    return h1 == std::string::npos ? html.substr(0, 200)
                                   : html.substr(h1 + 4, html.find("</h1>", h1) - h1 - 4);
  };
  // 2026-05-10: May is running; April is the last completed month.
  EXPECT_EQ(heading(), "Tickets resolved &middot; 2026-04");

  // 2026-01-15: December 2025 has no plan; the year 2026 has.
  std::vector<std::string> january = {"--test-clock-start", "2026-01-15T08:00:00Z"};
  january.insert(january.end(), listen.begin(), listen.end());
  okrd.set_extra_flags(january);
  okrd.Restart();
  EXPECT_EQ(heading(), "Tickets resolved &middot; 2026");
}

// Leaderboard: names and groups; a minimum volume of responses for a ratio metric.
TEST(LeaderboardIT, NamesGroupsAndAMinimumVolumeForRatios) {
  OkrdProcess okrd({"--test-clock-start", "2026-04-10T08:00:00Z"});
  MustJson(okrd, {"org", "import",
                  okrd.WriteFile("org.csv",
                                 "unit_id,parent_id,kind,name,fte,start_date,end_date\n"
                                 "acme,,company,Acme,,,\n"
                                 "g1,acme,group,Group one,,,\n"
                                 "g2,acme,group,Group two,,,\n"
                                 "a1,g1,agent,Ann,1.0,,\n"
                                 "a2,g1,agent,Bob,1.0,,\n"
                                 "a3,g2,agent,Cid,1.0,,\n")});
  MustJson(okrd,
           {"metric", "define", "csat", "--kind", "ratio", "--direction", "up", "--scale", "100"});
  MustJson(okrd, {"metric", "define", "tickets", "--kind", "count", "--direction", "up"});
  for (const std::string metric : {"csat", "tickets"}) {
    MustJson(okrd, {"target", "set", "--unit", "acme", "--metric", metric, "--year", "2026",
                    "--value", metric == "csat" ? "90" : "3650"});
    MustJson(okrd, {"cascade", "--unit", "acme", "--metric", metric, "--year", "2026"});
  }
  // March: a1 1 of 1 satisfied (100%, volume 1), a2 18 of 20 (90%, volume 20), a3 10 of 12
  // (83.33%, volume 12). Attainment against 90: a1 111.1%, a2 100%, a3 92.59%.
  MustJson(okrd, {"actuals", "import",
                  okrd.WriteFile("csat.csv", Csv("s1,a1,csat,2026-03-02,1,1\n"
                                                 "s2,a2,csat,2026-03-03,18,20\n"
                                                 "s3,a3,csat,2026-03-04,10,12\n"))});
  auto board = [&](std::vector<std::string> more) {
    std::vector<std::string> args = {"leaderboard", "--unit",   "acme",   "--metric",
                                     "csat",        "--period", "2026-03"};
    args.insert(args.end(), more.begin(), more.end());
    return MustJson(okrd, args);
  };
  auto ranking = [](const json& b) {
    std::vector<std::string> out;
    for (const json& a : b["agents"]) {
      out.push_back(a["unit"].get<std::string>() + "|" + a["name"].get<std::string>() + "|" +
                    a["group"].get<std::string>() + "|" + a["group_name"].get<std::string>() + "|" +
                    std::to_string(a["volume"].get<int>()));
    }
    return out;
  };
  // Default minimum 10 responses: a1 (1) is left out.
  json by_default = board({});
  EXPECT_EQ(ranking(by_default),
            (std::vector<std::string>{"a2|Bob|g1|Group one|20", "a3|Cid|g2|Group two|12"}));
  EXPECT_EQ(by_default["min_volume"], 10);
  EXPECT_EQ(by_default["below_min_volume"], 1);
  // 0 ranks everyone: a1's single response first.
  EXPECT_EQ(ranking(board({"--min-volume", "0"})),
            (std::vector<std::string>{"a1|Ann|g1|Group one|1", "a2|Bob|g1|Group one|20",
                                      "a3|Cid|g2|Group two|12"}));
  // 15: a2 only; a1 and a3 left out.
  json fifteen = board({"--min-volume", "15"});
  EXPECT_EQ(ranking(fifteen), (std::vector<std::string>{"a2|Bob|g1|Group one|20"}));
  EXPECT_EQ(fifteen["below_min_volume"], 2);
  // A count metric has no denominators to count.
  CommandResult count = okrd.Ctl({"leaderboard", "--unit", "acme", "--metric", "tickets",
                                  "--period", "2026-03", "--min-volume", "5"});
  EXPECT_NE(count.err.find("INVALID_ARGUMENT"), std::string::npos) << count.err;
}

// Kudos in Shanghai (UTC+8): 2026-03-10T09:00Z is 17:00 on 03-10 there, 2026-03-10T17:00Z is
// 01:00 on 03-11, a new day for kudos though the same day in UTC.
TEST(KudosIT, OneADayNeverToALeaverAndOnlyPeersCountTowardTheAward) {
  auto at = [](const std::string& instant) {
    return PluginsAt(instant, {"--time-zone", "Asia/Shanghai"});
  };
  OkrdProcess okrd(at("2026-03-10T09:00:00Z"));
  MustJson(okrd, {"org", "import",
                  okrd.WriteFile("org.csv",
                                 "unit_id,parent_id,kind,name,fte,start_date,end_date\n"
                                 "acme,,company,Acme,,,\n"
                                 "g1,acme,group,Group one,,,\n"
                                 "a1,g1,agent,Ann,1.0,,\n"
                                 "a2,g1,agent,Bob,1.0,,\n"
                                 "a3,g1,agent,Cid,1.0,,2026-02-28\n")});
  MustJson(okrd, {"metric", "define", "tickets", "--kind", "count", "--direction", "up"});
  const std::string ann = TokenFor(okrd, "agent", "a1");
  const std::string ann_again = TokenFor(okrd, "agent", "a1");  // a second token, same giver
  const std::string lead = TokenFor(okrd, "lead", "g1");
  const std::string director = TokenFor(okrd, "director", "");

  MustJsonAs(okrd, ann, {"kudos", "give", "--to", "a2", "--reason", "took my calls"});
  CommandResult twice =
      okrd.CtlAs(ann_again, {"kudos", "give", "--to", "a2", "--reason", "and again"});
  EXPECT_NE(twice.err.find("FAILED_PRECONDITION"), std::string::npos) << twice.err;
  EXPECT_NE(twice.err.find("one a day"), std::string::npos) << twice.err;
  CommandResult leaver = okrd.CtlAs(ann, {"kudos", "give", "--to", "a3", "--reason", "bye"});
  EXPECT_NE(leaver.err.find("FAILED_PRECONDITION"), std::string::npos) << leaver.err;
  EXPECT_NE(leaver.err.find("left on 2026-02-28"), std::string::npos) << leaver.err;
  MustJsonAs(okrd, lead, {"kudos", "give", "--to", "a2", "--reason", "great week"});
  MustJsonAs(okrd, director, {"kudos", "give", "--to", "a2", "--reason", "thank you"});

  okrd.set_extra_flags(at("2026-03-10T17:00:00Z"));  // 03-11 in Shanghai
  okrd.Restart();
  MustJsonAs(okrd, ann, {"kudos", "give", "--to", "a2", "--reason", "again a star"});

  json list = MustJson(okrd, {"kudos", "list", "--month", "2026-03"});
  std::vector<std::string> rows;
  for (const json& k : list["kudos"]) {
    rows.push_back(k["giver"].get<std::string>().substr(0, 9) + "|" +
                   k["receiver"].get<std::string>() + "|" + k["reason"].get<std::string>() + "|" +
                   k["date"].get<std::string>() + "|" + (k["peer"].get<bool>() ? "peer" : "-"));
  }
  EXPECT_EQ(rows,
            (std::vector<std::string>{
                "a1|a2|took my calls|2026-03-10|peer", "g1|a2|great week|2026-03-10|-",
                "director:|a2|thank you|2026-03-10|-", "a1|a2|again a star|2026-03-11|peer"}));
  EXPECT_EQ(MustJson(okrd, {"kudos", "list", "--unit", "g1"})["kudos"].size(), 4u);
  EXPECT_EQ(MustJsonAs(okrd, ann, {"kudos", "list"})["kudos"].size(), 0u);  // none for Ann

  // The close of March (April 1st in Shanghai): a2 has 2 peer kudos of 4.
  okrd.set_extra_flags(at("2026-04-01T09:00:00Z"));
  okrd.Restart();
  MustJson(okrd, {"plugin", "configure", "recognition", "--unit", "acme", "--config",
                  R"({"primary_metric": "tickets", "kudos": {"min_received": 2}})"});
  const json closed = MustJson(okrd, {"period", "close", "2026-03"});
  const json awards = MustJson(okrd, {"awards", "--period", "2026-03"});
  std::vector<std::string> kudos_awards;
  for (const json& a : awards["awards"]) {
    if (a["award"] == "kudos") {
      kudos_awards.push_back(a["unit"].get<std::string>() + "|" +
                             a["explanation"].get<std::string>());
    }
  }
  EXPECT_EQ(kudos_awards, (std::vector<std::string>{"a2|2 kudos received in 2026-03 (minimum 2)"}));
}

}  // namespace
}  // namespace okr::testing
