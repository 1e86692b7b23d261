// Validation of `okrctl org import FILE.csv` against the org as it is.
//
// The file lists units (`unit_id,parent_id,kind,name,fte,start_date,end_date`) in any order,
// children before parents included. The header is read as CsvHeader reads it (any order, any
// ASCII case, unknown columns ignored with a warning); fte, start_date and end_date are
// optional columns (absent: every row's field is empty). The result is either every
// problem of every row, each "line N: ...", or the units to create and update. A row equal
// to the stored unit is unchanged, so importing the same file twice changes nothing.
//
// Rules checked, on the org as it would be after the import (file rows replace the stored
// units with the same id):
//  - unit_id is a slug: 1..64 of [a-z0-9._-], starting with a letter or digit; no id twice;
//  - every field is UTF-8 without control characters, the name at most 256 bytes, the others
//    at most 128 (services/domain/text.h), checked first: "line 3, column name: ...";
//  - kind is company, team, group or agent; name is not empty;
//  - fte: empty means 1.0, otherwise a number within (0, 1] (PRODUCT.md "Limits": a person
//    works at most full time);
//  - start_date and end_date: empty or a real YYYY-MM-DD, end not before start;
//  - only a company has an empty parent_id (several roots are fine), and a company has none;
//  - the parent exists (in the file or stored), is not an agent, and parents do not loop;
//  - a unit with dated moves keeps its parent (change it with a move, not an import).
#ifndef OKR_SERVICES_DOMAIN_ORG_IMPORT_H_
#define OKR_SERVICES_DOMAIN_ORG_IMPORT_H_

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "services/domain/csv.h"
#include "services/domain/org.h"
#include "services/domain/text.h"

namespace okr {

// The columns of an org import file, in their documented order.
inline constexpr std::array<std::string_view, 7> kOrgImportColumns = {
    "unit_id", "parent_id", "kind", "name", "fte", "start_date", "end_date"};
// The columns a file may leave out.
inline constexpr std::array<std::string_view, 3> kOrgImportOptionalColumns = {"fte", "start_date",
                                                                              "end_date"};
// The text rule of each column (services/domain/text.h): the name is a name, the rest ids.
inline constexpr std::array<TextRule, 7> kOrgImportColumnText = {
    kIdText, kIdText, kIdText, kNameText, kIdText, kIdText, kIdText};

// One data row, fields as text (surrounding spaces removed).
struct OrgRow {
  int line = 0;
  std::string unit_id, parent_id, kind, name, fte, start_date, end_date;
};

struct OrgImportPlan {
  // "line N: ...", ordered by line. When not empty, the file must not be applied and
  // `created` and `updated` are empty.
  std::vector<std::string> errors;
  int rejected = 0;  // rows with at least one error
  // New units, parents before children.
  std::vector<Unit> created;
  // Changed units as they will be: the row's fields over the stored unit (dated moves and
  // deactivation are kept).
  std::vector<Unit> updated;
  int unchanged = 0;
  // Not errors: the header's ignored columns ("line 1: column 8 'Department' is not a column of
  // this import; ignored").
  std::vector<std::string> warnings;
};

// True for a valid unit id: 1..64 of lowercase letters, digits, '-', '_', '.', starting
// with a letter or a digit.
bool IsValidUnitId(std::string_view id);

// The row of `record`, whose width and text `header` checks ("line 7: expected 7 fields, got
// 5", "line 3, column name: not valid UTF-8 (byte 0xD5 at offset 0); ...").
absl::StatusOr<OrgRow> OrgRowFromRecord(const CsvHeader& header, const CsvRecord& record);

// Checks the rows against each other and against `existing`, and sorts them into
// created, updated and unchanged. Every error is reported, not just the first.
OrgImportPlan ValidateOrgImport(absl::Span<const OrgRow> rows, const OrgSnapshot& existing);

// A whole file: CSV syntax, the header (kOrgImportColumns, the optional ones may be absent,
// others are ignored with a warning), each row's width, then ValidateOrgImport.
OrgImportPlan PlanOrgImport(std::string_view csv_text, const OrgSnapshot& existing);

}  // namespace okr

#endif  // OKR_SERVICES_DOMAIN_ORG_IMPORT_H_
