#include "services/domain/actual_event.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace okr {
namespace {

constexpr int kMaxExponent = 100000;  // far beyond any representable value either way

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

std::string Quoted(std::string_view text) { return "'" + std::string(text) + "'"; }

// Where an agent works, for "not active" messages.
std::string ActiveRange(const Unit& unit) {
  if (unit.deactivated) return "deactivated";
  if (unit.start_date && unit.end_date) {
    return absl::StrCat("active ", unit.start_date->ToString(), " to ", unit.end_date->ToString());
  }
  if (unit.start_date) return "active from " + unit.start_date->ToString();
  if (unit.end_date) return "active until " + unit.end_date->ToString();
  return "always active";
}

}  // namespace

absl::StatusOr<int64_t> ParseMicros(std::string_view text) {
  auto not_a_number = [&] { return absl::InvalidArgumentError(Quoted(text) + " is not a number"); };
  size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) negative = text[i++] == '-';
  // The number is digits x 10^exponent, digits without leading zeros.
  std::string digits;
  int exponent = 0;
  bool any_digit = false, seen_point = false;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (IsDigit(c)) {
      any_digit = true;
      if (!digits.empty() || c != '0') digits += c;
      if (seen_point) --exponent;
    } else if (c == '.' && !seen_point) {
      seen_point = true;
    } else {
      break;
    }
  }
  if (!any_digit) return not_a_number();
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool exponent_negative = false;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
      exponent_negative = text[i++] == '-';
    }
    if (i == text.size()) return not_a_number();
    int value = 0;
    for (; i < text.size() && IsDigit(text[i]); ++i) {
      value = std::min(kMaxExponent, value * 10 + (text[i] - '0'));
    }
    exponent += exponent_negative ? -value : value;
  }
  if (i != text.size()) return not_a_number();
  if (digits.empty()) return 0;

  // micros = digits x 10^(exponent + 6): append zeros or drop digits, rounding.
  const int shift = exponent + 6;
  bool round_up = false;
  if (shift >= 0) {
    if (digits.size() + shift > 19) {
      return absl::InvalidArgumentError(Quoted(text) + " is out of range: magnitude above 1e12");
    }
    digits.append(shift, '0');
  } else {
    const size_t drop = static_cast<size_t>(-static_cast<int64_t>(shift));
    if (drop > digits.size()) return 0;
    round_up = digits[digits.size() - drop] >= '5';
    digits.resize(digits.size() - drop);
    if (digits.size() > 19) {
      return absl::InvalidArgumentError(Quoted(text) + " is out of range: magnitude above 1e12");
    }
  }
  uint64_t magnitude = 0;
  for (char c : digits) magnitude = magnitude * 10 + static_cast<uint64_t>(c - '0');
  magnitude += round_up ? 1 : 0;
  if (magnitude > static_cast<uint64_t>(kMaxAbsMicros)) {
    return absl::InvalidArgumentError(Quoted(text) + " is out of range: magnitude above 1e12");
  }
  const auto micros = static_cast<int64_t>(magnitude);
  return negative ? -micros : micros;
}

std::string FormatMicros(int64_t micros) {
  // |micros| <= kMaxAbsMicros in practice; uint64 keeps even INT64_MIN exact.
  const uint64_t magnitude =
      micros < 0 ? 0 - static_cast<uint64_t>(micros) : static_cast<uint64_t>(micros);
  std::string text = absl::StrCat(micros < 0 ? "-" : "", magnitude / kMicrosPerUnit);
  uint64_t fraction = magnitude % kMicrosPerUnit;
  if (fraction != 0) {
    std::string digits = std::to_string(fraction + kMicrosPerUnit).substr(1);  // 6 digits
    digits.erase(digits.find_last_not_of('0') + 1);
    absl::StrAppend(&text, ".", digits);
  }
  return text;
}

absl::StatusOr<ActualRow> ActualRowFromRecord(const CsvHeader& header, const CsvRecord& record) {
  if (absl::Status s = header.CheckRow(record, kActualColumnText); !s.ok()) return s;
  ActualRow row;
  row.line = record.line;
  std::string* fields[] = {&row.event_id, &row.unit_id, &row.metric,
                           &row.date,     &row.value,   &row.denominator};
  for (size_t i = 0; i < kActualColumns.size(); ++i) {
    *fields[i] = std::string(absl::StripAsciiWhitespace(header.Field(record, i)));
  }
  return row;
}

absl::StatusOr<ActualEvent> ValidateEvent(const ActualRow& row, const OrgSnapshot& org,
                                          MetricLookup metrics) {
  std::vector<std::string> problems;
  auto refuse = [&] {
    std::string message = absl::StrJoin(problems, "; ");
    if (row.line > 0) message = absl::StrCat("line ", row.line, ": ", message);
    return absl::InvalidArgumentError(message);
  };
  // The text first: the checks below quote these fields.
  const std::pair<std::string_view, const std::string*> texts[] = {
      {"event_id", &row.event_id}, {"unit_id", &row.unit_id}, {"metric", &row.metric}};
  for (const auto& [field, value] : texts) {
    if (absl::Status s = CheckText(field, *value, kIdText); !s.ok()) {
      problems.emplace_back(s.message());
    }
  }
  if (!problems.empty()) return refuse();

  ActualEvent event;
  event.event_id = row.event_id;
  event.unit_id = row.unit_id;
  event.metric_id = row.metric;

  if (row.event_id.empty()) problems.push_back("event_id is empty");

  absl::StatusOr<Date> date = Date::Parse(row.date);
  if (date.ok()) {
    event.date = *date;
  } else {
    problems.emplace_back(date.status().message());
  }

  const Unit* unit = org.Find(row.unit_id);
  if (unit == nullptr) {
    problems.push_back("unknown unit " + Quoted(row.unit_id));
  } else if (unit->kind != UnitKind::kAgent) {
    problems.push_back(absl::StrCat("unit ", Quoted(row.unit_id), " is a ",
                                    std::string(UnitKindName(unit->kind)),
                                    ", not an agent: actuals are recorded per agent"));
  } else if (date.ok() && !unit->ActiveOn(*date)) {
    problems.push_back(absl::StrCat("agent ", Quoted(row.unit_id), " is not active on ",
                                    date->ToString(), " (", ActiveRange(*unit), ")"));
  }

  const Metric* metric = metrics(row.metric);
  if (metric == nullptr) problems.push_back("unknown metric " + Quoted(row.metric));

  if (row.value.empty()) {
    problems.push_back("value is empty");
  } else if (absl::StatusOr<int64_t> value = ParseMicros(row.value); !value.ok()) {
    problems.push_back(absl::StrCat("bad value: ", value.status().message()));
  } else if (*value < 0) {
    problems.push_back("value must be >= 0, got " + row.value);
  } else {
    event.value_micros = *value;
  }

  if (metric != nullptr && metric->kind == MetricKind::kCount) {
    if (!row.denominator.empty()) {
      problems.push_back(absl::StrCat("metric ", Quoted(row.metric),
                                      " is a count: denominator must be empty, got ",
                                      Quoted(row.denominator)));
    }
  } else if (row.denominator.empty()) {
    // An unknown metric is reported above; only a ratio needs the denominator.
    if (metric != nullptr) {
      problems.push_back(absl::StrCat("metric ", Quoted(row.metric),
                                      " is a ratio: denominator is required and must be > 0"));
    }
  } else if (absl::StatusOr<int64_t> denominator = ParseMicros(row.denominator);
             !denominator.ok()) {
    problems.push_back(absl::StrCat("bad denominator: ", denominator.status().message()));
  } else if (*denominator <= 0) {
    // Also a positive denominator below half a millionth: it would divide by zero.
    problems.push_back("denominator must be > 0, got " + row.denominator);
  } else {
    event.denominator_micros = *denominator;
    if (metric != nullptr && IsPercentage(*metric) && event.value_micros > *denominator) {
      problems.push_back(absl::StrCat(
          "column value: ", row.value, " is more than the denominator ", row.denominator,
          ": metric ", Quoted(row.metric),
          " is a percentage (scale 100), so the numerator counts part of the denominator"));
    }
  }

  if (problems.empty()) return event;
  return refuse();
}

absl::Status CheckNotAfterToday(const ActualEvent& event, int line, const Date& today,
                                std::string_view zone_name) {
  if (event.date <= today) return absl::OkStatus();
  std::string message =
      absl::StrCat("date ", event.date.ToString(), " is after today (", today.ToString(), " in ",
                   std::string(zone_name), "); actuals are for days that have begun");
  if (line > 0) message = absl::StrCat("line ", line, ": ", message);
  return absl::InvalidArgumentError(message);
}

}  // namespace okr
