#include "services/domain/month_close.h"

#include "absl/strings/str_cat.h"

namespace okr {

absl::Status CheckMonthClosable(int year, int month, const Date& today,
                                std::string_view zone_name) {
  const Period period{Period::Kind::kMonth, year, month};
  if (year < kFirstClosableYear || year > kLastClosableYear) {
    return absl::OutOfRangeError(absl::StrCat("cannot close ", period.ToString(),
                                              ": only months of ", kFirstClosableYear, " to ",
                                              kLastClosableYear, " close"));
  }
  const Date first_next_day = Date::FromDayNumber(period.LastDay().DayNumber() + 1);
  if (today < first_next_day) {
    return absl::FailedPreconditionError(
        absl::StrCat(period.ToString(), " has not ended yet (today is ", today.ToString(), " in ",
                     std::string(zone_name), "); a month closes from the first day of the next, ",
                     first_next_day.ToString()));
  }
  return absl::OkStatus();
}

}  // namespace okr
