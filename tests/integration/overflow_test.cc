// Sums at the int64 limit through a real okrd and okrctl: events that sum exactly to the
// largest total okrd keeps are accepted and read back exactly; one more is OUT_OF_RANGE,
// names its line and event, and leaves progress as it was.
//
// Hand arithmetic: the limit is INT64_MAX millionths = 9,223,372,036,854.775807
// = 9 x 1,000,000,000,000 (the largest single value) + 223,372,036,854.775807.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/integration/fixtures.h"
#include "tests/integration/harness.h"

namespace okr::testing {
namespace {

constexpr char kHeader[] = "event_id,unit_id,metric,date,value,denominator\n";

class Overflow : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(okrd_.Ctl({"org", "import", okrd_.WriteFile("org.csv", kSmallOrg)}).exit_code, 0);
    ASSERT_EQ(
        okrd_.Ctl({"metric", "define", "calls", "--kind", "count", "--direction", "up"}).exit_code,
        0);
    ASSERT_EQ(okrd_
                  .Ctl({"target", "set", "--unit", "co", "--metric", "calls", "--year", "2026",
                        "--value", "36500"})
                  .exit_code,
              0);
    ASSERT_EQ(
        okrd_.Ctl({"cascade", "--unit", "co", "--metric", "calls", "--year", "2026"}).exit_code, 0);
  }

  CommandResult Import(const std::string& name, const std::string& rows) {
    return okrd_.Ctl(
        {"-o", "json", "actuals", "import", okrd_.WriteFile(name, std::string(kHeader) + rows)});
  }
  std::string Progress(const std::string& unit) {
    CommandResult r = okrd_.Ctl({"-o", "json", "progress", "--unit", unit, "--metric", "calls",
                                 "--period", "2026", "--as-of", "2026-03-31"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out;
  }

  OkrdProcess okrd_;
};

TEST_F(Overflow, EventsSummingToTheLimitAreAcceptedAndOneMoreIsOutOfRange) {
  std::string rows;
  for (int i = 1; i <= 9; ++i) rows += "e" + std::to_string(i) + ",a1,calls,2026-03-02,1e12,\n";
  rows += "e10,a1,calls,2026-03-02,223372036854.775807,\n";
  CommandResult accepted = Import("full.csv", rows);
  ASSERT_EQ(accepted.exit_code, 0) << accepted.err;
  EXPECT_EQ(accepted.Json()["accepted"], 10);

  const std::string before = Progress("co");
  EXPECT_DOUBLE_EQ(nlohmann::json::parse(before).at("actual").get<double>(), 9223372036854.775807);

  // Line 1 is the header; the event is on line 2.
  CommandResult refused = Import("one-more.csv", "e11,a2,calls,2026-03-05,0.000001,\n");
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.err.find("OUT_OF_RANGE"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("line 2: event 'e11'"), std::string::npos) << refused.err;
  EXPECT_EQ(Progress("co"), before);
  EXPECT_EQ(nlohmann::json::parse(Progress("a2")).at("actual").get<double>(), 0.0);
}

}  // namespace
}  // namespace okr::testing
