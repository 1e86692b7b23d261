// The CSV readers: CsvReader fed in chunks the input chooses, then the actuals and org row
// parsers and the whole org-import planner over what it read.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "services/domain/actual_event.h"
#include "services/domain/csv.h"
#include "services/domain/org_import.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  // First byte: the chunk size (1..256), so that record and quote boundaries fall anywhere.
  const size_t chunk = 1 + data[0];
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  okr::CsvReader reader;
  std::vector<okr::CsvRecord> records;
  for (size_t i = 0; i < text.size(); i += chunk) reader.Feed(text.substr(i, chunk), &records);
  reader.Finish(&records);
  // The same text in one piece reads the same records.
  okr::CsvReader whole;
  std::vector<okr::CsvRecord> again;
  whole.Feed(text, &again);
  whole.Finish(&again);
  if (again.size() != records.size()) __builtin_trap();
  for (size_t i = 0; i < records.size(); ++i) {
    if (again[i].fields != records[i].fields || again[i].line != records[i].line) __builtin_trap();
  }
  if (!records.empty()) {
    auto header =
        okr::CsvHeader::Parse(records.front(), okr::kActualColumns, okr::kActualOptionalColumns);
    if (header.ok()) {
      for (size_t i = 1; i < records.size(); ++i) {
        if (records[i].status.ok()) okr::ActualRowFromRecord(*header, records[i]).IgnoreError();
      }
    }
  }
  okr::OrgSnapshot empty(std::vector<okr::Unit>{});
  okr::PlanOrgImport(text, empty);
  return 0;
}
