// When a month may be closed (services/domain/month_close.h), and the refusal of actuals
// dated after today: both compare with the server's day, worked out by hand here.
#include "services/domain/month_close.h"

#include <gtest/gtest.h>

#include "services/domain/actual_event.h"

namespace okr {
namespace {

TEST(MonthCloseTest, AMonthClosesFromTheFirstDayOfTheNext) {
  // April has 30 days: on its last day it is still running; on May 1st it has ended.
  absl::Status running = CheckMonthClosable(2026, 4, Date{2026, 4, 30}, "Asia/Shanghai");
  EXPECT_EQ(running.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(running.message(),
            "2026-04 has not ended yet (today is 2026-04-30 in Asia/Shanghai); a month closes "
            "from the first day of the next, 2026-05-01");
  EXPECT_TRUE(CheckMonthClosable(2026, 4, Date{2026, 5, 1}, "Asia/Shanghai").ok());
  EXPECT_TRUE(CheckMonthClosable(2026, 4, Date{2027, 1, 1}, "UTC").ok());
  // December ends with the year; February of a leap year on the 29th.
  EXPECT_EQ(CheckMonthClosable(2026, 12, Date{2026, 12, 31}, "UTC").code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(CheckMonthClosable(2026, 12, Date{2027, 1, 1}, "UTC").ok());
  EXPECT_EQ(CheckMonthClosable(2028, 2, Date{2028, 2, 29}, "UTC").code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(CheckMonthClosable(2028, 2, Date{2028, 3, 1}, "UTC").ok());
}

TEST(MonthCloseTest, TheRunningMonthAndLaterOnesAreRefused) {
  const Date today{2026, 12, 1};
  absl::Status running = CheckMonthClosable(2026, 12, today, "Asia/Shanghai");
  EXPECT_EQ(running.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(running.message(),
            "2026-12 has not ended yet (today is 2026-12-01 in Asia/Shanghai); a month closes "
            "from the first day of the next, 2027-01-01");
  EXPECT_EQ(CheckMonthClosable(2027, 1, today, "UTC").code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(CheckMonthClosable(2026, 11, today, "UTC").ok());
}

TEST(MonthCloseTest, OnlyMonthsOf2000To2100Close) {
  const Date today{2026, 12, 1};
  absl::Status ancient = CheckMonthClosable(1900, 1, today, "UTC");
  EXPECT_EQ(ancient.code(), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(ancient.message(), "cannot close 1900-01: only months of 2000 to 2100 close");
  EXPECT_EQ(CheckMonthClosable(1999, 12, today, "UTC").code(), absl::StatusCode::kOutOfRange);
  EXPECT_TRUE(CheckMonthClosable(2000, 1, today, "UTC").ok());
  // Beyond the range it is OUT_OF_RANGE whatever the clock says.
  EXPECT_EQ(CheckMonthClosable(2101, 1, Date{2200, 1, 1}, "UTC").code(),
            absl::StatusCode::kOutOfRange);
  EXPECT_TRUE(CheckMonthClosable(2100, 12, Date{2101, 1, 1}, "UTC").ok());
}

TEST(NotAfterTodayTest, AnActualDatedAfterTodayIsRefused) {
  ActualEvent event;
  event.date = Date{2026, 5, 1};
  absl::Status ahead = CheckNotAfterToday(event, 7, Date{2026, 4, 30}, "UTC");
  EXPECT_EQ(ahead.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ahead.message(),
            "line 7: date 2026-05-01 is after today (2026-04-30 in UTC); actuals are for days "
            "that have begun");
  EXPECT_EQ(CheckNotAfterToday(event, 0, Date{2026, 4, 30}, "UTC").message(),
            "date 2026-05-01 is after today (2026-04-30 in UTC); actuals are for days that have "
            "begun");
  EXPECT_TRUE(CheckNotAfterToday(event, 7, Date{2026, 5, 1}, "Asia/Shanghai").ok());
  EXPECT_TRUE(CheckNotAfterToday(event, 7, Date{2026, 5, 2}, "UTC").ok());
}

}  // namespace
}  // namespace okr
