// The calendar arithmetic (services/domain/calendar.h), on C++20 <chrono>. Day numbers below
// are days since 1970-01-01, worked out with Python's datetime; instants likewise.
#include "services/domain/calendar.h"

#include <gtest/gtest.h>

namespace okr {
namespace {

TEST(CalendarTest, DayNumbersCountFromTheEpochBothWays) {
  EXPECT_EQ((Date{1970, 1, 1}.DayNumber()), 0);
  EXPECT_EQ((Date{1969, 12, 31}.DayNumber()), -1);
  EXPECT_EQ((Date{2000, 3, 1}.DayNumber()), 11017);
  EXPECT_EQ((Date{2026, 12, 1}.DayNumber()), 20788);
  EXPECT_EQ((Date{1900, 1, 1}.DayNumber()), -25567);
  EXPECT_EQ(Date::FromDayNumber(11017), (Date{2000, 3, 1}));
  EXPECT_EQ(Date::FromDayNumber(-25567), (Date{1900, 1, 1}));
  EXPECT_EQ(Date::FromDayNumber(-1), (Date{1969, 12, 31}));
}

TEST(CalendarTest, MonthLengthsFollowTheLeapYearRule) {
  EXPECT_EQ(DaysInMonth(2024, 2), 29);
  EXPECT_EQ(DaysInMonth(2026, 2), 28);
  EXPECT_EQ(DaysInMonth(1900, 2), 28);  // divisible by 100, not by 400
  EXPECT_EQ(DaysInMonth(2000, 2), 29);  // divisible by 400
  EXPECT_EQ(DaysInMonth(2026, 4), 30);
  EXPECT_EQ(DaysInMonth(2026, 12), 31);
  EXPECT_EQ(DaysInYear(2024), 366);
  EXPECT_EQ(DaysInYear(2026), 365);
}

TEST(CalendarTest, OneMonthTextAndTheMonthBefore) {
  EXPECT_EQ(MonthText(2026, 3), "2026-03");
  EXPECT_EQ(MonthText(2026, 12), "2026-12");
  EXPECT_EQ((Period{Period::Kind::kMonth, 2026, 3}.ToString()), "2026-03");
  EXPECT_EQ(PreviousMonth(2026, 1), std::make_pair(2025, 12));
  EXPECT_EQ(PreviousMonth(2026, 7), std::make_pair(2026, 6));
}

TEST(CalendarTest, YearsAreFourDigitsFrom1900) {
  EXPECT_TRUE(CheckYear(1900).ok());
  EXPECT_TRUE(CheckYear(9999).ok());
  EXPECT_EQ(CheckYear(1899).message(), "bad year 1899: expected 1900..9999");
  EXPECT_EQ(CheckYear(10000).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(Period::Parse("1899").ok());
  EXPECT_FALSE(ParseYearMonth("1899-12").ok());
}

TEST(CalendarTest, InstantsAreWrittenInRfc3339Utc) {
  EXPECT_EQ(FormatTime(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatTime(1795836053), "2026-11-28T03:20:53Z");
  EXPECT_EQ(FormatTime(1709251199), "2024-02-29T23:59:59Z");
}

}  // namespace
}  // namespace okr
