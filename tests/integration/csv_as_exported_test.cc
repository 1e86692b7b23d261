// Imports of files as HR and WFM tools export them, through okrctl (issue 19): header names
// in any case and with spaces, unknown columns ignored with a warning (`warnings`), optional
// columns left out, and after an org import the agents and FTE per group (`groups`). And the
// limits on the values (defect 11): FTE within (0, 1]; a percentage's numerator within its
// denominator, refused with its line and column.
//
// okrd's clock reads 2026-05-10 (UTC). Every expected value is worked out by hand.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/integration/harness.h"

namespace okr::testing {
namespace {

using ::testing::HasSubstr;
using json = nlohmann::json;

class CsvAsExported : public ::testing::Test {
 protected:
  // The exit code and the JSON document of a command.
  std::pair<int, json> Run(std::vector<std::string> args) {
    args.insert(args.end(), {"-o", "json"});
    CommandResult r = okrd_.Ctl(args);
    json doc = json::object();
    if (!r.out.empty()) doc = r.Json();
    return {r.exit_code, doc};
  }

  json Ok(const std::vector<std::string>& args) {
    auto [code, doc] = Run(args);
    EXPECT_EQ(code, 0) << doc.dump();
    return doc;
  }

  json ImportOrg(const std::string& csv) {
    return Ok({"org", "import", okrd_.WriteFile("org.csv", csv)});
  }

  OkrdProcess okrd_{{"--test-clock-start", "2026-05-10T12:00:00Z"}};
};

// An HR export: its own case and order, a column of its own, no start_date.
// co -> t1 -> g1 {a1 1.0, a2 0.5, a3 0.8 who left on 04-30}, g2 {a4 0.6}, g3 {}.
constexpr char kHrOrg[] =
    " Unit_ID ,Parent_ID,KIND,Name,FTE,End_Date,Department\n"
    "co,,company,Company,,,Support\n"
    "t1,co,team,Shanghai,,,Support\n"
    "g1,t1,group,Orders,,,Support\n"
    "g2,t1,group,Returns,,,Support\n"
    "g3,t1,group,Payments,,,Support\n"
    "a1,g1,agent,Ann,1,,Support\n"
    "a2,g1,agent,Bob,0.5,,Support\n"
    "a3,g1,agent,Cid,0.8,2026-04-30,Support\n"
    "a4,g2,agent,Dan,0.6,,Support\n";

TEST_F(CsvAsExported, OrgImportReadsAnHrExportAndSumsUpEachGroup) {
  const json reply = ImportOrg(kHrOrg);
  EXPECT_EQ(reply["created"], 9);
  EXPECT_EQ(reply["rejected"], 0);
  EXPECT_EQ(reply["warnings"],
            json::array({"line 1: column 7 'Department' is not a column of this import; ignored"}));
  // On 2026-05-10: g1 has a1 and a2 (a3 has left): 2 agents, 1 + 0.5 = 1.5 FTE; g2 a4: 1,
  // 0.6; g3 nobody. t1 has no agent directly below it.
  EXPECT_EQ(reply["groups_as_of"], "2026-05-10");
  EXPECT_EQ(reply["groups"], json::parse(R"([
      {"unit": "g1", "name": "Orders", "agents": 2, "fte": 1.5},
      {"unit": "g2", "name": "Returns", "agents": 1, "fte": 0.6},
      {"unit": "g3", "name": "Payments", "agents": 0, "fte": 0}])"));

  // The columns reached the units: a2's FTE, a3's end date, a1's default start.
  const json units = Ok({"org", "show", "g1"})["units"];
  ASSERT_EQ(units.size(), 4u) << units.dump();
  EXPECT_EQ(units[2]["unit_id"], "a2");
  EXPECT_EQ(units[2]["fte"], 0.5);
  EXPECT_EQ(units[3]["unit_id"], "a3");
  EXPECT_EQ(units[3]["end_date"], "2026-04-30");
  EXPECT_EQ(units[1]["start_date"], "");
}

TEST_F(CsvAsExported, OrgImportTableShowsTheGroups) {
  CommandResult r = okrd_.Ctl({"org", "import", okrd_.WriteFile("org.csv", kHrOrg)});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "created 9, updated 0, unchanged 0, rejected 0\n"
            "  warning: line 1: column 7 'Department' is not a column of this import; ignored\n"
            "\n"
            "agents and FTE per group on 2026-05-10:\n"
            "GROUP  NAME      AGENTS  FTE\n"
            "g1     Orders         2  1.5\n"
            "g2     Returns        1  0.6\n"
            "g3     Payments       0    0\n");
}

TEST_F(CsvAsExported, ADryRunShowsTheGroupsAsTheyWouldBe) {
  ImportOrg(kHrOrg);
  // a5 (1.0) joins g3: it would have 1 agent, 1 FTE; nothing is stored.
  auto [code, reply] = Run({"org", "import", "--dry-run",
                            okrd_.WriteFile("more.csv",
                                            "unit_id,parent_id,kind,name\n"
                                            "a5,g3,agent,Eve\n")});
  EXPECT_EQ(code, 0);
  EXPECT_EQ(reply["created"], 1);
  EXPECT_EQ(reply["groups"][2],
            json::parse(R"({"unit":"g3","name":"Payments","agents":1,"fte":1})"));
  EXPECT_EQ(Ok({"org", "show", "g3"})["units"].size(), 1u);  // g3 alone
}

TEST_F(CsvAsExported, AMissingRequiredColumnStillRefusesTheFile) {
  // 'parent' is not 'parent_id': the error names both.
  auto [code, reply] = Run({"org", "import",
                            okrd_.WriteFile("bad.csv",
                                            "unit_id,parent,kind,name\n"
                                            "co,,company,Company\n")});
  EXPECT_NE(code, 0);
  EXPECT_EQ(reply["errors"],
            json::array({{{"line", 1},
                          {"message",
                           "line 1: bad header: missing column(s) 'parent_id'; unknown column(s) "
                           "'parent' (ignored); expected unit_id,parent_id,kind,name,fte,"
                           "start_date,end_date (optional: fte,start_date,end_date)"}}}));
  EXPECT_EQ(reply["groups"], json::array());
}

TEST_F(CsvAsExported, FteAboveOneOrZeroIsRefusedWithItsLine) {
  auto [code, reply] = Run({"org", "import",
                            okrd_.WriteFile("fte.csv",
                                            "unit_id,parent_id,kind,name,fte\n"
                                            "co,,company,Company,\n"
                                            "a1,co,agent,Ann,1.5\n"
                                            "a2,co,agent,Bob,0\n"
                                            "a3,co,agent,Cid,1\n")});
  EXPECT_NE(code, 0);
  EXPECT_EQ(reply["rejected"], 2);
  EXPECT_EQ(reply["errors"], json::parse(R"([
      {"line": 3, "message": "line 3: fte must be within (0, 1] (1 is full time), got 1.5"},
      {"line": 4, "message": "line 4: fte must be within (0, 1] (1 is full time), got 0"}])"));
  EXPECT_EQ(Ok({"org", "show"})["units"].size(), 0u);  // all or nothing
}

class ActualsAsExported : public CsvAsExported {
 protected:
  void SetUp() override {
    ImportOrg(kHrOrg);
    Ok({"metric", "define", "tickets", "--kind", "count", "--direction", "up"});
    Ok({"metric", "define", "csat", "--kind", "ratio", "--direction", "up", "--scale", "100"});
    Ok({"metric", "define", "aht", "--kind", "ratio", "--direction", "down"});
  }

  json Actual(const std::string& unit, const std::string& metric) {
    return Ok({"progress", "--unit", unit, "--metric", metric, "--period", "2026-05"})["actual"];
  }
};

TEST_F(ActualsAsExported, ACountFileNeedsNoDenominatorColumn) {
  const json reply = Ok({"actuals", "import",
                         okrd_.WriteFile("wfm.csv",
                                         "Event_ID,Unit_ID,Metric,Date,Value,Queue\n"
                                         "e1,a1,tickets,2026-05-04,12,billing\n"
                                         "e2,a2,tickets,2026-05-04,5,billing\n")});
  EXPECT_EQ(reply["accepted"], 2);
  EXPECT_EQ(reply["warnings"],
            json::array({"line 1: column 6 'Queue' is not a column of this import; ignored"}));
  EXPECT_EQ(Actual("g1", "tickets"), 17);  // 12 + 5
}

TEST_F(ActualsAsExported, MoreSatisfiedThanResponsesIsRefusedWithLineAndColumn) {
  const std::string file = okrd_.WriteFile("csat.csv",
                                           "event_id,unit_id,metric,date,value,denominator\n"
                                           "c1,a1,csat,2026-05-04,18,20\n"
                                           "c2,a1,csat,2026-05-05,30,20\n"
                                           "c3,a2,csat,2026-05-05,20,20\n"
                                           "h1,a2,aht,2026-05-05,3000,10\n");
  auto [code, reply] = Run({"actuals", "import", file});
  EXPECT_NE(code, 0);
  EXPECT_EQ(reply["accepted"], 0);
  EXPECT_EQ(reply["rejected"], 1);
  EXPECT_EQ(reply["errors"],
            json::array({{{"line", 3},
                          {"message",
                           "line 3: column value: 30 is more than the denominator 20: metric "
                           "'csat' is a percentage (scale 100), so the numerator counts part of "
                           "the denominator"}}}));
  // Nothing was stored.
  EXPECT_EQ(Ok({"progress", "--unit", "g1", "--metric", "csat", "--period", "2026-05"})["events"],
            0);

  // With --skip-invalid the other rows are: g1's CSAT is (18 + 20) / (20 + 20) = 95%; AHT is
  // a ratio but not a percentage, so 3000 handle seconds over 10 tickets is fine: 300 s.
  auto [skip_code, skipped] = Run({"actuals", "import", "--skip-invalid", file});
  EXPECT_EQ(skip_code, 0);
  EXPECT_EQ(skipped["accepted"], 3);
  EXPECT_EQ(skipped["rejected"], 1);
  EXPECT_EQ(Actual("g1", "csat"), 95);
  EXPECT_EQ(Actual("a2", "aht"), 300);
}

}  // namespace
}  // namespace okr::testing
