#include "services/domain/org_import.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace okr {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr char kHeader[] = "unit_id,parent_id,kind,name,fte,start_date,end_date\n";

// Children before parents on purpose: order must not matter.
constexpr char kOrg[] =
    "unit_id,parent_id,kind,name,fte,start_date,end_date\n"  // line 1
    "a1,g1,agent,Ann,,2026-01-01,\n"                         // line 2
    "g1,t1,group,Group 1,,,\n"                               // line 3
    "t1,acme,team,Team 1,,,\n"                               // line 4
    "acme,,company,Acme,,,\n"                                // line 5
    "a2,g1,agent,\"Bob, Jr.\",0.5,2026-02-01,2026-06-30\n";  // line 6

Unit MakeUnit(std::string id, std::string parent_id, UnitKind kind, std::string name) {
  Unit unit;
  unit.id = std::move(id);
  unit.parent_id = std::move(parent_id);
  unit.kind = kind;
  unit.name = std::move(name);
  return unit;
}

OrgRow MakeRow(int line, std::string unit_id, std::string parent_id, std::string kind,
               std::string name) {
  OrgRow row;
  row.line = line;
  row.unit_id = std::move(unit_id);
  row.parent_id = std::move(parent_id);
  row.kind = std::move(kind);
  row.name = std::move(name);
  return row;
}

std::vector<std::string> Ids(const std::vector<Unit>& units) {
  std::vector<std::string> ids;
  for (const Unit& unit : units) ids.push_back(unit.id);
  return ids;
}

OrgSnapshot Imported(const char* text) {
  OrgImportPlan plan = PlanOrgImport(text, OrgSnapshot());
  EXPECT_THAT(plan.errors, IsEmpty());
  return OrgSnapshot(plan.created);
}

// Errors of a file made of kHeader and `rows` (which start on line 2).
std::vector<std::string> Errors(const std::string& rows, const OrgSnapshot& org = {}) {
  return PlanOrgImport(kHeader + rows, org).errors;
}

TEST(UnitIdTest, Slugs) {
  EXPECT_TRUE(IsValidUnitId("a"));
  EXPECT_TRUE(IsValidUnitId("0a"));
  EXPECT_TRUE(IsValidUnitId("team.emea_north-2"));
  EXPECT_TRUE(IsValidUnitId(std::string(64, 'x')));
  EXPECT_FALSE(IsValidUnitId(""));
  EXPECT_FALSE(IsValidUnitId(std::string(65, 'x')));
  EXPECT_FALSE(IsValidUnitId("-a"));
  EXPECT_FALSE(IsValidUnitId("_a"));
  EXPECT_FALSE(IsValidUnitId(".a"));
  EXPECT_FALSE(IsValidUnitId("Team"));
  EXPECT_FALSE(IsValidUnitId("a b"));
  EXPECT_FALSE(IsValidUnitId("a/b"));
  EXPECT_FALSE(IsValidUnitId("caf\xC3\xA9"));
}

TEST(OrgImportTest, CreatesUnitsParentsFirstWhateverTheRowOrder) {
  OrgImportPlan plan = PlanOrgImport(kOrg, OrgSnapshot());
  EXPECT_THAT(plan.errors, IsEmpty());
  EXPECT_EQ(plan.rejected, 0);
  // Depths: acme 0, t1 1, g1 2, a1 and a2 3 (then by line).
  EXPECT_THAT(Ids(plan.created), ElementsAre("acme", "t1", "g1", "a1", "a2"));
  EXPECT_THAT(plan.updated, IsEmpty());
  EXPECT_EQ(plan.unchanged, 0);

  const Unit& a1 = plan.created[3];
  EXPECT_EQ(a1.parent_id, "g1");
  EXPECT_EQ(a1.kind, UnitKind::kAgent);
  EXPECT_EQ(a1.name, "Ann");
  EXPECT_EQ(a1.fte, 1.0);  // empty fte
  EXPECT_EQ(a1.start_date, (Date{2026, 1, 1}));
  EXPECT_EQ(a1.end_date, std::nullopt);
  const Unit& a2 = plan.created[4];
  EXPECT_EQ(a2.name, "Bob, Jr.");
  EXPECT_EQ(a2.fte, 0.5);
  EXPECT_EQ(a2.end_date, (Date{2026, 6, 30}));
  EXPECT_EQ(plan.created[0].parent_id, "");
  EXPECT_EQ(plan.created[0].kind, UnitKind::kCompany);
}

TEST(OrgImportTest, ColumnsInAnyOrderAndSpacesAroundFields) {
  OrgImportPlan plan = PlanOrgImport(
      "name,kind,unit_id,end_date,start_date,fte,parent_id\r\n"
      " Acme ,company, acme ,,,,\r\n"
      "Ann,agent,a1,2026-12-31,2026-01-01, 0.8 ,acme\r\n",
      OrgSnapshot());
  ASSERT_THAT(plan.errors, IsEmpty());
  ASSERT_THAT(Ids(plan.created), ElementsAre("acme", "a1"));
  EXPECT_EQ(plan.created[0].name, "Acme");
  EXPECT_EQ(plan.created[1].parent_id, "acme");
  EXPECT_EQ(plan.created[1].fte, 0.8);
  EXPECT_EQ(plan.created[1].start_date, (Date{2026, 1, 1}));
  EXPECT_EQ(plan.created[1].end_date, (Date{2026, 12, 31}));
}

TEST(OrgImportTest, ReimportingTheSameFileChangesNothing) {
  OrgSnapshot org = Imported(kOrg);
  ASSERT_EQ(org.size(), 5u);
  OrgImportPlan plan = PlanOrgImport(kOrg, org);
  EXPECT_THAT(plan.errors, IsEmpty());
  EXPECT_THAT(plan.created, IsEmpty());
  EXPECT_THAT(plan.updated, IsEmpty());
  EXPECT_EQ(plan.unchanged, 5);
}

TEST(OrgImportTest, DetectsUpdatesAndKeepsUnlistedUnits) {
  OrgSnapshot org = Imported(kOrg);
  // a1 moves to the new group g2; a2 is renamed and goes full time; t1, acme not listed.
  OrgImportPlan plan = PlanOrgImport(std::string(kHeader) +
                                         "a1,g2,agent,Ann,,2026-01-01,\n"
                                         "g2,t1,group,Group 2,,,\n"
                                         "g1,t1,group,Group 1,,,\n"
                                         "a2,g1,agent,Bob,1,2026-02-01,2026-06-30\n",
                                     org);
  ASSERT_THAT(plan.errors, IsEmpty());
  EXPECT_THAT(Ids(plan.created), ElementsAre("g2"));
  ASSERT_THAT(Ids(plan.updated), ElementsAre("a1", "a2"));
  EXPECT_EQ(plan.updated[0].parent_id, "g2");
  EXPECT_EQ(plan.updated[1].name, "Bob");
  EXPECT_EQ(plan.updated[1].fte, 1.0);
  EXPECT_EQ(plan.unchanged, 1);  // g1
}

TEST(OrgImportTest, UpdateKeepsDeactivation) {
  Unit acme = MakeUnit("acme", "", UnitKind::kCompany, "Acme");
  Unit a1 = MakeUnit("a1", "acme", UnitKind::kAgent, "Ann");
  a1.deactivated = true;
  OrgImportPlan plan =
      PlanOrgImport(std::string(kHeader) + "a1,acme,agent,Ann B,,,\n", OrgSnapshot({acme, a1}));
  ASSERT_THAT(plan.errors, IsEmpty());
  ASSERT_EQ(plan.updated.size(), 1u);
  EXPECT_EQ(plan.updated[0].name, "Ann B");
  EXPECT_TRUE(plan.updated[0].deactivated);
}

TEST(OrgImportTest, SeveralCompaniesMayBeRoots) {
  OrgImportPlan plan =
      PlanOrgImport(std::string(kHeader) + "b,,company,B,,,\na,,company,A,,,\n", OrgSnapshot());
  EXPECT_THAT(plan.errors, IsEmpty());
  EXPECT_THAT(Ids(plan.created), ElementsAre("b", "a"));
}

TEST(OrgImportTest, BadUnitId) {
  EXPECT_THAT(Errors("acme,,company,Acme,,,\nTeam-A,acme,team,A,,,\n,acme,team,B,,,\n"),
              ElementsAre("line 3: bad unit_id 'Team-A': expected 1 to 64 lowercase letters, "
                          "digits, '-', '_' or '.', starting with a letter or digit",
                          "line 4: unit_id is empty"));
}

TEST(OrgImportTest, UnknownParent) {
  EXPECT_THAT(Errors("acme,,company,Acme,,,\nt1,nowhere,team,T,,,\n"),
              ElementsAre("line 3: unknown parent_id 'nowhere': not in the file nor in the org"));
}

TEST(OrgImportTest, ParentMayBeAStoredUnit) {
  OrgSnapshot org = Imported(kOrg);
  OrgImportPlan plan = PlanOrgImport(std::string(kHeader) + "a3,g1,agent,Cy,,,\n", org);
  EXPECT_THAT(plan.errors, IsEmpty());
  EXPECT_THAT(Ids(plan.created), ElementsAre("a3"));
}

TEST(OrgImportTest, Cycle) {
  EXPECT_THAT(Errors("c,,company,C,,,\nx,y,team,X,,,\ny,x,team,Y,,,\nz,z,group,Z,,,\n"),
              ElementsAre("line 3: parents form a loop: x -> y -> x",
                          "line 4: parents form a loop: y -> x -> y",
                          "line 5: parents form a loop: z -> z"));
}

TEST(OrgImportTest, CycleThroughAStoredUnit) {
  OrgSnapshot org = Imported(kOrg);  // g1 is below t1
  EXPECT_THAT(Errors("t1,g1,team,Team 1,,,\n", org),
              ElementsAre("line 2: parents form a loop: t1 -> g1 -> t1"));
}

TEST(OrgImportTest, DuplicateId) {
  EXPECT_THAT(Errors("acme,,company,Acme,,,\na1,acme,agent,A,,,\na1,acme,agent,B,,,\n"),
              ElementsAre("line 4: duplicate unit_id 'a1' (first on line 3)"));
}

TEST(OrgImportTest, BadKind) {
  EXPECT_THAT(Errors("acme,,company,Acme,,,\nm1,acme,manager,M,,,\n"),
              ElementsAre("line 3: bad kind 'manager': expected company, team, group or agent"));
}

TEST(OrgImportTest, EmptyName) {
  EXPECT_THAT(Errors("acme,,company,  ,,,\n"), ElementsAre("line 2: name is empty"));
}

TEST(OrgImportTest, Fte) {
  EXPECT_THAT(Errors("acme,,company,Acme,,,\n"
                     "a1,acme,agent,A,0,,\n"
                     "a2,acme,agent,B,-1,,\n"
                     "a3,acme,agent,C,abc,,\n"
                     "a4,acme,agent,D,nan,,\n"
                     "a5,acme,agent,E,inf,,\n"
                     "a6,acme,agent,F,0.25,,\n"
                     "a7,acme,agent,G,1.5x,,\n"
                     "a8,acme,agent,H,1.5,,\n"
                     "a9,acme,agent,I,1,,\n"
                     "a10,acme,agent,J,1.000001,,\n"),
              ElementsAre("line 3: fte must be within (0, 1] (1 is full time), got 0",
                          "line 4: fte must be within (0, 1] (1 is full time), got -1",
                          "line 5: bad fte 'abc': expected a number within (0, 1]",
                          "line 6: bad fte 'nan': expected a number within (0, 1]",
                          "line 7: bad fte 'inf': expected a number within (0, 1]",
                          "line 9: bad fte '1.5x': expected a number within (0, 1]",
                          "line 10: fte must be within (0, 1] (1 is full time), got 1.5",
                          "line 12: fte must be within (0, 1] (1 is full time), got 1.000001"));
}

TEST(OrgImportTest, Dates) {
  EXPECT_THAT(Errors("acme,,company,Acme,,,\n"
                     "a1,acme,agent,A,,2026-02-30,\n"
                     "a2,acme,agent,B,,,2026/01/01\n"
                     "a3,acme,agent,C,,2026-02-01,2026-01-31\n"
                     "a4,acme,agent,D,,2026-02-01,2026-02-01\n"),
              ElementsAre("line 3: start_date: bad date '2026-02-30': no such day in the calendar",
                          "line 4: end_date: bad date '2026/01/01': expected YYYY-MM-DD",
                          "line 5: end_date 2026-01-31 is before start_date 2026-02-01"));
}

TEST(OrgImportTest, AnAgentCannotBeAParent) {
  EXPECT_THAT(Errors("acme,,company,Acme,,,\nb1,a1,agent,B,,,\na1,acme,agent,A,,,\n"),
              ElementsAre("line 3: parent 'a1' is an agent; an agent cannot have children"));
}

TEST(OrgImportTest, AUnitWithStoredChildrenCannotBecomeAnAgent) {
  OrgSnapshot org = Imported(kOrg);  // a1 and a2 are stored below g1
  EXPECT_THAT(Errors("g1,t1,agent,Group 1,,,\n", org),
              ElementsAre("line 2: 'g1' cannot be an agent: units are below it (a1, a2)"));
  // Moving the children away in the same file makes it fine.
  OrgImportPlan plan = PlanOrgImport(std::string(kHeader) +
                                         "g1,t1,agent,G,,,\n"
                                         "a1,t1,agent,Ann,,2026-01-01,\n"
                                         "a2,t1,agent,Bob,,,\n",
                                     org);
  EXPECT_THAT(plan.errors, IsEmpty());
  EXPECT_THAT(Ids(plan.updated), ElementsAre("g1", "a1", "a2"));
}

TEST(OrgImportTest, OnlyACompanyIsARootAndACompanyHasNoParent) {
  EXPECT_THAT(Errors("acme,,company,Acme,,,\nt1,,team,T,,,\nsub,acme,company,Sub,,,\n"),
              ElementsAre("line 3: parent_id is empty: only a company can be a root, not a team",
                          "line 4: a company cannot have a parent (parent_id 'acme')"));
}

TEST(OrgImportTest, EveryErrorOfEveryRowIsReported) {
  OrgImportPlan plan = PlanOrgImport(std::string(kHeader) +
                                         "acme,,company,Acme,,,\n"
                                         "Bad Id,acme,boss,,0,2026-13-01,\n"
                                         "ok1,acme,team,Fine,,,\n"
                                         "a9,ghost,agent,A,,,\n",
                                     OrgSnapshot());
  EXPECT_THAT(
      plan.errors,
      ElementsAre("line 3: bad unit_id 'Bad Id': expected 1 to 64 lowercase letters, digits, "
                  "'-', '_' or '.', starting with a letter or digit",
                  "line 3: bad kind 'boss': expected company, team, group or agent",
                  "line 3: name is empty",
                  "line 3: fte must be within (0, 1] (1 is full time), got 0",
                  "line 3: start_date: bad date '2026-13-01': no such day in the calendar",
                  "line 5: unknown parent_id 'ghost': not in the file nor in the org"));
  EXPECT_EQ(plan.rejected, 2);
  EXPECT_THAT(plan.created, IsEmpty());  // a file with errors applies nothing
  EXPECT_EQ(plan.unchanged, 0);
}

TEST(OrgImportTest, UnitWithDatedMovesKeepsItsParent) {
  Unit acme = MakeUnit("acme", "", UnitKind::kCompany, "Acme");
  Unit g1 = MakeUnit("g1", "acme", UnitKind::kGroup, "G1");
  Unit g2 = MakeUnit("g2", "acme", UnitKind::kGroup, "G2");
  Unit a1 = MakeUnit("a1", "g1", UnitKind::kAgent, "Ann");
  a1.moves.push_back(Move{Date{2026, 4, 1}, "g2"});
  OrgSnapshot org({acme, g1, g2, a1});
  // Stating the current parent (or the first) is a no-op.
  OrgImportPlan plan = PlanOrgImport(std::string(kHeader) + "a1,g2,agent,Ann,,,\n", org);
  EXPECT_THAT(plan.errors, IsEmpty());
  EXPECT_EQ(plan.unchanged, 1);
  plan = PlanOrgImport(std::string(kHeader) + "a1,g1,agent,Ann,,,\n", org);
  EXPECT_EQ(plan.unchanged, 1);
  // A third parent would rewrite history.
  EXPECT_THAT(Errors("a1,acme,agent,Ann,,,\n", org),
              ElementsAre("line 2: 'a1' has dated moves (now below 'g2'); change its parent "
                          "with a move, not an import"));
}

TEST(OrgImportTest, BadHeaderRejectsEveryRow) {
  OrgImportPlan plan = PlanOrgImport(
      "unit_id,parent,kind,name,fte,start_date,end_date\nacme,,company,A,,,\n", OrgSnapshot());
  EXPECT_THAT(plan.errors,
              ElementsAre("line 1: bad header: missing column(s) 'parent_id'; unknown column(s) "
                          "'parent' (ignored); expected unit_id,parent_id,kind,name,fte,start_date,"
                          "end_date (optional: fte,start_date,end_date)"));
  EXPECT_EQ(plan.rejected, 1);
  EXPECT_THAT(plan.created, IsEmpty());
}

TEST(OrgImportTest, WrongFieldCountAndCsvErrorsAreRowErrors) {
  OrgImportPlan plan = PlanOrgImport(std::string(kHeader) +
                                         "acme,,company,Acme,,,\n"
                                         "t1,acme,team,T\n"
                                         "t2,acme,team,\"T\"2,,,\n"
                                         "t3,acme,team,T3,,,\n",
                                     OrgSnapshot());
  EXPECT_THAT(plan.errors, ElementsAre("line 3: expected 7 fields, got 4",
                                       "line 4: text after the closing quote of a field"));
  EXPECT_EQ(plan.rejected, 2);
  EXPECT_THAT(plan.created, IsEmpty());
}

TEST(OrgImportTest, EmptyFileAndHeaderOnly) {
  EXPECT_THAT(PlanOrgImport("", OrgSnapshot()).errors,
              ElementsAre("the file is empty: expected the header row "
                          "unit_id,parent_id,kind,name,fte,start_date,end_date"));
  OrgImportPlan plan = PlanOrgImport(kHeader, OrgSnapshot());
  EXPECT_THAT(plan.errors, IsEmpty());
  EXPECT_THAT(plan.created, IsEmpty());
}

TEST(OrgImportTest, ValidateRowsDirectly) {
  std::vector<OrgRow> rows = {MakeRow(10, "t1", "acme", "team", "T"),
                              MakeRow(11, "acme", "", "company", "Acme")};
  OrgImportPlan plan = ValidateOrgImport(rows, OrgSnapshot());
  EXPECT_THAT(plan.errors, IsEmpty());
  EXPECT_THAT(Ids(plan.created), ElementsAre("acme", "t1"));
}

}  // namespace
}  // namespace okr
