// /metrics (issue 10): counters move by exactly what the test's own calls cause, and the text
// passes `promtool check metrics` (skipped when promtool is not installed).
//
// Every expected delta below is worked out by hand in the comments.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "tests/integration/build_paths.h"
#include "tests/integration/harness.h"
#include "tests/integration/http_client.h"
#include "tests/integration/metrics_scrape.h"
#include "tests/integration/wait_for.h"

namespace okr::testing {
namespace {

using nlohmann::json;

class MetricsIT : public ::testing::Test {
 protected:
  MetricsIT()
      : http_port_(FreePort()),
        okrd_({"--http-listen", "127.0.0.1:" + std::to_string(http_port_)}) {}

  std::map<std::string, double> Scrape() {
    const std::string response = HttpGet(http_port_, "/metrics");
    EXPECT_NE(response.find("HTTP/1.1 200"), std::string::npos) << response.substr(0, 200);
    return ParseSamples(Body(response));
  }
  static double Get(const std::map<std::string, double>& s, const std::string& key) {
    auto it = s.find(key);
    return it == s.end() ? 0 : it->second;
  }
  json Json(std::vector<std::string> args) {
    args.push_back("-o");
    args.push_back("json");
    CommandResult r = okrd_.Ctl(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.exit_code == 0 ? r.Json() : json::object();
  }

  int http_port_;
  OkrdProcess okrd_;
};

constexpr char kOrg[] =
    "unit_id,parent_id,kind,name,fte,start_date,end_date\n"
    "co,,company,Company,,,\n"
    "g1,co,group,Group,,,\n"
    "a1,g1,agent,Ann,1.0,,\n"
    "a2,g1,agent,Bob,1.0,,\n";

TEST_F(MetricsIT, CountersMoveByExactlyWhatTheCallsCause) {
  Json({"org", "import", okrd_.WriteFile("org.csv", kOrg)});
  Json({"metric", "define", "tickets", "--kind", "count", "--direction", "up"});
  Json(
      {"target", "set", "--unit", "co", "--metric", "tickets", "--year", "2025", "--value", "730"});

  const std::string accepted = "okr_actual_events_total{outcome=accepted}";
  const std::string duplicate = "okr_actual_events_total{outcome=duplicate}";
  const std::string corrected = "okr_actual_events_total{outcome=corrected}";
  const std::string rejected = "okr_actual_events_total{outcome=rejected}";
  const std::string list_ok =
      "okr_grpc_requests_total{code=OK,method=ListMetrics,service=okr.v1.MetricService}";
  const std::string cascades = "okr_cascades_total{result=written}";
  const std::string cascade_count = "okr_cascade_duration_seconds_count";

  auto s0 = Scrape();
  // 3 new events: accepted +3.
  Json({"actuals", "import",
        okrd_.WriteFile("a.csv",
                        "event_id,unit_id,metric,date,value,denominator\n"
                        "e1,a1,tickets,2025-01-02,5,\n"
                        "e2,a1,tickets,2025-01-03,6,\n"
                        "e3,a2,tickets,2025-01-03,7,\n")});
  auto s1 = Scrape();
  EXPECT_EQ(Get(s1, accepted) - Get(s0, accepted), 3);
  EXPECT_EQ(Get(s1, duplicate) - Get(s0, duplicate), 0);
  // The same 3 again, one of them changed: duplicates +2, corrected +1, accepted +0.
  Json({"actuals", "import",
        okrd_.WriteFile("b.csv",
                        "event_id,unit_id,metric,date,value,denominator\n"
                        "e1,a1,tickets,2025-01-02,5,\n"
                        "e2,a1,tickets,2025-01-03,6,\n"
                        "e3,a2,tickets,2025-01-03,8,\n")});
  auto s2 = Scrape();
  EXPECT_EQ(Get(s2, accepted) - Get(s1, accepted), 0);
  EXPECT_EQ(Get(s2, duplicate) - Get(s1, duplicate), 2);
  EXPECT_EQ(Get(s2, corrected) - Get(s1, corrected), 1);
  // A file with one good and two bad rows stores nothing (all or nothing): rejected +2 only.
  CommandResult bad = okrd_.Ctl({"actuals", "import",
                                 okrd_.WriteFile("c.csv",
                                                 "event_id,unit_id,metric,date,value,denominator\n"
                                                 "e4,a1,tickets,2025-01-04,1,\n"
                                                 "e5,nobody,tickets,2025-01-04,1,\n"
                                                 "e6,a1,nometric,2025-01-04,1,\n")});
  auto s3 = Scrape();
  EXPECT_EQ(Get(s3, rejected) - Get(s2, rejected), 2) << bad.out << bad.err;
  EXPECT_EQ(Get(s3, accepted) - Get(s2, accepted), 0);

  // k = 4 ListMetrics calls: +4 with code OK (nothing else calls it meanwhile).
  for (int i = 0; i < 4; ++i) ASSERT_EQ(okrd_.Ctl({"metric", "list"}).exit_code, 0);
  auto s4 = Scrape();
  EXPECT_EQ(Get(s4, list_ok) - Get(s3, list_ok), 4);

  // An agent may not set a target: PERMISSION_DENIED +1 for SetTarget.
  const std::string agent =
      Json({"token", "create", "--role", "agent", "--unit", "a1"}).value("token", "");
  CommandResult denied = okrd_.CtlAs(agent, {"target", "set", "--unit", "co", "--metric", "tickets",
                                             "--year", "2025", "--value", "1"});
  EXPECT_NE(denied.exit_code, 0);
  const std::string set_denied =
      "okr_grpc_requests_total{code=PERMISSION_DENIED,method=SetTarget,"
      "service=okr.v1.TargetService}";
  // One cascade written: cascades +1, its duration histogram count +1.
  Json({"cascade", "--unit", "co", "--metric", "tickets", "--year", "2025"});
  auto s5 = Scrape();
  EXPECT_EQ(Get(s5, set_denied) - Get(s4, set_denied), 1);
  EXPECT_EQ(Get(s5, cascades) - Get(s4, cascades), 1);
  EXPECT_EQ(Get(s5, cascade_count) - Get(s4, cascade_count), 1);
  // The histogram is cumulative: +Inf bucket == count.
  for (const auto& [key, value] : s5) {
    if (key.rfind("okr_grpc_request_duration_seconds_count{", 0) == 0) {
      std::string inf = "okr_grpc_request_duration_seconds_bucket{le=+Inf," +
                        key.substr(std::string("okr_grpc_request_duration_seconds_count{").size());
      EXPECT_EQ(Get(s5, inf), value) << key;
    }
  }
  EXPECT_EQ(Get(s5, "okr_build_info{commit=" + SourceCommit() + ",version=0.1.0}"), 1);
}

TEST_F(MetricsIT, PromtoolAcceptsTheExposition) {
  // Some traffic first, so that every family has samples.
  Json({"org", "import", okrd_.WriteFile("org.csv", kOrg)});
  Json({"metric", "define", "tickets", "--kind", "count", "--direction", "up"});
  Json({"target", "set", "--unit", "co", "--metric", "tickets", "--year", "2025", "--value", "7"});
  Json({"cascade", "--unit", "co", "--metric", "tickets", "--year", "2025"});
  okrd_.Ctl({"metric", "define", "bad id!", "--kind", "count", "--direction", "up"});
  const std::string response = HttpGet(http_port_, "/metrics");
  ASSERT_NE(response.find("HTTP/1.1 200"), std::string::npos);
  EXPECT_NE(response.find("text/plain; version=0.0.4"), std::string::npos);
  if (!std::filesystem::exists("/usr/bin/promtool")) {
    GTEST_SKIP() << "promtool not installed (Debian package prometheus)";
  }
  const std::string file = okrd_.WriteFile("metrics.txt", Body(response));
  CommandResult check = RunCommand({"/bin/sh", "-c", "/usr/bin/promtool check metrics < " + file});
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
  // promtool prints lint problems (e.g. counters not ending in _total) on stderr.
  EXPECT_EQ(check.out + check.err, "") << Body(response);
}

// The state gauges are exported from the start, at 0, and follow what is stored: one open
// critical alert after three complaints in 14 days (the threshold_redline rule below), none
// disabled among the shipped plugins.
TEST(MetricsState, AlertsOpenAndDisabledPluginsFromTheStart) {
  const int port = FreePort();
  OkrdProcess okrd(
      {"--http-listen", "127.0.0.1:" + std::to_string(port), "--plugin-dir", PluginDir()});
  auto scrape = [&] { return ParseSamples(Body(HttpGet(port, "/metrics"))); };
  const auto s0 = scrape();
  for (const char* key : {"okr_plugins_disabled", "okr_alerts_open{severity=info}",
                          "okr_alerts_open{severity=warning}", "okr_alerts_open{severity=critical}",
                          "okr_rollups_pending_commands"}) {
    ASSERT_EQ(s0.count(key), 1u) << key;
    EXPECT_EQ(s0.at(key), 0) << key;
  }

  ASSERT_EQ(okrd.Ctl({"org", "import", okrd.WriteFile("org.csv", kOrg)}).exit_code, 0);
  ASSERT_EQ(okrd.Ctl({"metric", "define", "complaints", "--kind", "count", "--direction", "down"})
                .exit_code,
            0);
  ASSERT_EQ(okrd.Ctl({"plugin", "configure", "threshold_redline", "--unit", "co", "--config",
                      R"({"rules": [{"name": "c14", "type": "window_sum", "metric": "complaints",)"
                      R"( "days": 14, "op": ">=", "threshold": 3, "severity": "critical"}]})"})
                .exit_code,
            0);
  ASSERT_EQ(okrd.Ctl({"actuals", "import",
                      okrd.WriteFile("c.csv",
                                     "event_id,unit_id,metric,date,value,denominator\n"
                                     "c1,a1,complaints,2024-03-04,1,\n"
                                     "c2,a1,complaints,2024-03-05,1,\n"
                                     "c3,a1,complaints,2024-03-06,1,\n")})
                .exit_code,
            0);
  ASSERT_TRUE(WaitFor(10, [&] { return scrape()["okr_alerts_open{severity=critical}"] == 1; }));
  const auto s1 = scrape();
  EXPECT_EQ(s1.at("okr_alerts_open{severity=warning}"), 0);
  EXPECT_EQ(s1.at("okr_alerts_open{severity=info}"), 0);
  EXPECT_EQ(s1.at("okr_plugins_disabled"), 0);
}

}  // namespace
}  // namespace okr::testing
