#include "services/domain/calendar.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>

#include "absl/status/status.h"

namespace okr {
namespace {

namespace chrono = std::chrono;

chrono::year_month_day Civil(const Date& date) {
  return chrono::year{date.year} / chrono::month{static_cast<unsigned>(date.month)} /
         chrono::day{static_cast<unsigned>(date.day)};
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

bool IsLeapYear(int year) { return chrono::year{year}.is_leap(); }

int DaysInMonth(int year, int month) {
  const auto last = chrono::year{year} / chrono::month{static_cast<unsigned>(month)} / chrono::last;
  return static_cast<int>(static_cast<unsigned>(last.day()));
}

int DaysInYear(int year) { return IsLeapYear(year) ? 366 : 365; }

// Day numbers are days since 1970-01-01, chrono's sys_days epoch.
int Date::DayNumber() const {
  return static_cast<int>(chrono::sys_days{Civil(*this)}.time_since_epoch().count());
}

Date Date::FromDayNumber(int days) {
  const chrono::year_month_day ymd{chrono::sys_days{chrono::days{days}}};
  return Date{static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
              static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

absl::Status CheckYear(int year) {
  if (IsCalendarYear(year)) return absl::OkStatus();
  return absl::InvalidArgumentError("bad year " + std::to_string(year) + ": expected " +
                                    std::to_string(kFirstYear) + ".." + std::to_string(kLastYear));
}

std::string FormatTime(int64_t unix_seconds) {
  const chrono::sys_seconds instant{chrono::seconds{unix_seconds}};
  const chrono::sys_days day = chrono::floor<chrono::days>(instant);
  const Date date = Date::FromDayNumber(static_cast<int>(day.time_since_epoch().count()));
  const chrono::hh_mm_ss time{instant - day};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", date.year, date.month, date.day,
                static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()),
                static_cast<int>(time.seconds().count()));
  return buf;
}

std::string MonthText(int year, int month) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d", year, month);
  return buf;
}

std::pair<int, int> PreviousMonth(int year, int month) {
  const chrono::year_month before =
      chrono::year{year} / chrono::month{static_cast<unsigned>(month)} - chrono::months{1};
  return {static_cast<int>(before.year()), static_cast<int>(static_cast<unsigned>(before.month()))};
}

absl::StatusOr<Date> Date::Parse(std::string_view text) {
  Date date;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' ||
      !ParseDigits(text.substr(0, 4), &date.year) || !ParseDigits(text.substr(5, 2), &date.month) ||
      !ParseDigits(text.substr(8, 2), &date.day)) {
    return absl::InvalidArgumentError("bad date '" + std::string(text) + "': expected YYYY-MM-DD");
  }
  if (!IsCalendarYear(date.year) || date.month < 1 || date.month > 12 || date.day < 1 ||
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
      !ParseDigits(text.substr(5, 2), &month) || month < 1 || month > 12 || !IsCalendarYear(year)) {
    return absl::InvalidArgumentError("bad month '" + std::string(text) + "': expected YYYY-MM");
  }
  return std::make_pair(year, month);
}

absl::StatusOr<Period> Period::Parse(std::string_view text) {
  Period p;
  if (text.size() == 4 && ParseDigits(text, &p.year) && IsCalendarYear(p.year)) {
    p.kind = Kind::kYear;
    return p;
  }
  if (text.size() == 7 && text[4] == '-' && (text[5] == 'Q' || text[5] == 'q') &&
      ParseDigits(text.substr(0, 4), &p.year) && ParseDigits(text.substr(6, 1), &p.index) &&
      p.index >= 1 && p.index <= 4 && IsCalendarYear(p.year)) {
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
      return MonthText(year, index);
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
