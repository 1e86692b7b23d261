#include "services/core/process_metrics.h"

#include <gtest/gtest.h>

namespace okr {
namespace {

// A line in proc(5)'s layout whose command name holds a space and a ')' itself; fields 14,
// 15, 22, 23 and 24 are 250, 40, 987654, 123456789 and 3000.
constexpr char kStat[] =
    "4242 (okrd (a) b) S 1 4242 4242 0 -1 4194560 1000 0 0 0 250 40 0 0 20 0 9 0 987654 "
    "123456789 3000 18446744073709551615 1 1 0 0 0 0 0 4096 0 0 0 0 17 1 0 0 0 0 0\n";

TEST(ProcessStatTest, CountsFieldsFromTheLastParenthesis) {
  auto stat = ParseProcessStat(kStat);
  ASSERT_TRUE(stat.has_value());
  EXPECT_EQ(stat->user_ticks, 250);
  EXPECT_EQ(stat->system_ticks, 40);
  EXPECT_EQ(stat->start_ticks, 987654);
  EXPECT_EQ(stat->virtual_bytes, 123456789);
  EXPECT_EQ(stat->resident_pages, 3000);
}

TEST(ProcessStatTest, RefusesATruncatedLine) {
  EXPECT_FALSE(ParseProcessStat("4242 (okrd) S 1 4242 4242 0 -1 4194560 1000").has_value());
  EXPECT_FALSE(ParseProcessStat("no parenthesis at all").has_value());
}

TEST(ProcessStatTest, BootTimeIsTheBtimeLine) {
  EXPECT_EQ(ParseBootTime("cpu  1 2 3\nintr 5\nbtime 1796119269\nprocesses 9\n"), 1796119269);
  EXPECT_FALSE(ParseBootTime("cpu  1 2 3\n").has_value());
}

TEST(MetricsCounterTest, AdvanceCounterToOnlyRaises) {
  Metrics metrics({{"x_seconds_total", MetricType::kCounter, "x"}});
  metrics.AdvanceCounterTo("x_seconds_total", {}, 2.5);
  metrics.AdvanceCounterTo("x_seconds_total", {}, 1.0);  // behind: a counter never falls
  metrics.AdvanceCounterTo("x_seconds_total", {}, 4.0);
  EXPECT_NE(metrics.Render().find("x_seconds_total 4"), std::string::npos) << metrics.Render();
}

}  // namespace
}  // namespace okr
