#include "services/domain/csv.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace okr {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

// What a row or header with text that is not UTF-8 should do about it.
constexpr std::string_view kEncodingHint =
    "save the file as UTF-8, or import it with okrctl --encoding NAME (e.g. GB18030, "
    "windows-1251)";

std::string QuotedList(const std::vector<std::string>& names) {
  return absl::StrJoin(names, ", ", [](std::string* out, const std::string& name) {
    absl::StrAppend(out, "'", name, "'");
  });
}

// "a,b,c" (absl::StrJoin takes no std::string_view in this absl).
std::string CommaList(absl::Span<const std::string_view> names) {
  std::string out;
  for (std::string_view name : names)
    absl::StrAppend(&out, out.empty() ? "" : ",", std::string(name));
  return out;
}

}  // namespace

void CsvReader::Feed(std::string_view chunk, std::vector<CsvRecord>* out) {
  if (!bom_checked_) {
    // The BOM may arrive split over several chunks, so hold the first bytes back until
    // they either complete it or stop matching it.
    const size_t take = std::min(chunk.size(), kBom.size() - bom_prefix_.size());
    bom_prefix_.append(chunk.substr(0, take));
    chunk.remove_prefix(take);
    if (kBom.substr(0, bom_prefix_.size()) == bom_prefix_) {
      if (bom_prefix_.size() < kBom.size()) return;  // the chunk is used up
      bom_prefix_.clear();
      bom_checked_ = true;
    } else {
      bom_checked_ = true;
      std::string pending = std::exchange(bom_prefix_, {});
      for (char c : pending) Consume(c, out);
    }
  }
  for (char c : chunk) Consume(c, out);
}

void CsvReader::Finish(std::vector<CsvRecord>* out) {
  if (!bom_checked_) {
    bom_checked_ = true;
    std::string pending = std::exchange(bom_prefix_, {});
    for (char c : pending) Consume(c, out);
  }
  after_cr_ = false;
  if (!in_record_) return;
  if (state_ == State::kQuoted) {
    // Everything from the opening quote on was swallowed; report where the record began.
    error_ = absl::StrCat("line ", record_line_, ": unterminated quoted field");
    state_ = State::kSkipLine;
  }
  EndRecord(out);
}

void CsvReader::Consume(char c, std::vector<CsvRecord>* out) {
  if (after_cr_) {
    after_cr_ = false;
    if (c == '\n') {
      // The LF of a CRLF: the CR already counted the line (and ended the record).
      if (state_ == State::kQuoted) field_ += c;
      return;
    }
  }
  if (!in_record_) {
    in_record_ = true;
    record_line_ = line_;
  }
  const bool line_break = c == '\n' || c == '\r';
  if (line_break) {
    ++line_;
    after_cr_ = c == '\r';
  }
  switch (state_) {
    case State::kFieldStart:
      if (c == '"') {
        field_quoted_ = true;
        state_ = State::kQuoted;
      } else if (c == ',') {
        EndField();
      } else if (line_break) {
        EndRecord(out);
      } else {
        field_ += c;
        state_ = State::kUnquoted;
      }
      break;
    case State::kUnquoted:
      if (c == ',') {
        EndField();
        state_ = State::kFieldStart;
      } else if (line_break) {
        EndRecord(out);
      } else if (c == '"') {
        Fail("a quote inside an unquoted field (quote the whole field and double the quote)");
      } else {
        field_ += c;
      }
      break;
    case State::kQuoted:
      if (c == '"') {
        state_ = State::kQuoteInQuoted;
      } else {
        field_ += c;
      }
      break;
    case State::kQuoteInQuoted:
      if (c == '"') {
        field_ += '"';
        state_ = State::kQuoted;
      } else if (c == ',') {
        EndField();
        state_ = State::kFieldStart;
      } else if (line_break) {
        EndRecord(out);
      } else {
        Fail("text after the closing quote of a field");
      }
      break;
    case State::kSkipLine:
      if (line_break) EndRecord(out);
      break;
  }
}

void CsvReader::EndField() {
  fields_.push_back(std::move(field_));
  field_.clear();
  field_quoted_ = false;
}

void CsvReader::EndRecord(std::vector<CsvRecord>* out) {
  if (state_ == State::kSkipLine) {
    out->push_back(CsvRecord{record_line_, {}, absl::InvalidArgumentError(error_)});
  } else if (!fields_.empty() || !field_.empty() || field_quoted_) {
    EndField();
    out->push_back(CsvRecord{record_line_, std::move(fields_), absl::OkStatus()});
  }  // else a blank line: skipped
  fields_.clear();
  field_.clear();
  field_quoted_ = false;
  error_.clear();
  state_ = State::kFieldStart;
  in_record_ = false;
}

void CsvReader::Fail(std::string_view what) {
  error_ = absl::StrCat("line ", record_line_, ": ", std::string(what));
  state_ = State::kSkipLine;
}

std::vector<CsvRecord> ParseCsv(std::string_view text) {
  std::vector<CsvRecord> records;
  CsvReader reader;
  reader.Feed(text, &records);
  reader.Finish(&records);
  return records;
}

absl::StatusOr<CsvHeader> CsvHeader::Parse(const CsvRecord& header,
                                           absl::Span<const std::string_view> expected,
                                           absl::Span<const std::string_view> optional) {
  if (!header.status.ok()) return header.status;
  // Column names are quoted in the errors below: they must be UTF-8 to be sent back.
  for (size_t i = 0; i < header.fields.size(); ++i) {
    if (const size_t bad = FindInvalidUtf8(header.fields[i]); bad != std::string::npos) {
      return absl::InvalidArgumentError(absl::StrCat("line ", header.line, ", column ", i + 1, ": ",
                                                     TextProblem(header.fields[i], kIdText), "; ",
                                                     std::string(kEncodingHint)));
    }
  }
  CsvHeader result;
  result.names_.assign(expected.begin(), expected.end());
  result.positions_.assign(expected.size(), kAbsent);
  result.width_ = header.fields.size();
  std::vector<std::string> unknown, duplicate, missing;
  for (size_t i = 0; i < header.fields.size(); ++i) {
    const absl::string_view trimmed = absl::StripAsciiWhitespace(header.fields[i]);
    const std::string_view stripped(trimmed.data(), trimmed.size());
    const std::string name = absl::AsciiStrToLower(trimmed);
    auto it = std::find(expected.begin(), expected.end(), name);
    if (it == expected.end()) {
      // The name goes back to whoever imports: quoted only when it is short, printable text.
      const bool printable = TextProblem(stripped, kIdText).empty();
      unknown.push_back(printable ? std::string(stripped) : absl::StrCat("column ", i + 1));
      result.warnings_.push_back(
          absl::StrCat("line ", header.line, ": column ", i + 1,
                       printable ? absl::StrCat(" '", std::string(stripped), "'") : "",
                       " is not a column of this import; ignored"));
      continue;
    }
    size_t& position = result.positions_[it - expected.begin()];
    if (position != kAbsent) {
      duplicate.emplace_back(name);
    } else {
      position = i;
    }
  }
  for (size_t j = 0; j < expected.size(); ++j) {
    if (result.positions_[j] == kAbsent &&
        std::find(optional.begin(), optional.end(), expected[j]) == optional.end()) {
      missing.emplace_back(expected[j]);
    }
  }
  if (duplicate.empty() && missing.empty()) return result;

  std::vector<std::string> problems;
  if (!missing.empty()) problems.push_back("missing column(s) " + QuotedList(missing));
  // With a column missing, an unknown one is likely its misspelling: name it in the error.
  if (!missing.empty() && !unknown.empty()) {
    problems.push_back("unknown column(s) " + QuotedList(unknown) + " (ignored)");
  }
  if (!duplicate.empty()) problems.push_back("duplicate column(s) " + QuotedList(duplicate));
  std::string want = CommaList(expected);
  if (!optional.empty()) absl::StrAppend(&want, " (optional: ", CommaList(optional), ")");
  return absl::InvalidArgumentError(absl::StrCat(
      "line ", header.line, ": bad header: ", absl::StrJoin(problems, "; "), "; expected ", want));
}

const std::string& CsvHeader::Field(const CsvRecord& record, size_t column) const {
  static const std::string* const kEmpty = new std::string();
  const size_t position = positions_[column];
  return position == kAbsent ? *kEmpty : record.fields[position];
}

absl::Status CsvHeader::CheckWidth(const CsvRecord& record) const {
  if (!record.status.ok()) return record.status;
  if (record.fields.size() == width_) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat("line ", record.line, ": expected ", width_,
                                                 " fields, got ", record.fields.size()));
}

absl::Status CsvHeader::CheckRow(const CsvRecord& record, absl::Span<const TextRule> rules) const {
  if (absl::Status width = CheckWidth(record); !width.ok()) return width;
  std::vector<std::string> problems;
  bool encoding = false;
  for (size_t column = 0; column < positions_.size(); ++column) {
    if (!Has(column)) continue;
    // Rows use their fields without surrounding spaces, so that is the text to check.
    const absl::string_view stripped = absl::StripAsciiWhitespace(Field(record, column));
    const std::string_view field(stripped.data(), stripped.size());
    std::string problem = TextProblem(field, rules[column]);
    if (problem.empty()) continue;
    encoding = encoding || FindInvalidUtf8(field) != std::string::npos;
    problems.push_back(absl::StrCat("column ", names_[column], ": ", problem));
  }
  if (problems.empty()) return absl::OkStatus();
  if (encoding) problems.emplace_back(kEncodingHint);
  return absl::InvalidArgumentError(
      absl::StrCat("line ", record.line, ", ", absl::StrJoin(problems, "; ")));
}

}  // namespace okr
