// The metrics registry on prometheus-cpp (services/core/metrics.h): counters by label set, a
// histogram's cumulative buckets, sum and count, scrape-time gauges, and the exposition text of
// a small example worked out by hand. Values are binary fractions (2^-12, 2^-8, 0.375), so the
// sums are exact and print as written.
#include "services/core/metrics.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace okr {
namespace {

// The exposition as family name -> its lines: "# HELP", "# TYPE", then the samples sorted.
// prometheus-cpp lists the series of a family in hash order, and the families by type, so the
// comparison is by family and by sample line, not by position.
std::map<std::string, std::vector<std::string>> ByFamily(const std::string& text) {
  std::map<std::string, std::vector<std::string>> out;
  std::istringstream in(text);
  std::string line, family;
  while (std::getline(in, line)) {
    if (line.rfind("# HELP ", 0) == 0) {
      family = line.substr(7, line.find(' ', 7) - 7);
      out[family].push_back(line);
    } else {
      out[family].push_back(line);  // a sample before any HELP lands under ""
    }
  }
  for (auto& [name, lines] : out) {
    if (lines.size() > 2) std::sort(lines.begin() + 2, lines.end());
  }
  return out;
}

std::vector<MetricDeclaration> Example() {
  return {{"t_events_total", MetricType::kCounter, "Events by kind."},
          {"t_temperature", MetricType::kGauge, "Temperature."},
          {"t_wait_seconds", MetricType::kHistogram, "Wait time."},
          {"t_unused_total", MetricType::kCounter, "Never counted."}};
}

TEST(Metrics, RendersTheHandWorkedExample) {
  Metrics m(Example());
  m.Add("t_events_total", {{"kind", "a"}});     // a: 1
  m.Add("t_events_total", {{"kind", "a"}}, 2);  // a: 1 + 2 = 3
  m.Add("t_events_total", {{"kind", "b"}, {"app", "x"}}, 0.5);
  m.Add("t_events_total", {{"kind", "q\"b\\s"}}, 0);  // created at 0; " and \ escaped
  m.Set("t_temperature", {}, 21.5);
  m.Set("t_temperature", {}, -3);  // the last value set
  // 2^-12 <= 0.0005; 0.0025 < 2^-8 <= 0.005; 0.25 < 0.375 <= 0.5; 7 > 5 (only +Inf).
  for (double seconds : {0.000244140625, 0.00390625, 0.375, 7.0}) {
    m.Observe("t_wait_seconds", {{"step", "load"}}, seconds);
  }
  // Cumulative: le=0.0005..0.0025 hold 1, le=0.005..0.25 hold 2, le=0.5..5 hold 3, +Inf 4.
  // Sum: 7 + 0.375 + 0.00390625 + 0.000244140625 = 7.379150390625.
  const std::string expected =
      "# HELP t_events_total Events by kind.\n"
      "# TYPE t_events_total counter\n"
      "t_events_total{kind=\"a\"} 3\n"
      "t_events_total{app=\"x\",kind=\"b\"} 0.5\n"
      "t_events_total{kind=\"q\\\"b\\\\s\"} 0\n"
      "# HELP t_temperature Temperature.\n"
      "# TYPE t_temperature gauge\n"
      "t_temperature -3\n"
      "# HELP t_wait_seconds Wait time.\n"
      "# TYPE t_wait_seconds histogram\n"
      "t_wait_seconds_count{step=\"load\"} 4\n"
      "t_wait_seconds_sum{step=\"load\"} 7.379150390625\n"
      "t_wait_seconds_bucket{step=\"load\",le=\"0.0005\"} 1\n"
      "t_wait_seconds_bucket{step=\"load\",le=\"0.001\"} 1\n"
      "t_wait_seconds_bucket{step=\"load\",le=\"0.0025\"} 1\n"
      "t_wait_seconds_bucket{step=\"load\",le=\"0.005\"} 2\n"
      "t_wait_seconds_bucket{step=\"load\",le=\"0.01\"} 2\n"
      "t_wait_seconds_bucket{step=\"load\",le=\"0.025\"} 2\n"
      "t_wait_seconds_bucket{step=\"load\",le=\"0.05\"} 2\n"
      "t_wait_seconds_bucket{step=\"load\",le=\"0.1\"} 2\n"
      "t_wait_seconds_bucket{step=\"load\",le=\"0.25\"} 2\n"
      "t_wait_seconds_bucket{step=\"load\",le=\"0.5\"} 3\n"
      "t_wait_seconds_bucket{step=\"load\",le=\"1\"} 3\n"
      "t_wait_seconds_bucket{step=\"load\",le=\"5\"} 3\n"
      "t_wait_seconds_bucket{step=\"load\",le=\"+Inf\"} 4\n";
  const std::string text = m.Render();
  EXPECT_EQ(ByFamily(text), ByFamily(expected)) << text;
  // A family with no series yet is left out.
  EXPECT_EQ(text.find("t_unused_total"), std::string::npos);
}

TEST(Metrics, CountersKeepOneSeriesPerLabelSet) {
  Metrics m(Example());
  // The same labels given in another order are the same series.
  m.Add("t_events_total", {{"kind", "b"}, {"app", "x"}});
  m.Add("t_events_total", {{"app", "x"}, {"kind", "b"}}, 4);  // 1 + 4 = 5
  m.Add("t_events_total", {{"app", "y"}, {"kind", "b"}});     // another app: 1
  EXPECT_EQ(ByFamily(m.Render()), ByFamily("# HELP t_events_total Events by kind.\n"
                                           "# TYPE t_events_total counter\n"
                                           "t_events_total{app=\"x\",kind=\"b\"} 5\n"
                                           "t_events_total{app=\"y\",kind=\"b\"} 1\n"));
}

TEST(Metrics, CollectorsSetTheirGaugesAtEachScrape) {
  Metrics m(Example());
  int scrapes = 0;
  m.AddCollector([&scrapes](Metrics& metrics) { metrics.Set("t_temperature", {}, ++scrapes); });
  EXPECT_NE(m.Render().find("\nt_temperature 1\n"), std::string::npos);
  EXPECT_NE(m.Render().find("\nt_temperature 2\n"), std::string::npos);
}

// The lines of okrd's log (services/core/log.h) without the timestamp in front of each.
std::vector<std::string> WithoutTimestamps(const std::string& log) {
  std::vector<std::string> lines;
  std::istringstream in(log);
  for (std::string line; std::getline(in, line);) lines.push_back(line.substr(line.find(' ') + 1));
  return lines;
}

TEST(Metrics, AMisusedNameIsDroppedAndReportedNotThrown) {
  Metrics m(Example());
  ::testing::internal::CaptureStderr();
  m.Add("t_nothing_total", {});                       // not declared
  m.Observe("t_events_total", {{"kind", "a"}}, 0.1);  // a counter, not a histogram
  m.Set("t_wait_seconds", {}, 1);                     // a histogram, not a gauge
  EXPECT_EQ(
      WithoutTimestamps(::testing::internal::GetCapturedStderr()),
      (std::vector<std::string>{
          R"(error metric.sample_dropped metric=t_nothing_total error="no declared counter")",
          R"(error metric.sample_dropped metric=t_events_total error="no declared histogram")",
          R"(error metric.sample_dropped metric=t_wait_seconds error="no declared gauge")"}));
  // An invalid label name: prometheus-cpp refuses it; the call reports and returns.
  ::testing::internal::CaptureStderr();
  m.Add("t_events_total", {{"bad-name", "a"}});
  const std::vector<std::string> invalid =
      WithoutTimestamps(::testing::internal::GetCapturedStderr());
  ASSERT_EQ(invalid.size(), 1u);
  EXPECT_EQ(invalid[0].rfind("error metric.sample_dropped metric=t_events_total error=", 0), 0u)
      << invalid[0];
  EXPECT_EQ(m.Render(), "");
}

}  // namespace
}  // namespace okr
