// CSV as HR and WFM tools export it (issue 19): header names in any ASCII case and with
// spaces around them, columns the import does not know ignored with a warning, optional
// columns left out; and the rules on the values of those files: FTE within (0, 1], a
// percentage's numerator within its denominator. Plus the per-group headcount after an org
// import. Every expected value is worked out by hand in the comments.
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/domain/actual_event.h"
#include "services/domain/csv.h"
#include "services/domain/org_import.h"
#include "services/domain/org_summary.h"

namespace okr {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr std::array<std::string_view, 3> kColumns = {"id", "kind", "name"};
constexpr std::array<std::string_view, 1> kOptional = {"name"};

TEST(CsvHeaderAsExported, NamesIgnoreCaseAndSurroundingSpaces) {
  auto records = ParseCsv(" Name ,ID,kInD\nBob,b1,agent\n");
  auto header = CsvHeader::Parse(records[0], kColumns);
  ASSERT_TRUE(header.ok()) << header.status();
  EXPECT_THAT(header->warnings(), IsEmpty());
  EXPECT_EQ(header->Field(records[1], 0), "b1");
  EXPECT_EQ(header->Field(records[1], 1), "agent");
  EXPECT_EQ(header->Field(records[1], 2), "Bob");
}

TEST(CsvHeaderAsExported, UnknownColumnsAreIgnoredWithAWarning) {
  // Columns 2 and 4 are HR's own; rows must still have all five fields.
  auto records = ParseCsv("id,Department,kind,\xC3\xA9quipe,name\nb1,Sales,agent,Nord,Bob\nb2,x\n");
  auto header = CsvHeader::Parse(records[0], kColumns);
  ASSERT_TRUE(header.ok()) << header.status();
  EXPECT_THAT(header->warnings(),
              ElementsAre("line 1: column 2 'Department' is not a column of this import; ignored",
                          "line 1: column 4 '\xC3\xA9quipe' is not a column of this import; "
                          "ignored"));
  EXPECT_EQ(header->width(), 5u);
  ASSERT_TRUE(header->CheckWidth(records[1]).ok());
  EXPECT_EQ(header->Field(records[1], 1), "agent");
  EXPECT_EQ(header->Field(records[1], 2), "Bob");
  EXPECT_EQ(header->CheckWidth(records[2]).message(), "line 3: expected 5 fields, got 2");
}

TEST(CsvHeaderAsExported, AnIgnoredColumnIsNotChecked) {
  // A control character in HR's own column is no problem of ours; in a known one it is.
  auto records = ParseCsv("id,notes,kind,name\nb1,a\x1B[2Jb,agent,Bob\n");
  auto header = CsvHeader::Parse(records[0], kColumns);
  ASSERT_TRUE(header.ok()) << header.status();
  EXPECT_TRUE(header->CheckRow(records[1], {kIdText, kIdText, kNameText}).ok());
}

TEST(CsvHeaderAsExported, AnOptionalColumnMayBeAbsent) {
  auto records = ParseCsv("kind,id\nagent,b1\n");
  auto header = CsvHeader::Parse(records[0], kColumns, kOptional);
  ASSERT_TRUE(header.ok()) << header.status();
  EXPECT_TRUE(header->Has(0));
  EXPECT_FALSE(header->Has(2));
  EXPECT_EQ(header->width(), 2u);
  ASSERT_TRUE(header->CheckRow(records[1], {kIdText, kIdText, kNameText}).ok());
  EXPECT_EQ(header->Field(records[1], 0), "b1");
  EXPECT_EQ(header->Field(records[1], 2), "");
}

TEST(CsvHeaderAsExported, ARequiredColumnMissingOrAColumnTwiceIsAnError) {
  // 'Kind' and 'KIND' are the same column; 'nam' is probably 'name', so the error names it.
  auto records = ParseCsv("Kind,nam,KIND\n");
  auto header = CsvHeader::Parse(records[0], kColumns, kOptional);
  EXPECT_EQ(header.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(header.status().message(),
            "line 1: bad header: missing column(s) 'id'; unknown column(s) 'nam' (ignored); "
            "duplicate column(s) 'kind'; expected id,kind,name (optional: name)");
}

TEST(CsvHeaderAsExported, AnUnprintableUnknownNameIsNotEchoed) {
  auto records = ParseCsv("id,kind,name,x\x1B[2J\n");
  auto header = CsvHeader::Parse(records[0], kColumns);
  ASSERT_TRUE(header.ok()) << header.status();
  EXPECT_THAT(header->warnings(),
              ElementsAre("line 1: column 4 is not a column of this import; ignored"));
}

TEST(OrgImportAsExported, HrExportWithoutFteOrDates) {
  // Only the required columns, in HR's case and order, plus a cost centre.
  OrgImportPlan plan = PlanOrgImport(
      "NAME,Unit_Id,KIND,Cost Centre,Parent_ID\n"
      "Acme,acme,company,100,\n"
      "Ann,a1,agent,100,acme\n",
      OrgSnapshot());
  EXPECT_THAT(plan.errors, IsEmpty());
  EXPECT_THAT(
      plan.warnings,
      ElementsAre("line 1: column 4 'Cost Centre' is not a column of this import; ignored"));
  ASSERT_EQ(plan.created.size(), 2u);
  EXPECT_EQ(plan.created[1].id, "a1");
  EXPECT_EQ(plan.created[1].fte, 1.0);  // the default
  EXPECT_FALSE(plan.created[1].start_date.has_value());
}

TEST(OrgImportAsExported, FteAboveOneIsRefusedWithItsLine) {
  OrgImportPlan plan = PlanOrgImport(
      "unit_id,parent_id,kind,name,fte\n"
      "acme,,company,Acme,\n"
      "a1,acme,agent,Ann,1.5\n"
      "a2,acme,agent,Bob,1\n",
      OrgSnapshot());
  EXPECT_THAT(plan.errors,
              ElementsAre("line 3: fte must be within (0, 1] (1 is full time), got 1.5"));
  EXPECT_EQ(plan.rejected, 1);
}

TEST(ActualsAsExported, CountFileWithoutDenominator) {
  std::vector<CsvRecord> records =
      ParseCsv("Event_ID,Unit_ID,Metric,Date,Value,Queue\ne1,a1,tickets,2026-03-02,4,billing\n");
  auto header = CsvHeader::Parse(records[0], kActualColumns, kActualOptionalColumns);
  ASSERT_TRUE(header.ok()) << header.status();
  EXPECT_THAT(header->warnings(),
              ElementsAre("line 1: column 6 'Queue' is not a column of this import; ignored"));
  absl::StatusOr<ActualRow> row = ActualRowFromRecord(*header, records[1]);
  ASSERT_TRUE(row.ok()) << row.status();
  EXPECT_EQ(row->event_id, "e1");
  EXPECT_EQ(row->value, "4");
  EXPECT_EQ(row->denominator, "");
}

class PercentageNumerator : public ::testing::Test {
 protected:
  PercentageNumerator() {
    Unit acme;
    acme.id = "acme";
    acme.kind = UnitKind::kCompany;
    Unit a1;
    a1.id = "a1";
    a1.parent_id = "acme";
    org_ = OrgSnapshot({acme, a1});
    csat_.id = "csat";
    csat_.kind = MetricKind::kRatio;
    csat_.scale = 100;
    aht_.id = "aht";  // handle seconds over tickets: a ratio, but not a percentage
    aht_.kind = MetricKind::kRatio;
  }

  absl::StatusOr<ActualEvent> Validate(const ActualRow& row) {
    return ValidateEvent(row, org_, [this](std::string_view id) -> const Metric* {
      return id == "csat" ? &csat_ : id == "aht" ? &aht_ : nullptr;
    });
  }

  OrgSnapshot org_;
  Metric csat_, aht_;
};

TEST_F(PercentageNumerator, MoreSatisfiedThanResponsesIsRefused) {
  absl::StatusOr<ActualEvent> event = Validate({4, "c1", "a1", "csat", "2026-03-02", "30", "20"});
  EXPECT_EQ(event.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(event.status().message(),
            "line 4: column value: 30 is more than the denominator 20: metric 'csat' is a "
            "percentage (scale 100), so the numerator counts part of the denominator");
}

TEST_F(PercentageNumerator, AllSatisfiedIsFine) {
  absl::StatusOr<ActualEvent> event = Validate({4, "c1", "a1", "csat", "2026-03-02", "20", "20"});
  ASSERT_TRUE(event.ok()) << event.status();
  EXPECT_EQ(event->value_micros, 20'000'000);
  // Compared exactly, in millionths: 20.000001 of 20 is over.
  EXPECT_FALSE(Validate({4, "c1", "a1", "csat", "2026-03-02", "20.000001", "20"}).ok());
}

TEST_F(PercentageNumerator, OtherRatiosAreNotBounded) {
  // 3,000 handle seconds over 10 tickets is an AHT of 300 s.
  EXPECT_TRUE(Validate({4, "h1", "a1", "aht", "2026-03-02", "3000", "10"}).ok());
}

TEST(GroupSummary, AgentsActiveOnTheDayAndTheirFte) {
  // acme -> t1 -> g1 {a1 1.0, a2 0.5, a3 0.8 left 03-31, a5 starts 05-01}, g2 {}
  //      -> t2 {a4 0.6, directly below the team}
  auto unit = [](std::string id, std::string parent, UnitKind kind, double fte = 1.0) {
    Unit u;
    u.id = std::move(id);
    u.parent_id = std::move(parent);
    u.kind = kind;
    u.name = "N " + u.id;
    u.fte = fte;
    return u;
  };
  std::vector<Unit> units = {
      unit("acme", "", UnitKind::kCompany),    unit("t1", "acme", UnitKind::kTeam),
      unit("t2", "acme", UnitKind::kTeam),     unit("g1", "t1", UnitKind::kGroup),
      unit("g2", "t1", UnitKind::kGroup),      unit("a1", "g1", UnitKind::kAgent, 1.0),
      unit("a2", "g1", UnitKind::kAgent, 0.5), unit("a3", "g1", UnitKind::kAgent, 0.8),
      unit("a4", "t2", UnitKind::kAgent, 0.6), unit("a5", "g1", UnitKind::kAgent, 1.0)};
  units[7].end_date = Date{2026, 3, 31};
  units[9].start_date = Date{2026, 5, 1};
  const OrgSnapshot org(units);

  // 2026-04-15: g1 has a1 and a2 (a3 has left, a5 not started): 2 agents, 1.5 FTE; g2 none;
  // t2 has a4: 1, 0.6.
  std::vector<GroupHeadcount> groups = SummarizeGroups(org, Date{2026, 4, 15});
  ASSERT_EQ(groups.size(), 3u);
  EXPECT_EQ(groups[0].unit_id, "g1");
  EXPECT_EQ(groups[0].name, "N g1");
  EXPECT_EQ(groups[0].agents, 2);
  EXPECT_EQ(groups[0].fte_micros, 1'500'000);
  EXPECT_EQ(groups[1].unit_id, "g2");
  EXPECT_EQ(groups[1].agents, 0);
  EXPECT_EQ(groups[1].fte_micros, 0);
  EXPECT_EQ(groups[2].unit_id, "t2");
  EXPECT_EQ(groups[2].agents, 1);
  EXPECT_EQ(groups[2].fte_micros, 600'000);

  // 2026-03-31, a3's last day: g1 has a1, a2, a3: 3 agents, 2.3 FTE.
  groups = SummarizeGroups(org, Date{2026, 3, 31});
  EXPECT_EQ(groups[0].agents, 3);
  EXPECT_EQ(groups[0].fte_micros, 2'300'000);
}

TEST(GroupSummary, TenAgentsOfATenthMakeExactlyOne) {
  std::vector<Unit> units(12);
  units[0].id = "acme";
  units[0].kind = UnitKind::kCompany;
  units[1].id = "g";
  units[1].parent_id = "acme";
  units[1].kind = UnitKind::kGroup;
  for (int i = 0; i < 10; ++i) {
    units[2 + i].id = "a" + std::to_string(i);
    units[2 + i].parent_id = "g";
    units[2 + i].fte = 0.1;
  }
  std::vector<GroupHeadcount> groups = SummarizeGroups(OrgSnapshot(units), Date{2026, 1, 1});
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0].agents, 10);
  EXPECT_EQ(groups[0].fte_micros, 1'000'000);
}

}  // namespace
}  // namespace okr
