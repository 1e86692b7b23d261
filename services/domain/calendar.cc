#include "services/domain/calendar.h"

#include <algorithm>
#include <charconv>
#include <cstdio>

#include "absl/status/status.h"

namespace okr {
namespace {

// Howard Hinnant's days_from_civil / civil_from_days.
int DaysFromCivil(int y, int m, int d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int>(doe) - 719468;
}

bool ParseDigits(std::string_view text, int* out) {
  if (text.empty()) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && ptr == text.data() + text.size();
}

}  // namespace

bool IsLeapYear(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && IsLeapYear(year)) return 29;
  return kDays[month - 1];
}

int DaysInYear(int year) { return IsLeapYear(year) ? 366 : 365; }

int Date::DayNumber() const { return DaysFromCivil(year, month, day); }

Date Date::FromDayNumber(int z) {
  z += 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int y = static_cast<int>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return Date{y + (m <= 2), static_cast<int>(m), static_cast<int>(d)};
}

absl::StatusOr<Date> Date::Parse(std::string_view text) {
  Date date;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' ||
      !ParseDigits(text.substr(0, 4), &date.year) || !ParseDigits(text.substr(5, 2), &date.month) ||
      !ParseDigits(text.substr(8, 2), &date.day)) {
    return absl::InvalidArgumentError("bad date '" + std::string(text) + "': expected YYYY-MM-DD");
  }
  if (date.year < 1900 || date.year > 9999 || date.month < 1 || date.month > 12 || date.day < 1 ||
      date.day > DaysInMonth(date.year, date.month)) {
    return absl::InvalidArgumentError("bad date '" + std::string(text) +
                                      "': no such day in the calendar");
  }
  return date;
}

std::string Date::ToString() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
  return buf;
}

int OverlapDays(const Date& a_first, const Date& a_last, const Date& b_first, const Date& b_last) {
  const int first = std::max(a_first.DayNumber(), b_first.DayNumber());
  const int last = std::min(a_last.DayNumber(), b_last.DayNumber());
  return last < first ? 0 : last - first + 1;
}

absl::StatusOr<std::pair<int, int>> ParseYearMonth(std::string_view text) {
  int year = 0, month = 0;
  if (text.size() != 7 || text[4] != '-' || !ParseDigits(text.substr(0, 4), &year) ||
      !ParseDigits(text.substr(5, 2), &month) || month < 1 || month > 12 || year < 1900) {
    return absl::InvalidArgumentError("bad month '" + std::string(text) + "': expected YYYY-MM");
  }
  return std::make_pair(year, month);
}

absl::StatusOr<Period> Period::Parse(std::string_view text) {
  Period p;
  if (text.size() == 4 && ParseDigits(text, &p.year) && p.year >= 1900) {
    p.kind = Kind::kYear;
    return p;
  }
  if (text.size() == 7 && text[4] == '-' && (text[5] == 'Q' || text[5] == 'q') &&
      ParseDigits(text.substr(0, 4), &p.year) && ParseDigits(text.substr(6, 1), &p.index) &&
      p.index >= 1 && p.index <= 4 && p.year >= 1900) {
    p.kind = Kind::kQuarter;
    return p;
  }
  auto ym = ParseYearMonth(text);
  if (ym.ok()) {
    p.kind = Kind::kMonth;
    p.year = ym->first;
    p.index = ym->second;
    return p;
  }
  return absl::InvalidArgumentError("bad period '" + std::string(text) +
                                    "': expected YYYY, YYYY-Qn or YYYY-MM");
}

std::string Period::ToString() const {
  char buf[16];
  switch (kind) {
    case Kind::kYear:
      std::snprintf(buf, sizeof buf, "%04d", year);
      break;
    case Kind::kQuarter:
      std::snprintf(buf, sizeof buf, "%04d-Q%d", year, index);
      break;
    case Kind::kMonth:
      std::snprintf(buf, sizeof buf, "%04d-%02d", year, index);
      break;
  }
  return buf;
}

int Period::FirstMonth() const {
  switch (kind) {
    case Kind::kYear:
      return 1;
    case Kind::kQuarter:
      return (index - 1) * 3 + 1;
    case Kind::kMonth:
      return index;
  }
  return 1;
}

int Period::LastMonth() const {
  switch (kind) {
    case Kind::kYear:
      return 12;
    case Kind::kQuarter:
      return index * 3;
    case Kind::kMonth:
      return index;
  }
  return 12;
}

Date Period::FirstDay() const { return Date{year, FirstMonth(), 1}; }
Date Period::LastDay() const { return Date{year, LastMonth(), DaysInMonth(year, LastMonth())}; }

}  // namespace okr
