// Set-ups that many tests share, so that each states only what is particular to it.
#ifndef OKR_TESTS_INTEGRATION_FIXTURES_H_
#define OKR_TESTS_INTEGRATION_FIXTURES_H_

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "tests/integration/harness.h"

namespace okr::testing {

// co -> t1 -> g1 {a1, a2}: the small org many tests start from.
inline constexpr char kSmallOrg[] =
    "unit_id,parent_id,kind,name,fte,start_date,end_date\n"
    "co,,company,Company,,,\n"
    "t1,co,team,Team,,,\n"
    "g1,t1,group,Group,,,\n"
    "a1,g1,agent,Ann,1.0,,\n"
    "a2,g1,agent,Bob,1.0,,\n";

// co > t > g > a0000 .. a<agents-1> (at least four digits), each agent full time: agents + 3
// units.
inline std::string OrgOfAgents(int agents) {
  std::string csv =
      "unit_id,parent_id,kind,name,fte\nco,,company,Co,\nt,co,team,T,\ng,t,group,G,\n";
  for (int i = 0; i < agents; ++i) {
    const std::string n = std::to_string(i);
    const std::string id = "a" + std::string(n.size() < 4 ? 4 - n.size() : 0, '0') + n;
    csv += id + ",g,agent," + id + ",1.0\n";
  }
  return csv;
}

// Imports `org_csv` and defines the count metric `tickets` (direction up).
inline void SetUpTickets(const OkrdProcess& okrd, const std::string& org_csv) {
  CommandResult org = okrd.Ctl({"org", "import", okrd.WriteFile("org.csv", org_csv)});
  ASSERT_EQ(org.exit_code, 0) << org.err;
  CommandResult metric =
      okrd.Ctl({"metric", "define", "tickets", "--kind", "count", "--direction", "up"});
  ASSERT_EQ(metric.exit_code, 0) << metric.err;
}

// SetUpTickets (the org's root is the company `co`), then sets co's `year` target to `value`
// and cascades it down the tree.
inline void SetUpTicketsPlan(const OkrdProcess& okrd, const std::string& org_csv,
                             const std::string& year, const std::string& value) {
  SetUpTickets(okrd, org_csv);
  if (::testing::Test::HasFatalFailure()) return;
  CommandResult target = okrd.Ctl(
      {"target", "set", "--unit", "co", "--metric", "tickets", "--year", year, "--value", value});
  ASSERT_EQ(target.exit_code, 0) << target.err;
  CommandResult cascade =
      okrd.Ctl({"cascade", "--unit", "co", "--metric", "tickets", "--year", year});
  ASSERT_EQ(cascade.exit_code, 0) << cascade.err;
}

// The names of the plugins `okrctl plugin list` shows, sorted.
inline std::vector<std::string> PluginNames(const OkrdProcess& okrd) {
  CommandResult r = okrd.Ctl({"-o", "json", "plugin", "list"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> names;
  if (r.exit_code != 0) return names;
  for (const auto& p : r.Json().value("plugins", nlohmann::json::array())) {
    names.push_back(p["name"]);
  }
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace okr::testing

#endif  // OKR_TESTS_INTEGRATION_FIXTURES_H_
