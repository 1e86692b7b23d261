// Plugins end to end (issue 6): a real okrd started with --plugin-dir (tiered_bonus,
// threshold_redline, recognition), driven by okrctl. Month close with payouts and awards worked
// out by hand from the plugin READMEs, closing again, a correction then a re-close (the history
// keeps the earlier result), a red-line that opens once, escalates group -> team -> company,
// is acknowledged and resolved, `alerts watch`, the host's refusals over the API, unload and load
// again by name, and an out-of-tree plugin compiled by the test into the plugin folder.
//
// Every expected value below is worked out by hand in the comments.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/integration/build_paths.h"
#include "tests/integration/child_process.h"
#include "tests/integration/harness.h"
#include "tests/integration/temp_folder.h"
#include "tests/integration/wait_for.h"

namespace okr::testing {
namespace {

using nlohmann::json;

// acme -> t1 -> g1 {a1, a2, a3}
//            -> g2 {a4, a5, a6}
// Every agent 1.0 FTE all year.
constexpr char kOrg[] =
    "unit_id,parent_id,kind,name,fte,start_date,end_date\n"
    "acme,,company,Acme,,,\n"
    "t1,acme,team,Team one,,,\n"
    "g1,t1,group,Group one,,,\n"
    "g2,t1,group,Group two,,,\n"
    "a1,g1,agent,Ann,1.0,,\n"
    "a2,g1,agent,Bob,1.0,,\n"
    "a3,g1,agent,Cid,1.0,,\n"
    "a4,g2,agent,Dee,1.0,,\n"
    "a5,g2,agent,Eve,1.0,,\n"
    "a6,g2,agent,Fay,1.0,,\n";

std::string MonthText(int year, int month) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d", year, month);
  return buf;
}

json MustJson(const OkrdProcess& okrd, std::vector<std::string> args) {
  args.push_back("-o");
  args.push_back("json");
  CommandResult r = okrd.Ctl(args);
  EXPECT_EQ(r.exit_code, 0) << "okrctl failed: " << r.err;
  if (r.exit_code != 0) return json::object();
  return r.Json();
}

json MustJsonAs(const OkrdProcess& okrd, const std::string& token, std::vector<std::string> args) {
  args.push_back("-o");
  args.push_back("json");
  CommandResult r = okrd.CtlAs(token, args);
  EXPECT_EQ(r.exit_code, 0) << "okrctl failed: " << r.err;
  if (r.exit_code != 0) return json::object();
  return r.Json();
}

std::string TokenFor(const OkrdProcess& okrd, const std::string& role, const std::string& unit) {
  json t = MustJson(okrd, {"token", "create", "--role", role, "--unit", unit});
  return t.value("token", "");
}

void ImportOrgAndMetrics(const OkrdProcess& okrd) {
  json org = MustJson(okrd, {"org", "import", okrd.WriteFile("org.csv", kOrg)});
  ASSERT_EQ(org["created"], 10) << org.dump();
  MustJson(okrd, {"metric", "define", "tickets_resolved", "--kind", "count", "--direction", "up"});
  MustJson(okrd,
           {"metric", "define", "csat", "--kind", "ratio", "--direction", "up", "--scale", "100"});
  MustJson(okrd, {"metric", "define", "complaints", "--kind", "count", "--direction", "down"});
}

std::vector<std::string> PluginNames(const OkrdProcess& okrd) {
  std::vector<std::string> names;
  json list = MustJson(okrd, {"plugin", "list"});
  for (const auto& p : list.value("plugins", json::array())) names.push_back(p["name"]);
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<std::string> PluginFlags() { return {"--plugin-dir", PluginDir()}; }

// ---------------------------------------------------------------------------------------------
// Month close: payouts, awards, close again, correction, history.
// ---------------------------------------------------------------------------------------------

constexpr char kBonusConfig[] = R"({
  "primary_metric": "tickets_resolved",
  "currency": "EUR",
  "rule": "monthly_tiered_bonus",
  "tiers": [
    {"min_attainment": 100, "amount": 200},
    {"min_attainment": 110, "amount": 350},
    {"min_attainment": 125, "amount": 500}
  ],
  "gates": [
    {"metric": "csat", "min_actual": 90},
    {"metric": "complaints", "max_actual": 2}
  ],
  "cap": 450
})";

constexpr char kRecognitionConfig[] =
    R"({"primary_metric": "tickets_resolved", "agent_of_the_month": {"min_volume": 20},)"
    R"( "milestones": {"thresholds": [24]}, "streak": {"enabled": false},)"
    R"( "kudos": {"min_received": 1}})";

json PayoutOf(const json& payouts, const std::string& unit) {
  for (const auto& p : payouts.at("payouts")) {
    if (p.at("unit") == unit) return p;
  }
  ADD_FAILURE() << "no payout for " << unit << " in " << payouts.dump();
  return json::object();
}

// okrd's clock (UTC) at `instant` (test only).
std::vector<std::string> PluginFlagsAt(const std::string& instant) {
  std::vector<std::string> flags = PluginFlags();
  flags.insert(flags.end(), {"--test-clock-start", instant});
  return flags;
}

TEST(PluginsIT, MonthCloseGivesPayoutsAndAwardsWorkedOutByHand) {
  // Kudos count in the month they are given, and a month closes once it has ended: the data
  // and kudos go in during March 2026, the close runs on April 1st.
  OkrdProcess okrd(PluginFlagsAt("2026-03-20T12:00:00Z"));
  ImportOrgAndMetrics(okrd);
  ASSERT_EQ(PluginNames(okrd),
            (std::vector<std::string>{"recognition", "threshold_redline", "tiered_bonus"}));
  const int year = 2026, month = 3;
  const std::string y = std::to_string(year);
  const std::string m = MonthText(year, month);
  const std::string day1 = m + "-01";

  // Targets. tickets_resolved: 1440 with twelve equal seasonality weights = 120 a month;
  // acme -> t1 120; t1 -> g1, g2 by FTE 3:3 = 60 each; each group's 60 over 3 agents = 20.
  // complaints: 144 -> 12 a month -> 6 a group -> 2 an agent. csat 90 inherited everywhere.
  const std::string even = "1,1,1,1,1,1,1,1,1,1,1,1";
  MustJson(okrd, {"target", "set", "--unit", "acme", "--metric", "tickets_resolved", "--year", y,
                  "--value", "1440", "--seasonality", even});
  MustJson(okrd, {"cascade", "--unit", "acme", "--metric", "tickets_resolved", "--year", y});
  MustJson(okrd, {"target", "set", "--unit", "acme", "--metric", "complaints", "--year", y,
                  "--value", "144", "--seasonality", even});
  MustJson(okrd, {"cascade", "--unit", "acme", "--metric", "complaints", "--year", y});
  MustJson(okrd,
           {"target", "set", "--unit", "acme", "--metric", "csat", "--year", y, "--value", "90"});
  MustJson(okrd, {"cascade", "--unit", "acme", "--metric", "csat", "--year", y});
  json g2 =
      MustJson(okrd, {"breakdown", "--unit", "g2", "--metric", "tickets_resolved", "--year", y});
  ASSERT_EQ(g2["months"][month - 1], 60);
  for (const auto& child : g2["children"]) EXPECT_EQ(child["months"][month - 1], 20);

  // Actuals of the month, all on its first day.
  //        tickets  csat       complaints
  //   a1   25       95/100     -
  //   a2   22       92/100     1
  //   a3   24       85/100     -
  //   a4   19       91/100     -
  //   a5   21       90/100     2
  //   a6   20       96/100     2+1 (two events)
  std::ostringstream csv;
  csv << "event_id,unit_id,metric,date,value,denominator\n";
  auto row = [&](const std::string& id, const std::string& unit, const std::string& metric,
                 const std::string& value, const std::string& denominator) {
    csv << id << "," << unit << "," << metric << "," << day1 << "," << value << "," << denominator
        << "\n";
  };
  row("t-a1", "a1", "tickets_resolved", "25", "");
  row("t-a2", "a2", "tickets_resolved", "22", "");
  row("t-a3", "a3", "tickets_resolved", "24", "");
  row("t-a4", "a4", "tickets_resolved", "19", "");
  row("t-a5", "a5", "tickets_resolved", "21", "");
  row("t-a6", "a6", "tickets_resolved", "20", "");
  row("s-a1", "a1", "csat", "95", "100");
  row("s-a2", "a2", "csat", "92", "100");
  row("s-a3", "a3", "csat", "85", "100");
  row("s-a4", "a4", "csat", "91", "100");
  row("s-a5", "a5", "csat", "90", "100");
  row("s-a6", "a6", "csat", "96", "100");
  row("c-a2", "a2", "complaints", "1", "");
  row("c-a5", "a5", "complaints", "2", "");
  row("c-a6", "a6", "complaints", "2", "");
  row("c-a6b", "a6", "complaints", "1", "");
  json imported = MustJson(okrd, {"actuals", "import", okrd.WriteFile("month.csv", csv.str())});
  ASSERT_EQ(imported["accepted"], 16) << imported.dump();

  // Both plugins configured once, at the company: every agent below inherits the config.
  MustJson(okrd, {"plugin", "configure", "tiered_bonus", "--unit", "acme", "--config-file",
                  okrd.WriteFile("bonus.json", kBonusConfig)});
  MustJson(okrd, {"plugin", "configure", "recognition", "--unit", "acme", "--config",
                  kRecognitionConfig});

  // Kudos: two for a4, one from the admin and one from colleague a1; only a1's is a peer's,
  // which counts toward the award; a1 cannot thank itself.
  const std::string a1_token = TokenFor(okrd, "agent", "a1");
  MustJson(okrd, {"kudos", "give", "--to", "a4", "--reason", "covered my queue"});
  MustJsonAs(okrd, a1_token, {"kudos", "give", "--to", "a4", "--reason", "great handover"});
  CommandResult self = okrd.CtlAs(a1_token, {"kudos", "give", "--to", "a1", "--reason", "me"});
  EXPECT_NE(self.exit_code, 0);
  EXPECT_NE(self.err.find("PERMISSION_DENIED"), std::string::npos) << self.err;

  // March is still running: it does not close yet.
  CommandResult early = okrd.Ctl({"period", "close", m});
  EXPECT_EQ(early.exit_code, 9);  // FAILED_PRECONDITION
  EXPECT_NE(early.err.find("2026-03 has not ended yet (today is 2026-03-20 in UTC)"),
            std::string::npos)
      << early.err;
  okrd.set_extra_flags(PluginFlagsAt("2026-04-01T00:00:00Z"));
  okrd.Restart();

  json closed = MustJson(okrd, {"period", "close", m});
  // 6 payouts (every agent gets a row); awards: 2 agents of the month + 2 milestones + 1 kudos.
  EXPECT_EQ(closed["payouts"], 6) << closed.dump();
  EXPECT_EQ(closed["awards"], 5) << closed.dump();
  EXPECT_EQ(closed["problems"], json::array()) << closed.dump();
  EXPECT_EQ(closed["close_version"], 1);

  // Payouts (tiers 100% -> 200, 110% -> 350, 125% -> 500; gates csat >= 90, complaints <= 2;
  // cap 450). Attainment = actual / 20 x 100.
  json payouts = MustJson(okrd, {"payouts", "--period", m});
  ASSERT_EQ(payouts["payouts"].size(), 6u) << payouts.dump();
  struct Expected {
    std::string unit;
    double amount;
    std::string explanation;
  };
  const std::vector<Expected> expected = {
      // 25/20 = 125% -> tier 500; csat 95 >= 90; complaints 0 <= 2; 500 > cap 450 -> 450.
      {"a1", 450,
       "attainment 125% of tickets_resolved; tier >=125%: 500 EUR; gate csat 95 >= 90 passed; "
       "gate complaints 0 <= 2 passed; cap 450 applied"},
      // 22/20 = 110% -> 350; both gates pass.
      {"a2", 350,
       "attainment 110% of tickets_resolved; tier >=110%: 350 EUR; gate csat 92 >= 90 passed; "
       "gate complaints 1 <= 2 passed"},
      // 24/20 = 120% -> 350, but csat 85 < 90: nothing.
      {"a3", 0,
       "attainment 120% of tickets_resolved; tier >=110%: 350 EUR; gate csat >= 90 failed: 85; "
       "gate complaints 0 <= 2 passed; no payout"},
      // 19/20 = 95% < 100%: below the lowest tier.
      {"a4", 0, "attainment 95% of tickets_resolved; below the lowest tier (100%); no payout"},
      // 21/20 = 105% -> 200; csat exactly 90 passes >= 90; complaints exactly 2 passes <= 2.
      {"a5", 200,
       "attainment 105% of tickets_resolved; tier >=100%: 200 EUR; gate csat 90 >= 90 passed; "
       "gate complaints 2 <= 2 passed"},
      // 20/20 = 100% -> 200; complaints 2 + 1 = 3 > 2: nothing.
      {"a6", 0,
       "attainment 100% of tickets_resolved; tier >=100%: 200 EUR; gate csat 96 >= 90 passed; "
       "gate complaints <= 2 failed: 3; no payout"},
  };
  for (const Expected& e : expected) {
    json p = PayoutOf(payouts, e.unit);
    EXPECT_DOUBLE_EQ(p.value("amount", -1.0), e.amount) << e.unit;
    EXPECT_EQ(p.value("explanation", ""), e.explanation) << e.unit;
    EXPECT_EQ(p.value("currency", ""), "EUR");
    EXPECT_EQ(p.value("rule", ""), "monthly_tiered_bonus");
    EXPECT_EQ(p.value("plugin", ""), "tiered_bonus");
    EXPECT_EQ(p.value("month", ""), m);
  }
  // A lead sees its own group only; an agent its own row.
  json g1_payouts = MustJsonAs(okrd, TokenFor(okrd, "lead", "g1"), {"payouts", "--period", m});
  EXPECT_EQ(g1_payouts["payouts"].size(), 3u) << g1_payouts.dump();
  json own = MustJsonAs(okrd, a1_token, {"payouts", "--period", m});
  ASSERT_EQ(own["payouts"].size(), 1u) << own.dump();
  EXPECT_EQ(own["payouts"][0]["unit"], "a1");

  // Awards (recognition README):
  //   agent of the month, volume >= 20: g1 {a1 125%, a3 120%, a2 110%} -> a1, runner-up a3;
  //   g2: a4 has volume 19 < 20 (out), a5 105%, a6 100% -> a5, runner-up a6.
  //   milestone 24: a1 0 -> 25 and a3 0 -> 24 cross it (a2 22 does not).
  //   kudos >= 1: a4 received 1 from a peer (the admin's does not count).
  const std::set<std::string> expected_awards = {
      "a1|agent_of_the_month|125|best tickets_resolved attainment in group g1: 125% (volume 25, "
      "minimum 20); runner-up a3: 120%",
      "a5|agent_of_the_month|105|best tickets_resolved attainment in group g2: 105% (volume 21, "
      "minimum 20); runner-up a6: 100%",
      "a1|milestone|24|crossed 24 tickets_resolved this year: 25 year to date (0 before " + m + ")",
      "a3|milestone|24|crossed 24 tickets_resolved this year: 24 year to date (0 before " + m + ")",
      "a4|kudos|1|1 kudos received in " + m + " (minimum 1)",
  };
  auto award_set = [&](const json& awards) {
    std::set<std::string> out;
    for (const auto& a : awards.at("awards")) {
      char score[32];
      std::snprintf(score, sizeof score, "%g", a.at("score").get<double>());
      out.insert(a.at("unit").get<std::string>() + "|" + a.at("award").get<std::string>() + "|" +
                 score + "|" + a.at("explanation").get<std::string>());
      EXPECT_EQ(a.value("plugin", ""), "recognition");
    }
    return out;
  };
  json awards = MustJson(okrd, {"awards", "--period", m});
  EXPECT_EQ(award_set(awards), expected_awards) << awards.dump(2);

  // Closing again gives the same result (a new close version, same rows).
  json again = MustJson(okrd, {"period", "close", m});
  EXPECT_EQ(again["close_version"], 2);
  EXPECT_EQ(MustJson(okrd, {"payouts", "--period", m}), payouts);
  EXPECT_EQ(MustJson(okrd, {"awards", "--period", m}), awards);

  // A correction: a2's tickets event now says 26. 26/20 = 130% -> tier 500 -> cap 450.
  // g1's agent of the month is now a2 (130%), runner-up a1 (125%); a2 crosses 24 too.
  json corrected = MustJson(okrd, {"actuals", "import",
                                   okrd.WriteFile("fix.csv",
                                                  "event_id,unit_id,metric,date,value,denominator\n"
                                                  "t-a2,a2,tickets_resolved," +
                                                      day1 + ",26,\n")});
  EXPECT_EQ(corrected["corrected"], 1) << corrected.dump();
  json reclosed = MustJson(okrd, {"period", "close", m});
  EXPECT_EQ(reclosed["close_version"], 3);
  EXPECT_EQ(reclosed["awards"], 6);
  json payouts3 = MustJson(okrd, {"payouts", "--period", m});
  json a2 = PayoutOf(payouts3, "a2");
  EXPECT_DOUBLE_EQ(a2.value("amount", -1.0), 450);
  EXPECT_EQ(a2.value("explanation", ""),
            "attainment 130% of tickets_resolved; tier >=125%: 500 EUR; gate csat 92 >= 90 "
            "passed; gate complaints 1 <= 2 passed; cap 450 applied");
  EXPECT_DOUBLE_EQ(PayoutOf(payouts3, "a1").value("amount", -1.0), 450);  // unchanged
  std::set<std::string> awards3 = expected_awards;
  awards3.erase(
      "a1|agent_of_the_month|125|best tickets_resolved attainment in group g1: 125% (volume 25, "
      "minimum 20); runner-up a3: 120%");
  awards3.insert(
      "a2|agent_of_the_month|130|best tickets_resolved attainment in group g1: 130% (volume 26, "
      "minimum 20); runner-up a1: 125%");
  awards3.insert(
      "a2|milestone|24|crossed 24 tickets_resolved this year: 26 year to date (0 "
      "before " +
      m + ")");
  EXPECT_EQ(award_set(MustJson(okrd, {"awards", "--period", m})), awards3);

  // The history keeps every close; the last one has the earlier result as "before".
  json history = MustJson(okrd, {"history"});
  std::vector<json> closes;
  for (const auto& e : history["entries"]) {
    if (e["action"] == "period.close") closes.push_back(e);
  }
  ASSERT_EQ(closes.size(), 3u) << history.dump();
  EXPECT_TRUE(closes[0]["before"].is_null()) << closes[0].dump();
  // Closing again: the same result (the rows compared in key order: "before" is read back from
  // the store, "after" is in the plugins' output order).
  auto sorted = [](json summary) {
    for (const char* key : {"payouts", "awards"}) {
      std::vector<std::string> rows;
      for (const auto& r : summary.at(key)) rows.push_back(r.dump());
      std::sort(rows.begin(), rows.end());
      summary[key] = rows;
    }
    return summary;
  };
  EXPECT_EQ(sorted(closes[1]["before"]), sorted(closes[0]["after"]));
  EXPECT_EQ(sorted(closes[1]["after"]), sorted(closes[0]["after"]));
  const json& before = closes[2]["before"];
  const json& after = closes[2]["after"];
  auto amount_in = [](const json& summary, const std::string& unit) {
    for (const auto& p : summary.at("payouts")) {
      if (p.at("unit") == unit) return p.at("amount").get<double>();
    }
    return -1.0;
  };
  EXPECT_DOUBLE_EQ(amount_in(before, "a2"), 350);
  EXPECT_DOUBLE_EQ(amount_in(after, "a2"), 450);
  EXPECT_EQ(closes[2]["reason"], m);
  EXPECT_EQ(closes[2]["plan_version"], 3);

  // explain shows the month's payout and awards of the agent.
  json explained =
      MustJson(okrd, {"explain", "--unit", "a2", "--metric", "tickets_resolved", "--period", m});
  EXPECT_EQ(explained["target"], 20);
  EXPECT_EQ(explained["actual"], 26);
  EXPECT_EQ(explained["payouts"].size(), 1u) << explained.dump();
  EXPECT_EQ(explained["awards"].size(), 2u) << explained.dump();
}

// ---------------------------------------------------------------------------------------------
// Red-line: opens once, escalates, ack stops it, resolve; alerts watch.
// ---------------------------------------------------------------------------------------------

json AlertsOf(const OkrdProcess& okrd, const std::string& unit) {
  json all = MustJson(okrd, {"alerts", "--unit", unit});
  return all.value("alerts", json::array());
}

TEST(PluginsIT, RedlineOpensOnceEscalatesAndStopsWhenAcknowledged) {
  std::vector<std::string> flags = PluginFlags();
  flags.insert(flags.end(), {"--alert-ack-timeout-seconds", "1", "--alert-check-seconds", "1"});
  OkrdProcess okrd(flags);
  ImportOrgAndMetrics(okrd);
  // Without a config the plugin does nothing: one rule for the whole company.
  MustJson(okrd, {"plugin", "configure", "threshold_redline", "--unit", "acme", "--config",
                  R"({"rules": [{"name": "complaints_14d", "type": "window_sum",)"
                  R"( "metric": "complaints", "days": 14, "op": ">=", "threshold": 3,)"
                  R"( "severity": "critical"}]})"});

  // Watch every alert from the start; /usr/bin/timeout caps it should the test die.
  ChildProcess watch({"/usr/bin/timeout", "60", OkrctlPath(), "--server", okrd.address(), "--token",
                      okrd.admin_token(), "-o", "json", "alerts", "watch"});
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the stream is open

  // Three complaints for a5 on 2024-03-04, 03-05 and 03-06.
  // Fortnights are counted from Monday 1970-01-05: 2024-03-04 is day 19782 after it and
  // 19782 = 14 x 1413, so the fortnight 2024-03-04 .. 2024-03-17 holds all three days.
  // As of 03-06 the 14-day sum is 1 + 1 + 1 = 3 >= 3: one alert, key complaints_14d|a5|2024-03-04.
  const std::string three =
      "event_id,unit_id,metric,date,value,denominator\n"
      "x1,a5,complaints,2024-03-04,1,\n"
      "x2,a5,complaints,2024-03-05,1,\n"
      "x3,a5,complaints,2024-03-06,1,\n";
  MustJson(okrd, {"actuals", "import", okrd.WriteFile("three.csv", three)});
  ASSERT_TRUE(WaitFor(10, [&] { return AlertsOf(okrd, "a5").size() == 1; }))
      << AlertsOf(okrd, "a5").dump();
  json alert = AlertsOf(okrd, "a5")[0];
  const std::string id = alert["id"];
  EXPECT_EQ(alert["rule"], "complaints_14d");
  EXPECT_EQ(alert["severity"], "critical");
  EXPECT_EQ(alert["figures"], "3 complaints in 14 days to 2024-03-06 (alert at >= 3)");
  EXPECT_EQ(alert["plugin"], "threshold_redline");

  // More of the same breach: a fourth complaint in the same fortnight (sum 4, same key), and the
  // same file again (duplicates): still exactly one alert for a5.
  MustJson(okrd, {"actuals", "import",
                  okrd.WriteFile("fourth.csv",
                                 "event_id,unit_id,metric,date,value,denominator\n"
                                 "x4,a5,complaints,2024-03-07,1,\n")});
  json dup = MustJson(okrd, {"actuals", "import", okrd.WriteFile("three.csv", three)});
  EXPECT_EQ(dup["duplicates"], 3);

  // Escalation: not acknowledged within 1 s, it moves one level a check: g2 -> t1 -> acme, and
  // stays at the company (nothing above it).
  ASSERT_TRUE(WaitFor(15, [&] {
    json a = AlertsOf(okrd, "a5");
    return a.size() == 1 && a[0]["escalation_level"] == 2;
  })) << AlertsOf(okrd, "a5").dump();
  EXPECT_EQ(AlertsOf(okrd, "a5").size(), 1u);
  EXPECT_EQ(AlertsOf(okrd, "a5")[0]["escalated_to"], "acme");

  // An agent may not acknowledge.
  CommandResult agent_ack = okrd.CtlAs(TokenFor(okrd, "agent", "a5"), {"alerts", "ack", id});
  EXPECT_NE(agent_ack.exit_code, 0);
  EXPECT_NE(agent_ack.err.find("PERMISSION_DENIED"), std::string::npos) << agent_ack.err;

  // A second breach, for a4; acknowledged as soon as it shows: it escalates no further.
  MustJson(okrd, {"actuals", "import",
                  okrd.WriteFile("a4.csv",
                                 "event_id,unit_id,metric,date,value,denominator\n"
                                 "y1,a4,complaints,2024-03-04,3,\n")});
  ASSERT_TRUE(WaitFor(10, [&] { return AlertsOf(okrd, "a4").size() == 1; }));
  const std::string id4 = AlertsOf(okrd, "a4")[0]["id"];
  EXPECT_NE(id4, id);
  // A lead of g2 may acknowledge an alert of its agent.
  json acked = MustJsonAs(okrd, TokenFor(okrd, "lead", "g2"), {"alerts", "ack", id4});
  EXPECT_EQ(acked["status"], "acked");
  const int level_at_ack = acked["escalation_level"];
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));  // > 2 ack timeouts
  json a4 = AlertsOf(okrd, "a4");
  ASSERT_EQ(a4.size(), 1u);
  EXPECT_EQ(a4[0]["status"], "acked");
  EXPECT_EQ(a4[0]["escalation_level"], level_at_ack) << "escalated after the ack";
  EXPECT_EQ(a4[0]["figures"], "3 complaints in 14 days to 2024-03-04 (alert at >= 3)");

  // Acknowledging twice is refused; resolve; resolving again is refused.
  CommandResult twice = okrd.Ctl({"alerts", "ack", id4});
  EXPECT_NE(twice.exit_code, 0);
  EXPECT_NE(twice.err.find("FAILED_PRECONDITION"), std::string::npos) << twice.err;
  json resolved = MustJson(okrd, {"alerts", "resolve", id4});
  EXPECT_EQ(resolved["status"], "resolved");
  EXPECT_EQ(MustJson(okrd, {"alerts", "--status", "resolved"})["alerts"].size(), 1u);
  EXPECT_EQ(MustJson(okrd, {"alerts", "--status", "open"})["alerts"].size(), 1u);  // a5's
  CommandResult again = okrd.Ctl({"alerts", "resolve", id4});
  EXPECT_NE(again.exit_code, 0);
  EXPECT_NE(again.err.find("FAILED_PRECONDITION"), std::string::npos) << again.err;
  CommandResult unknown = okrd.Ctl({"alerts", "ack", "A999"});
  EXPECT_NE(unknown.err.find("NOT_FOUND"), std::string::npos) << unknown.err;

  // The watch saw a5's alert open at g2 and each escalation, then a4's ack and resolve.
  ASSERT_TRUE(WaitFor(5, [&] {
    for (const json& l : watch.JsonLines()) {
      if (l["id"] == id4 && l["status"] == "resolved") return true;
    }
    return false;
  }));
  watch.Stop();
  std::vector<std::string> seen_a5, seen_a4;
  for (const json& l : watch.JsonLines()) {
    const std::string step = l["status"].get<std::string>() + "@" +
                             l["escalated_to"].get<std::string>() + "/" +
                             std::to_string(l["escalation_level"].get<int>());
    if (l["id"] == id) seen_a5.push_back(step);
    if (l["id"] == id4) seen_a4.push_back(l["status"]);
  }
  EXPECT_EQ(seen_a5, (std::vector<std::string>{"open@g2/0", "open@t1/1", "open@acme/2"}));
  ASSERT_GE(seen_a4.size(), 3u);
  EXPECT_EQ(seen_a4.front(), "open");
  EXPECT_EQ(seen_a4[seen_a4.size() - 2], "acked");
  EXPECT_EQ(seen_a4.back(), "resolved");
}

// ---------------------------------------------------------------------------------------------
// Host refusals over the API, unload/load, an out-of-tree plugin.
// ---------------------------------------------------------------------------------------------

// A tiny incentive plugin that pays a1 a fixed 7.5 EUR. Its output is an
// okr.plugin.v1.IncentiveOutput encoded by hand (no protobuf in the plugin):
//   Payout { 1: unit_id "a1", 2: amount 7.5 (double), 3: currency "EUR", 4: rule "fixed",
//            5: explanation "hello from out of tree" }, wrapped as IncentiveOutput field 1.
constexpr char kHelloPlugin[] = R"cc(
#include <cstring>
#include <string>
#include "okr_plugin_cpp.h"

  namespace {
  void Field(std::string& out, int number, const std::string& bytes) {
    out.push_back(static_cast<char>((number << 3) | 2));
    out.push_back(static_cast<char>(bytes.size()));
    out += bytes;
  }
  }  // namespace

  class Hello {
   public:
    explicit Hello(std::string_view) {}
    std::string Evaluate(std::string_view) const {
      std::string payout;
      Field(payout, 1, "a1");
      payout.push_back(static_cast<char>((2 << 3) | 1));  // double, little endian
      double amount = 7.5;
      char raw[8];
      std::memcpy(raw, &amount, 8);
      payout.append(raw, 8);
      Field(payout, 3, "EUR");
      Field(payout, 4, "fixed");
      Field(payout, 5, "hello from out of tree");
      std::string output;
      Field(output, 1, payout);
      return output;
    }
  };

  OKR_PLUGIN_DEFINE(Hello, OKR_PLUGIN_KIND_INCENTIVE, "hello", "0.1.0")
)cc";

// From the build (not __FILE__, which a compiler launcher may make relative to the build).
std::string SdkDir() { return PluginSdkDir(); }

TEST(PluginsIT, HostRefusesBadLibrariesAndKeepsServing) {
  // A plugin folder of our own, to put bad libraries in (only its files can be loaded).
  TempFolder folder;
  for (const char* file : {"recognition.so", "threshold_redline.so", "tiered_bonus.so"}) {
    folder.CopyPlugin(file);
  }
  OkrdProcess okrd({"--plugin-dir", folder.path()});
  ImportOrgAndMetrics(okrd);
  const std::vector<std::string> shipped = {"recognition", "threshold_redline", "tiered_bonus"};
  ASSERT_EQ(PluginNames(okrd), shipped);

  auto refused = [&](const std::string& path, const std::string& status,
                     const std::string& message) {
    CommandResult r = okrd.Ctl({"plugin", "load", path});
    EXPECT_NE(r.exit_code, 0) << path;
    EXPECT_NE(r.err.find(status), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(message), std::string::npos) << r.err;
    EXPECT_EQ(PluginNames(okrd), shipped) << "after " << path;  // still serving, nothing changed
  };
  {
    std::ofstream notes(folder / "notes.so");
    notes << "just some text, no ELF here\n";
  }
  refused("notes", "INVALID_ARGUMENT", "not a loadable library");
  const std::string libz = "/usr/lib/x86_64-linux-gnu/libz.so.1";
  if (std::filesystem::exists(libz)) {
    refused(libz, "PERMISSION_DENIED", "outside okrd's plugin folder");
    std::filesystem::copy_file(libz, folder / "libz.so");
    refused("libz", "INVALID_ARGUMENT", "no symbol okr_plugin_entry");
  }
  refused("tiered_bonus", "ALREADY_EXISTS", "already loaded");
  refused(folder / "tiered_bonus.so", "ALREADY_EXISTS", "already loaded");
  refused("no-such", "NOT_FOUND", "no plugin file");

  // Only admins and directors load plugins.
  CommandResult lead = okrd.CtlAs(TokenFor(okrd, "lead", "t1"), {"plugin", "load", "x"});
  EXPECT_NE(lead.err.find("PERMISSION_DENIED"), std::string::npos) << lead.err;

  // Unload, unload again (NOT_FOUND), load again.
  MustJson(okrd, {"plugin", "unload", "tiered_bonus"});
  EXPECT_EQ(PluginNames(okrd), (std::vector<std::string>{"recognition", "threshold_redline"}));
  CommandResult gone = okrd.Ctl({"plugin", "unload", "tiered_bonus"});
  EXPECT_NE(gone.err.find("NOT_FOUND"), std::string::npos) << gone.err;
  json loaded = MustJson(okrd, {"plugin", "load", "tiered_bonus"});
  EXPECT_EQ(loaded["name"], "tiered_bonus");
  EXPECT_EQ(loaded["kind"], "incentive");
  EXPECT_EQ(loaded["enabled"], true);
  EXPECT_EQ(PluginNames(okrd), shipped);
  json reloaded = MustJson(okrd, {"plugin", "reload", "recognition"});
  EXPECT_EQ(reloaded["enabled"], true);

  // An out-of-tree plugin, built here against the SDK header only.
  const std::string source = okrd.WriteFile("hello.cc", kHelloPlugin);
  const std::string library = folder / "hello.so";
  CommandResult built = RunCommand({"/bin/sh", "-c",
                                    "c++ -std=c++17 -O0 -shared -fPIC -fvisibility=hidden -I" +
                                        SdkDir() + " " + source + " -o " + library});
  ASSERT_EQ(built.exit_code, 0) << built.err;
  json hello = MustJson(okrd, {"plugin", "load", "hello"});
  EXPECT_EQ(hello["name"], "hello");
  EXPECT_EQ(hello["version"], "0.1.0");
  EXPECT_EQ(hello["kind"], "incentive");
  EXPECT_EQ(hello["abi_version"], 1);
  EXPECT_EQ(PluginNames(okrd), (std::vector<std::string>{"hello", "recognition",
                                                         "threshold_redline", "tiered_bonus"}));

  // It declares no config schema: plugin list says so, and any JSON object is its config.
  for (const auto& p : MustJson(okrd, {"plugin", "list"})["plugins"]) {
    EXPECT_EQ(p["config_schema"].is_null(), p["name"] == "hello") << p.dump();
    EXPECT_EQ(p["configured"], false) << p.dump();
  }
  CommandResult not_object =
      okrd.Ctl({"plugin", "configure", "hello", "--unit", "acme", "--config", "[1]"});
  EXPECT_EQ(not_object.err,
            "okrctl: INVALID_ARGUMENT: config of plugin hello for unit acme does not fit: $ must "
            "be a JSON object\n");
  MustJson(okrd, {"plugin", "configure", "hello", "--unit", "acme", "--config", R"({"any": 1})"});

  // Closing a month runs it: its one payout is stored. tiered_bonus and recognition have no
  // config here, so they do nothing (and report nothing); the close succeeds.
  json closed = MustJson(okrd, {"period", "close", "2024-03"});
  EXPECT_EQ(closed["payouts"], 1) << closed.dump();
  EXPECT_EQ(closed["awards"], 0) << closed.dump();
  EXPECT_EQ(closed["problems"], json::array()) << closed.dump();
  json payouts = MustJson(okrd, {"payouts", "--period", "2024-03"});
  ASSERT_EQ(payouts["payouts"].size(), 1u) << payouts.dump();
  const json& p = payouts["payouts"][0];
  EXPECT_EQ(p["unit"], "a1");
  EXPECT_DOUBLE_EQ(p["amount"].get<double>(), 7.5);
  EXPECT_EQ(p["currency"], "EUR");
  EXPECT_EQ(p["rule"], "fixed");
  EXPECT_EQ(p["plugin"], "hello");
  EXPECT_EQ(p["explanation"], "hello from out of tree");

  // Unloaded, it no longer takes part; the server serves on.
  MustJson(okrd, {"plugin", "unload", "hello"});
  EXPECT_EQ(PluginNames(okrd), shipped);
  EXPECT_EQ(MustJson(okrd, {"period", "close", "2024-03"})["payouts"], 0);
  EXPECT_EQ(okrd.Ctl({"metric", "list"}).exit_code, 0);
}

}  // namespace
}  // namespace okr::testing

namespace okr::testing {
namespace {

// An incentive plugin that answers with one good payout among bad ones, each encoded by hand as
// an okr.plugin.v1.Payout (1: unit_id, 2: amount, 3: currency, 4: rule, 5: explanation):
//   a1   7.5 EUR "fixed"                       the one to keep
//   zz9  1.0 EUR "fixed"                       a unit that is not among the agents it was given
//   a1   NaN EUR "fixed"                       an amount that is not a number
//   a1   2.0 EUR "fixed", 3000-byte text       an explanation over the 2000-byte cap
//   a1  -5.0 EUR "fixed"                       a negative pay
constexpr char kHostilePlugin[] = R"cc(
#include <cmath>
#include <cstring>
#include <string>
#include "okr_plugin_cpp.h"

  namespace {
  void Varint(std::string& out, size_t n) {
    while (n >= 0x80) {
      out.push_back(static_cast<char>((n & 0x7f) | 0x80));
      n >>= 7;
    }
    out.push_back(static_cast<char>(n));
  }
  void Field(std::string& out, int number, const std::string& bytes) {
    out.push_back(static_cast<char>((number << 3) | 2));
    Varint(out, bytes.size());
    out += bytes;
  }
  std::string Payout(const std::string& unit, double amount, const std::string& explanation) {
    std::string p;
    Field(p, 1, unit);
    p.push_back(static_cast<char>((2 << 3) | 1));
    char raw[8];
    std::memcpy(raw, &amount, 8);
    p.append(raw, 8);
    Field(p, 3, "EUR");
    Field(p, 4, "fixed");
    Field(p, 5, explanation);
    return p;
  }
  }  // namespace

  class Hostile {
   public:
    explicit Hostile(std::string_view) {}
    std::string Evaluate(std::string_view) const {
      std::string output;
      Field(output, 1, Payout("a1", 7.5, "kept"));
      Field(output, 1, Payout("zz9", 1.0, "not given"));
      Field(output, 1, Payout("a1", std::nan(""), "not a number"));
      Field(output, 1, Payout("a1", 2.0, std::string(3000, 'x')));
      Field(output, 1, Payout("a1", -5.0, "claw back"));
      return output;
    }
  };

  OKR_PLUGIN_DEFINE(Hostile, OKR_PLUGIN_KIND_INCENTIVE, "hostile", "0.1.0")
)cc";

TEST(PluginsIT, MonthCloseStoresOnlyThePayoutsThatPassTheRules) {
  TempFolder folder;
  OkrdProcess okrd({"--plugin-dir", folder.path()});
  ImportOrgAndMetrics(okrd);
  const std::string source = okrd.WriteFile("hostile.cc", kHostilePlugin);
  CommandResult built = RunCommand({"/bin/sh", "-c",
                                    "c++ -std=c++17 -O0 -shared -fPIC -fvisibility=hidden -I" +
                                        SdkDir() + " " + source + " -o " + folder / "hostile.so"});
  ASSERT_EQ(built.exit_code, 0) << built.err;
  MustJson(okrd, {"plugin", "load", "hostile"});
  MustJson(okrd, {"plugin", "configure", "hostile", "--unit", "acme", "--config", "{}"});

  json closed = MustJson(okrd, {"period", "close", "2024-03"});
  EXPECT_EQ(closed["payouts"], 1) << closed.dump();
  EXPECT_EQ(closed["problems"],
            json({"hostile: payout for a unit the plugin was not given (unknown id)",
                  "hostile: payout for \"a1\": amount is not finite",
                  "hostile: payout for \"a1\": explanation: longer than 2000 bytes (3000)",
                  "hostile: payout for \"a1\": amount is negative"}))
      << closed.dump();
  json payouts = MustJson(okrd, {"payouts", "--period", "2024-03"});
  ASSERT_EQ(payouts["payouts"].size(), 1u) << payouts.dump();
  EXPECT_EQ(payouts["payouts"][0]["unit"], "a1");
  EXPECT_DOUBLE_EQ(payouts["payouts"][0]["amount"].get<double>(), 7.5);
  EXPECT_EQ(payouts["payouts"][0]["explanation"], "kept");
}

// A red-line plugin that reports one good breach among bad ones, each an okr.plugin.v1.AlertOut
// (1: unit_id, 2: rule, 3: severity, 4: figures, 5: breach_key) encoded by hand:
//   a1   rule "loud", critical      the one to open
//   zz9  rule "loud", critical      a unit that is not among the agents it was given
//   a2   rule "loud", severity "high"  not info, warning or critical
//   a3   rule "",     warning       no rule
constexpr char kHostileRedline[] = R"cc(
#include <string>
#include "okr_plugin_cpp.h"

  namespace {
  void Field(std::string& out, int number, const std::string& bytes) {
    out.push_back(static_cast<char>((number << 3) | 2));
    out.push_back(static_cast<char>(bytes.size()));
    out += bytes;
  }
  std::string Alert(const std::string& unit, const std::string& rule, const std::string& severity) {
    std::string a;
    Field(a, 1, unit);
    Field(a, 2, rule);
    Field(a, 3, severity);
    Field(a, 4, "made up");
    Field(a, 5, unit + "|" + rule);
    return a;
  }
  }  // namespace

  class HostileRedline {
   public:
    explicit HostileRedline(std::string_view) {}
    std::string Evaluate(std::string_view) const {
      std::string output;
      Field(output, 1, Alert("zz9", "loud", "critical"));
      Field(output, 1, Alert("a2", "loud", "high"));
      Field(output, 1, Alert("a3", "", "warning"));
      Field(output, 1, Alert("a1", "loud", "critical"));
      return output;
    }
  };

  OKR_PLUGIN_DEFINE(HostileRedline, OKR_PLUGIN_KIND_REDLINE, "hostile_redline", "0.1.0")
)cc";

TEST(PluginsIT, RedlineOpensOnlyTheAlertsThatPassTheRules) {
  TempFolder folder;
  OkrdProcess okrd({"--plugin-dir", folder.path()});
  ImportOrgAndMetrics(okrd);
  const std::string source = okrd.WriteFile("hostile_redline.cc", kHostileRedline);
  CommandResult built =
      RunCommand({"/bin/sh", "-c",
                  "c++ -std=c++17 -O0 -shared -fPIC -fvisibility=hidden -I" + SdkDir() + " " +
                      source + " -o " + folder / "hostile_redline.so"});
  ASSERT_EQ(built.exit_code, 0) << built.err;
  MustJson(okrd, {"plugin", "load", "hostile_redline"});
  MustJson(okrd, {"plugin", "configure", "hostile_redline", "--unit", "acme", "--config", "{}"});

  // Any actual makes okrd evaluate the red-lines for its agent and day.
  MustJson(okrd, {"actuals", "import",
                  okrd.WriteFile("one.csv",
                                 "event_id,unit_id,metric,date,value,denominator\n"
                                 "y1,a1,complaints,2024-03-04,1,\n")});
  // The four entries are stored (or refused) in one batch: once a1's alert is there, the
  // others have been decided too.
  ASSERT_TRUE(WaitFor(10, [&] { return AlertsOf(okrd, "a1").size() == 1; }))
      << AlertsOf(okrd, "a1").dump();
  // Every alert, in the org or not (an admin lists them all).
  const json all = MustJson(okrd, {"alerts"}).value("alerts", json::array());
  ASSERT_EQ(all.size(), 1u) << all.dump();
  EXPECT_EQ(all[0]["unit"], "a1");
  EXPECT_EQ(all[0]["rule"], "loud");
  EXPECT_EQ(all[0]["severity"], "critical");
}

}  // namespace
}  // namespace okr::testing
