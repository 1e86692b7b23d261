// Actuals: one event per agent, metric and day, as ingested by `okrctl actuals import`.
//
// Values are stored as int64 millionths ("micros"): sums of many events must be exact and
// independent of the order they arrive in, which binary floating point cannot promise.
// Text is converted digit by digit (never through a double), rounding half away from zero
// at the sixth decimal.
#ifndef OKR_SERVICES_DOMAIN_ACTUAL_EVENT_H_
#define OKR_SERVICES_DOMAIN_ACTUAL_EVENT_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "services/domain/calendar.h"
#include "services/domain/csv.h"
#include "services/domain/metric.h"
#include "services/domain/org.h"
#include "services/domain/text.h"

namespace okr {

// The columns of an actuals import file, in their documented order.
inline constexpr std::array<std::string_view, 6> kActualColumns = {
    "event_id", "unit_id", "metric", "date", "value", "denominator"};
// A file of count metrics needs no denominator column.
inline constexpr std::array<std::string_view, 1> kActualOptionalColumns = {"denominator"};
// Every column is single-line text of at most kMaxIdBytes (services/domain/text.h).
inline constexpr std::array<TextRule, 6> kActualColumnText = {kIdText, kIdText, kIdText,
                                                              kIdText, kIdText, kIdText};

inline constexpr int64_t kMicrosPerUnit = 1'000'000;
// The largest magnitude one value may have, in micros (1e12 units). This bounds a single
// event only; it does not make sums safe: sums are int64 micros too (at most INT64_MAX =
// 9,223,372,036,854.775807 units), so nine events at this limit nearly fill one. The bound
// that matters is per sum: okrd refuses, with OUT_OF_RANGE, an event that would take any
// unit's total for a metric and calendar year past INT64_MAX micros (rollup_limits.h).
inline constexpr int64_t kMaxAbsMicros = 1'000'000'000'000 * kMicrosPerUnit;

// One data row, fields as text (surrounding spaces removed).
struct ActualRow {
  int line = 0;  // 0 when the event did not come from a file
  std::string event_id, unit_id, metric, date, value, denominator;
};

struct ActualEvent {
  std::string event_id, unit_id, metric_id;
  Date date;
  int64_t value_micros = 0;
  int64_t denominator_micros = 0;  // 0 for a count metric

  friend bool operator==(const ActualEvent&, const ActualEvent&) = default;
};

// Parses a decimal number ("12", "-0.25", ".5", "1.5e3") into micros, rounded half away
// from zero. InvalidArgument for anything else (including nan and inf) and for a magnitude
// above 1e12.
absl::StatusOr<int64_t> ParseMicros(std::string_view text);

// The shortest decimal text of `micros` / 1e6: "12", "0.5", "-3.000001".
std::string FormatMicros(int64_t micros);

// Finds a metric by id; nullptr when there is none.
using MetricLookup = absl::FunctionRef<const Metric*(std::string_view metric_id)>;

// The row of `record`, whose width and text `header` checks ("line 7: expected 6 fields, got
// 5", "line 4, column event_id: not valid UTF-8 (byte 0xFF at offset 2); ...").
absl::StatusOr<ActualRow> ActualRowFromRecord(const CsvHeader& header, const CsvRecord& record);

// Checks one event: event_id, unit_id and metric single-line UTF-8 of at most 128 bytes
// (events sent over the API do not pass CheckRow), event_id not empty; the unit an agent active on
// the date; the metric known; the date real; the value a number >= 0; a ratio's
// denominator a number > 0, a count's denominator empty. The error (InvalidArgument) lists
// every problem of the row: "line 5: unknown unit 'x'; value must be >= 0, got -1".
absl::StatusOr<ActualEvent> ValidateEvent(const ActualRow& row, const OrgSnapshot& org,
                                          MetricLookup metrics);

// PRODUCT.md "Limits": an actual dated after today is refused (a day that has not begun has
// no data). `today` is the server's date in its time zone, named `zone_name` in the message;
// `line` is the row's line (0: none). InvalidArgument: "line 5: date 2026-05-01 is after
// today (2026-04-30 in UTC); actuals are for days that have begun".
absl::Status CheckNotAfterToday(const ActualEvent& event, int line, const Date& today,
                                std::string_view zone_name);

}  // namespace okr

#endif  // OKR_SERVICES_DOMAIN_ACTUAL_EVENT_H_
