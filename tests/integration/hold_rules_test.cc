// Holds are checked when they are set (PRODUCT.md "Review of monthly breakdowns"): a hold its
// parent cannot carry is refused there, naming the held unit, the month and what is
// available, instead of trapping every later cascade; an inactive agent gets no non-zero
// hold; a percentage target stays within 0-100 and a value beyond 10^15 is OUT_OF_RANGE.
//
// Every expected value below is worked out by hand in the comments.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/integration/harness.h"

namespace okr::testing {
namespace {

using ::testing::HasSubstr;

// co -> t1 -> g1 {a1, a2}, g2 {a3, who leaves on 2026-06-15}; every agent 1.0 FTE.
constexpr char kOrg[] =
    "unit_id,parent_id,kind,name,fte,start_date,end_date\n"
    "co,,company,Company,,,\n"
    "t1,co,team,Team,,,\n"
    "g1,t1,group,Group one,,,\n"
    "g2,t1,group,Group two,,,\n"
    "a1,g1,agent,Ann,1.0,,\n"
    "a2,g1,agent,Bob,1.0,,\n"
    "a3,g2,agent,Cid,1.0,,2026-06-15\n";

class HoldRules : public ::testing::Test {
 protected:
  void SetUp() override {
    Ok({"org", "import", okrd_.WriteFile("org.csv", kOrg)});
    Ok({"metric", "define", "tickets", "--kind", "count", "--direction", "up"});
    // 1200 over twelve equal weights: 100 a month for co and t1 (its only child).
    Ok({"target", "set", "--unit", "co", "--metric", "tickets", "--year", "2026", "--value", "1200",
        "--seasonality", "1,1,1,1,1,1,1,1,1,1,1,1"});
    Ok({"cascade", "--unit", "co", "--metric", "tickets", "--year", "2026"});
  }

  void Ok(const std::vector<std::string>& args) {
    CommandResult r = okrd_.Ctl(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }

  // The stderr of a command that must fail.
  std::string Fails(const std::vector<std::string>& args) {
    CommandResult r = okrd_.Ctl(args);
    EXPECT_NE(r.exit_code, 0) << r.out;
    return r.err;
  }

  std::vector<std::string> Hold(const std::string& unit, const std::string& period,
                                const std::string& value) {
    return {"hold", "--unit", unit, "--metric", "tickets", "--period", period, "--value", value};
  }

  OkrdProcess okrd_;
};

TEST_F(HoldRules, AHoldItsParentCannotCarryIsRefusedWhenSet) {
  // g1's April can be at most t1's April, 100.
  std::string err = Fails(Hold("g1", "2026-04", "10000000"));
  EXPECT_THAT(err, HasSubstr("FAILED_PRECONDITION"));
  EXPECT_THAT(err, HasSubstr("hold of 10000000 on unit 'g1' for 2026-04 cannot be carried: its "
                             "parent 't1' has 100 in 2026-04; at most 100 is available"));
  // Nothing was stored: the next cascade still runs.
  Ok({"cascade", "--unit", "co", "--metric", "tickets", "--year", "2026"});

  // With g2 held at 60, g1 may take the 40 left, not 50.
  Ok(Hold("g2", "2026-04", "60"));
  err = Fails(Hold("g1", "2026-04", "50"));
  EXPECT_THAT(err, HasSubstr("its parent 't1' has 100 in 2026-04, other holds below it take 60; "
                             "at most 40 is available"));
  Ok(Hold("g1", "2026-04", "40"));
  Ok({"cascade", "--unit", "co", "--metric", "tickets", "--year", "2026"});
  CommandResult b = okrd_.Ctl(
      {"breakdown", "--unit", "t1", "--metric", "tickets", "--year", "2026", "-o", "json"});
  ASSERT_EQ(b.exit_code, 0) << b.err;
  EXPECT_EQ(b.Json()["children"][0]["unit"], "g1");
  EXPECT_EQ(b.Json()["children"][0]["months"][3], 40);
  EXPECT_EQ(b.Json()["children"][1]["months"][3], 60);
}

TEST_F(HoldRules, NoNonZeroHoldForAnAgentWhoHasLeft) {
  // a3 left on 2026-06-15: June is still a working month, December is not.
  std::string err = Fails(Hold("a3", "2026-12", "5"));
  EXPECT_THAT(err, HasSubstr("FAILED_PRECONDITION: agent 'a3' is not active in 2026-12 "
                             "(works ..2026-06-15): an inactive agent's target is 0"));
  Ok(Hold("a3", "2026-12", "0"));
  // June: a3 works 15 of 30 days (0.5 FTE) beside g1's 2.0, so g2 = 100 x 0.5 / 2.5 = 20, all
  // of it a3's: a hold of 20 fits.
  Ok(Hold("a3", "2026-06", "20"));
}

TEST_F(HoldRules, PercentageTargetsStayWithin100AndHugeValuesAreOutOfRange) {
  Ok({"metric", "define", "csat", "--kind", "ratio", "--direction", "up", "--scale", "100"});
  std::string err = Fails(
      {"target", "set", "--unit", "co", "--metric", "csat", "--year", "2026", "--value", "150"});
  EXPECT_THAT(err, HasSubstr("OUT_OF_RANGE: metric 'csat' is a percentage: its target must be "
                             "within 0-100, got 150"));
  err = Fails({"target", "set", "--unit", "co", "--metric", "tickets", "--year", "2026", "--value",
               "1e300"});
  EXPECT_THAT(err, HasSubstr("OUT_OF_RANGE"));
  Ok({"target", "set", "--unit", "co", "--metric", "csat", "--year", "2026", "--value", "100"});
}

}  // namespace
}  // namespace okr::testing
