// An RFC 4180 CSV reader for the import files (org, actuals).
//
// Streaming: feed chunks of any size (a chunk may end mid-field, mid-quote or between CR and
// LF) and collect the records they complete, so a large file never has to be in memory at
// once. Each record carries the 1-based line on which it starts, for error messages.
//
// Accepted: a UTF-8 byte order mark at the very start, CRLF, LF or bare CR line ends, quoted
// fields with commas, doubled quotes and line breaks inside, empty fields, a last line with
// or without a line end. Blank lines are skipped. Field text is kept byte for byte (a line
// break inside quotes stays as written).
//
// A malformed record (a quote inside an unquoted field, text after a closing quote) yields a
// record with an error status and no fields; reading resumes at the next line, so an import
// can report every bad line, not just the first. An unterminated quote can only be detected
// at the end of the input.
#ifndef OKR_SERVICES_DOMAIN_CSV_H_
#define OKR_SERVICES_DOMAIN_CSV_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "services/domain/text.h"

namespace okr {

struct CsvRecord {
  int line = 0;  // 1-based line on which the record starts
  std::vector<std::string> fields;
  // InvalidArgument "line N: ..." for a malformed record (then `fields` is empty).
  absl::Status status;
};

class CsvReader {
 public:
  // Consumes `chunk` and appends every record it completes to `out`.
  void Feed(std::string_view chunk, std::vector<CsvRecord>* out);
  // Ends the input: appends the last record when the text did not end with a line break.
  // The reader can not be fed after this.
  void Finish(std::vector<CsvRecord>* out);

 private:
  enum class State { kFieldStart, kUnquoted, kQuoted, kQuoteInQuoted, kSkipLine };

  void Consume(char c, std::vector<CsvRecord>* out);
  void EndField();
  void EndRecord(std::vector<CsvRecord>* out);
  void Fail(std::string_view what);

  State state_ = State::kFieldStart;
  bool bom_checked_ = false;
  std::string bom_prefix_;  // the first bytes of the input while they may still be a BOM
  bool after_cr_ = false;   // the previous byte was CR: a following LF belongs to it
  bool in_record_ = false;
  int line_ = 1;  // the line of the next byte
  int record_line_ = 1;
  bool field_quoted_ = false;
  std::string field_;
  std::vector<std::string> fields_;
  std::string error_;  // the error of the record being skipped
};

// Reads a whole text at once.
std::vector<CsvRecord> ParseCsv(std::string_view text);

// The header row of an import file: which position holds each expected column. Files come
// from HR and WFM exports, so the header is read leniently: names are matched without regard
// to ASCII case or surrounding spaces ("Unit_ID " is unit_id), columns may come in any order,
// a column the import does not know is ignored with a warning, and a column listed in
// `optional` may be absent (its fields then read as empty). A required column that is missing,
// or a column given twice, is an error.
class CsvHeader {
 public:
  // `header` is the first record of the file; `optional` is a subset of `expected`. Errors
  // name every missing and duplicate column (and, to point at a misspelt name, the unknown
  // ones): "line 1: bad header: missing column(s) 'fte'; unknown column(s) 'ftee' (ignored);
  // expected unit_id,... (fte optional)", or a column name that is not UTF-8: "line 1, column
  // 4: not valid UTF-8 (byte 0xC3 at offset 2); ...".
  static absl::StatusOr<CsvHeader> Parse(const CsvRecord& header,
                                         absl::Span<const std::string_view> expected,
                                         absl::Span<const std::string_view> optional = {});

  // One line per ignored column: "line 1: column 5 'Department' is not a column of this
  // import; ignored".
  const std::vector<std::string>& warnings() const { return warnings_; }

  // OK when `record` has one field per column of the header row, else
  // "line 7: expected 7 fields, got 5".
  absl::Status CheckWidth(const CsvRecord& record) const;

  // CheckWidth, then every field of an expected column (surrounding spaces removed) against
  // the text rule of its column (`rules[column]`, one per expected column): "line 3, column
  // name: not valid UTF-8 (byte 0xD5 at offset 0); save the file as UTF-8, ...". Every bad
  // column of the row is named. Ignored columns are not looked at.
  absl::Status CheckRow(const CsvRecord& record, absl::Span<const TextRule> rules) const;

  // The field of `record` for `expected[column]`, "" when the file has no such column;
  // `record` must have passed CheckWidth.
  const std::string& Field(const CsvRecord& record, size_t column) const;

  // Whether the file has the column `expected[column]`.
  bool Has(size_t column) const { return positions_[column] != kAbsent; }

  // The number of fields of the header row, which every row must have.
  size_t width() const { return width_; }

 private:
  static constexpr size_t kAbsent = static_cast<size_t>(-1);

  std::vector<size_t> positions_;   // expected column -> position in the file, or kAbsent
  std::vector<std::string> names_;  // expected column -> its name
  size_t width_ = 0;
  std::vector<std::string> warnings_;
};

}  // namespace okr

#endif  // OKR_SERVICES_DOMAIN_CSV_H_
