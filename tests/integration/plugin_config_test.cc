// Plugin configs through okrctl (issue 19, defect 7; docs/plugin-configs.md): a config that
// does not fit its plugin's schema is refused with the JSON path of the bad key and nothing is
// stored; configs of nested units merge (nearest unit last, rules by name), and `plugin config`
// shows the effective config and where each key came from; without a config a plugin does
// nothing. okrd's clock is 2026-04-01, so March 2026 has ended and may be closed.
//
// centre -> msk -> msk_g1 {m1, m2}
//        -> sha -> sha_g1 {s1}
// Every agent 1.0 FTE. Expected values are worked out by hand in the comments.
#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "tests/integration/build_paths.h"
#include "tests/integration/harness.h"
#include "tests/integration/wait_for.h"

namespace okr::testing {
namespace {

using nlohmann::json;

constexpr char kOrg[] =
    "unit_id,parent_id,kind,name,fte,start_date,end_date\n"
    "centre,,company,Support centre,,,\n"
    "msk,centre,team,Moscow,,,\n"
    "msk_g1,msk,group,Moscow one,,,\n"
    "m1,msk_g1,agent,Masha,1.0,,\n"
    "m2,msk_g1,agent,Misha,1.0,,\n"
    "sha,centre,team,Shanghai,,,\n"
    "sha_g1,sha,group,Shanghai one,,,\n"
    "s1,sha_g1,agent,Shu,1.0,,\n";

// One tier: 100% pays 500 EUR; the centre caps it at 450.
constexpr char kCentreBonus[] = R"({"primary_metric": "tickets", "currency": "EUR", "cap": 450,)"
                                R"( "tiers": [{"min_attainment": 100, "amount": 500}]})";

// The centre's two red-lines.
constexpr char kCentreRules[] =
    R"({"rules": [{"name": "complaints_14d", "type": "window_sum", "metric": "complaints",)"
    R"( "days": 14, "op": ">=", "threshold": 3, "severity": "critical"},)"
    R"( {"name": "overtime_month", "type": "month_sum", "metric": "overtime_hours",)"
    R"( "op": ">", "threshold": 20, "severity": "warning"}]})";

class PluginConfigIT : public ::testing::Test {
 protected:
  PluginConfigIT()
      : okrd_({"--plugin-dir", PluginDir(), "--test-clock-start", "2026-04-01T00:00:00Z"}) {}

  void SetUp() override {
    ASSERT_EQ(Json({"org", "import", okrd_.WriteFile("org.csv", kOrg)})["created"], 8);
    Json({"metric", "define", "tickets", "--kind", "count", "--direction", "up"});
    Json({"metric", "define", "complaints", "--kind", "count", "--direction", "down"});
    Json({"metric", "define", "overtime_hours", "--kind", "count", "--direction", "down"});
  }

  json Json(std::vector<std::string> args, const std::string& token = "") {
    args.insert(args.end(), {"-o", "json"});
    CommandResult r = token.empty() ? okrd_.Ctl(args) : okrd_.CtlAs(token, args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.exit_code == 0 ? r.Json() : json::object();
  }

  // `plugin configure NAME --unit UNIT --config CONFIG`, refused: its stderr.
  std::string Refused(const std::string& plugin, const std::string& unit,
                      const std::string& config) {
    CommandResult r =
        okrd_.Ctl({"plugin", "configure", plugin, "--unit", unit, "--config", config});
    EXPECT_EQ(r.exit_code, 3) << r.err;  // INVALID_ARGUMENT
    return r.err;
  }

  void Configure(const std::string& plugin, const std::string& unit, const std::string& config) {
    Json({"plugin", "configure", plugin, "--unit", unit, "--config", config});
  }

  json Effective(const std::string& unit, const std::string& plugin) {
    return Json({"plugin", "config", "--unit", unit, "--plugin", plugin});
  }

  json PluginListed(const std::string& name) {
    const json list = Json({"plugin", "list"});
    for (const json& p : list["plugins"]) {
      if (p["name"] == name) return p;
    }
    ADD_FAILURE() << "no plugin " << name;
    return json::object();
  }

  OkrdProcess okrd_;
};

TEST_F(PluginConfigIT, TheIssuesThreeMistakesAreRefusedWithTheirPathsAndNothingIsStored) {
  const std::string tiers = R"("tiers": [{"min_attainment": 100, "amount": 500}])";
  const std::string prefix =
      "okrctl: INVALID_ARGUMENT: config of plugin tiered_bonus for unit centre does not fit: ";
  EXPECT_EQ(Refused("tiered_bonus", "centre", R"({"primry_metric": "tickets", )" + tiers + "}"),
            prefix +
                "unknown key \"primry_metric\" at $.primry_metric: did you mean "
                "\"primary_metric\"?\n");
  EXPECT_EQ(Refused("tiered_bonus", "centre", R"({"primary_metric": 5, )" + tiers + "}"),
            prefix + "$.primary_metric must be a string, not a number (5)\n");
  EXPECT_EQ(Refused("tiered_bonus", "centre", R"({"primary_metric": "x", )" + tiers + "}"),
            prefix +
                "$.primary_metric: no metric \"x\" (define it first: okrctl metric define x "
                "...)\n");
  // A required key missing from the unit's effective config.
  EXPECT_EQ(Refused("tiered_bonus", "centre", R"({"primary_metric": "tickets"})"),
            prefix + "$.tiers is required\n");
  // What the schema cannot say, the plugin's own create() does.
  EXPECT_EQ(Refused("tiered_bonus", "centre",
                    R"({"primary_metric": "tickets", "tiers": [{"min_attainment": 100,)"
                    R"( "amount": 1}, {"min_attainment": 100, "amount": 2}]})"),
            "okrctl: INVALID_ARGUMENT: config of plugin tiered_bonus for unit centre is refused "
            "by the plugin: plugin tiered_bonus create failed (1, config error): config: two "
            "tiers with min_attainment 100\n");

  // Nothing was stored: not configured anywhere, nothing applies to m1.
  const json listed = PluginListed("tiered_bonus");
  EXPECT_EQ(listed["configured"], false);
  EXPECT_EQ(listed["configs"], json::object());
  EXPECT_FALSE(listed["config_schema"].is_null());
  EXPECT_EQ(Effective("m1", "tiered_bonus"), json::parse(R"({"unit": "m1",
      "plugin": "tiered_bonus", "configured": false, "set_on": [], "config": null,
      "sources": [], "config_schema": true, "problem": ""})"));
}

TEST_F(PluginConfigIT, WithoutAConfigAPluginDoesNothing) {
  Json({"actuals", "import",
        okrd_.WriteFile("march.csv",
                        "event_id,unit_id,metric,date,value,denominator\n"
                        "t1,m1,tickets,2026-03-02,10,\n"
                        "t2,s1,tickets,2026-03-02,10,\n")});
  // Nothing configured: no payouts, no awards, and no complaints about missing configs.
  for (const char* plugin : {"tiered_bonus", "threshold_redline", "recognition"}) {
    EXPECT_EQ(PluginListed(plugin)["configured"], false) << plugin;
  }
  EXPECT_EQ(Json({"period", "close", "2026-03"}),
            json::parse(R"({"month": "2026-03", "payouts": 0, "awards": 0, "close_version": 1,
                            "problems": []})"));

  // Configured for Shanghai only: the bonus runs for s1 alone (no target: a row paying 0).
  Configure("tiered_bonus", "sha", kCentreBonus);
  EXPECT_EQ(PluginListed("tiered_bonus")["configured"], true);
  const json closed = Json({"period", "close", "2026-03"});
  EXPECT_EQ(closed["payouts"], 1) << closed.dump();
  EXPECT_EQ(closed["problems"], json::array()) << closed.dump();
  const json payouts = Json({"payouts", "--period", "2026-03"})["payouts"];
  ASSERT_EQ(payouts.size(), 1u) << payouts.dump();
  EXPECT_EQ(payouts[0]["unit"], "s1");
  EXPECT_EQ(payouts[0]["amount"], 0);
  EXPECT_EQ(payouts[0]["explanation"], "no tickets target this month; no payout");
}

TEST_F(PluginConfigIT, ASubtreeOverridesKeysAndInheritsTheRest) {
  // tickets 360 for 2026, even months: 30 a month; by FTE msk 2/3 = 20 (m1 10, m2 10), sha
  // 1/3 = 10 (s1 10). m1 and s1 resolve 10 in March: 100%, the 500 tier.
  Json({"target", "set", "--unit", "centre", "--metric", "tickets", "--year", "2026", "--value",
        "360", "--seasonality", "1,1,1,1,1,1,1,1,1,1,1,1"});
  Json({"cascade", "--unit", "centre", "--metric", "tickets", "--year", "2026"});
  Json({"actuals", "import",
        okrd_.WriteFile("march.csv",
                        "event_id,unit_id,metric,date,value,denominator\n"
                        "t1,m1,tickets,2026-03-02,10,\n"
                        "t2,s1,tickets,2026-03-02,10,\n")});
  Configure("tiered_bonus", "centre", kCentreBonus);
  Configure("tiered_bonus", "msk", R"({"cap": 300})");  // Moscow caps lower, keeps the rest

  EXPECT_EQ(Effective("m1", "tiered_bonus"), json::parse(R"({"unit": "m1",
      "plugin": "tiered_bonus", "configured": true, "set_on": ["centre", "msk"],
      "config": {"cap": 300, "currency": "EUR", "primary_metric": "tickets",
                 "tiers": [{"min_attainment": 100, "amount": 500}]},
      "sources": [{"path": "$.cap", "unit": "msk"}, {"path": "$.currency", "unit": "centre"},
                  {"path": "$.primary_metric", "unit": "centre"},
                  {"path": "$.tiers", "unit": "centre"}],
      "config_schema": true, "problem": ""})"));
  const json at_s1 = Effective("s1", "tiered_bonus");
  EXPECT_EQ(at_s1["config"], json::parse(kCentreBonus));
  EXPECT_EQ(at_s1["set_on"], json::parse(R"(["centre"])"));

  // Every loaded plugin when none is named; the other two are not configured.
  const json all = Json({"plugin", "config", "--unit", "m1"});
  ASSERT_EQ(all["plugins"].size(), 3u) << all.dump();
  EXPECT_EQ(all["plugins"][0]["plugin"], "recognition");
  EXPECT_EQ(all["plugins"][0]["configured"], false);
  EXPECT_EQ(all["plugins"][2]["plugin"], "tiered_bonus");
  EXPECT_EQ(all["plugins"][2]["config"]["cap"], 300);

  // The close pays by the merged configs: m1 500 capped at Moscow's 300, s1 at the centre's
  // 450; m2 has a target and no data.
  Json({"period", "close", "2026-03"});
  std::set<std::string> paid;
  const json payouts = Json({"payouts", "--period", "2026-03"});
  for (const json& p : payouts["payouts"]) {
    paid.insert(p["unit"].get<std::string>() + " " + p["amount"].dump() + " " +
                p["explanation"].get<std::string>());
  }
  EXPECT_EQ(paid, (std::set<std::string>{
                      "m1 300 attainment 100% of tickets; tier >=100%: 500 EUR; cap 300 applied",
                      "m2 0 no tickets data this month; no payout",
                      "s1 450 attainment 100% of tickets; tier >=100%: 500 EUR; cap 450 applied"}));

  // Moscow's lead reads the configs of its subtree; Shanghai's lead and agents do not.
  const json lead = Json({"token", "create", "--role", "lead", "--unit", "msk"});
  EXPECT_EQ(Json({"plugin", "config", "--unit", "m1", "--plugin", "tiered_bonus"},
                 lead["token"].get<std::string>())["config"]["cap"],
            300);
  for (const auto& [role, unit] :
       std::vector<std::pair<std::string, std::string>>{{"lead", "sha"}, {"agent", "m1"}}) {
    const json token = Json({"token", "create", "--role", role, "--unit", unit});
    CommandResult denied =
        okrd_.CtlAs(token["token"].get<std::string>(), {"plugin", "config", "--unit", "m1"});
    EXPECT_EQ(denied.exit_code, 7) << role << " " << unit << ": " << denied.err;
  }
}

// The issue's case: Moscow's one rule used to replace the centre's rules, dropping overtime.
TEST_F(PluginConfigIT, ASubtreesRuleMergesByNameAndKeepsTheInheritedRules) {
  Configure("threshold_redline", "centre", kCentreRules);
  Configure("threshold_redline", "msk",
            R"({"rules": [{"name": "complaints_14d", "threshold": 2}]})");
  const json at_m1 = Effective("m1", "threshold_redline");
  EXPECT_EQ(at_m1["config"], json::parse(R"({"rules": [
      {"name": "complaints_14d", "type": "window_sum", "metric": "complaints", "days": 14,
       "op": ">=", "threshold": 2, "severity": "critical"},
      {"name": "overtime_month", "type": "month_sum", "metric": "overtime_hours",
       "op": ">", "threshold": 20, "severity": "warning"}]})"));
  EXPECT_EQ(at_m1["sources"], json::parse(R"([{"path": "$.rules", "unit": "centre"},
      {"path": "$.rules[0].threshold", "unit": "msk"}])"));

  // m1 on 03-02: 2 complaints (>= Moscow's 2) and 21 h overtime (> the centre's 20).
  Json({"actuals", "import",
        okrd_.WriteFile("m1.csv",
                        "event_id,unit_id,metric,date,value,denominator\n"
                        "c1,m1,complaints,2026-03-02,2,\n"
                        "o1,m1,overtime_hours,2026-03-02,21,\n")});
  auto m1_alerts = [&] {
    std::set<std::string> out;
    const json alerts = Json({"alerts", "--unit", "m1"});
    for (const json& a : alerts["alerts"]) {
      out.insert(a["rule"].get<std::string>() + ": " + a["figures"].get<std::string>());
    }
    return out;
  };
  const std::set<std::string> expected = {
      "complaints_14d: 2 complaints in 14 days to 2026-03-02 (alert at >= 2)",
      "overtime_month: 21 overtime_hours in 2026-03 to 2026-03-02 (alert at > 20)"};
  EXPECT_TRUE(WaitFor(10, [&] { return m1_alerts() == expected; }));
  EXPECT_EQ(m1_alerts(), expected);
}

TEST_F(PluginConfigIT, AChangeThatWouldBreakAUnitBelowIsRefused) {
  Configure("threshold_redline", "centre", kCentreRules);
  // Moscow looks at a week of complaints.
  Configure("threshold_redline", "msk", R"({"rules": [{"name": "complaints_14d", "days": 7}]})");

  // An item of Moscow's must name the rule it adjusts; a new rule must be complete.
  EXPECT_EQ(Refused("threshold_redline", "msk", R"({"rules": [{"threshold": 2}]})"),
            "okrctl: INVALID_ARGUMENT: config of plugin threshold_redline for unit msk does not "
            "fit: $.rules[0].name is required: it says which item this one overrides\n");
  EXPECT_EQ(Refused("threshold_redline", "msk_g1", R"({"rules": [{"name": "aht", "op": ">"}]})"),
            "okrctl: INVALID_ARGUMENT: config of plugin threshold_redline for unit msk_g1, "
            "merged over the configs of centre, msk, does not fit: $.rules[2].type is required; "
            "$.rules[2].metric is required; $.rules[2].threshold is required\n");

  // The centre drops complaints_14d: Moscow's adjustment would be left as an incomplete rule.
  EXPECT_EQ(Refused("threshold_redline", "centre",
                    R"({"rules": [{"name": "overtime_month", "type": "month_sum",)"
                    R"( "metric": "overtime_hours", "op": ">", "threshold": 20}]})"),
            "okrctl: INVALID_ARGUMENT: config of plugin threshold_redline for unit centre would "
            "break the effective config of unit msk (merged from centre, msk): "
            "$.rules[1].type is required; $.rules[1].metric is required; $.rules[1].op is "
            "required; $.rules[1].threshold is required\n");
  // The centre makes complaints_14d a monthly rule: Moscow's 7 days no longer apply to it.
  EXPECT_EQ(Refused("threshold_redline", "centre",
                    R"({"rules": [{"name": "complaints_14d", "type": "month_sum",)"
                    R"( "metric": "complaints", "op": ">=", "threshold": 3}]})"),
            "okrctl: INVALID_ARGUMENT: config of plugin threshold_redline for unit centre would "
            "break the effective config of unit msk (merged from centre, msk): plugin "
            "threshold_redline create failed (1, config error): config: rules[0].days does not "
            "apply to month_sum\n");

  // Nothing changed: Moscow still has the centre's rules with its 7 days.
  const json at_msk = Effective("msk", "threshold_redline");
  EXPECT_EQ(at_msk["config"]["rules"][0]["days"], 7);
  EXPECT_EQ(at_msk["config"]["rules"][0]["type"], "window_sum");
  EXPECT_EQ(at_msk["config"]["rules"].size(), 2u);
}

}  // namespace
}  // namespace okr::testing
