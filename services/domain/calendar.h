// Calendar arithmetic for the plan: civil dates, months of a year and reporting periods.
//
// Dates are proleptic Gregorian days; all arithmetic goes through a day number (days since
// 1970-01-01) so that ranges and overlaps are plain integer comparisons.
#ifndef OKR_SERVICES_DOMAIN_CALENDAR_H_
#define OKR_SERVICES_DOMAIN_CALENDAR_H_

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/statusor.h"

namespace okr {

struct Date {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..DaysInMonth

  // Days since 1970-01-01 (negative before).
  int DayNumber() const;
  static Date FromDayNumber(int days);
  // Parses exactly "YYYY-MM-DD" with a real calendar date, years 1900..9999.
  static absl::StatusOr<Date> Parse(std::string_view text);
  std::string ToString() const;  // "YYYY-MM-DD"

  friend auto operator<=>(const Date&, const Date&) = default;
  friend bool operator==(const Date&, const Date&) = default;
};

bool IsLeapYear(int year);
int DaysInMonth(int year, int month);
int DaysInYear(int year);

// "YYYY-MM": the one way a month is written, in keys, replies and pages alike.
std::string MonthText(int year, int month);
// The month before (year, month): (2026, 1) -> (2025, 12).
std::pair<int, int> PreviousMonth(int year, int month);

// An instant as RFC 3339 UTC to the second: "2026-11-28T03:20:53Z".
std::string FormatTime(int64_t unix_seconds);

// The years a date, a period or a plan may name: four digits, from 1900.
inline constexpr int kFirstYear = 1900;
inline constexpr int kLastYear = 9999;
inline bool IsCalendarYear(int year) { return year >= kFirstYear && year <= kLastYear; }
// InvalidArgument "bad year 12: expected 1900..9999" outside them.
absl::Status CheckYear(int year);

// The inclusive overlap, in days, of [a_first, a_last] with [b_first, b_last]; 0 if disjoint.
int OverlapDays(const Date& a_first, const Date& a_last, const Date& b_first, const Date& b_last);

// A reporting period: a whole year, a quarter or a month.
struct Period {
  enum class Kind { kYear, kQuarter, kMonth };
  Kind kind = Kind::kYear;
  int year = 0;
  int index = 0;  // quarter 1..4 or month 1..12; 0 for a year

  // Parses "YYYY", "YYYY-Qn" or "YYYY-MM".
  static absl::StatusOr<Period> Parse(std::string_view text);
  std::string ToString() const;
  int FirstMonth() const;  // 1..12
  int LastMonth() const;   // 1..12
  Date FirstDay() const;
  Date LastDay() const;
};

// Parses "YYYY-MM" into {year, month}.
absl::StatusOr<std::pair<int, int>> ParseYearMonth(std::string_view text);

}  // namespace okr

#endif  // OKR_SERVICES_DOMAIN_CALENDAR_H_
