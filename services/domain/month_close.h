// When a month may be closed (PRODUCT.md "Limits": a month is closed only after it has
// ended). A close pays bonuses and gives awards from the month's final figures, so:
// - a month closes from the first day of the next month, in the server's time zone (the
//   caller passes that day as `today`): the running month, and any later one, is refused
//   with FAILED_PRECONDITION;
// - only months of the years kFirstClosableYear..kLastClosableYear close: a month outside
//   them (1900-01, a typo'd 3026-01) is OUT_OF_RANGE, whatever the clock says.
#ifndef OKR_SERVICES_DOMAIN_MONTH_CLOSE_H_
#define OKR_SERVICES_DOMAIN_MONTH_CLOSE_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "services/domain/calendar.h"

namespace okr {

inline constexpr int kFirstClosableYear = 2000;
inline constexpr int kLastClosableYear = 2100;

// OK when month (year, month) may be closed on `today` (a date in the zone named
// `zone_name`, which the message quotes).
absl::Status CheckMonthClosable(int year, int month, const Date& today, std::string_view zone_name);

// The counter that each close of `month_key` ("YYYY-MM") bumps (its close version): a month
// is closed once the counter exists. Closed months are final: what was paid from their actuals
// stays explainable, so their events are not deleted.
inline std::string CloseCounterName(std::string_view month_key) {
  return "close/" + std::string(month_key);
}

}  // namespace okr

#endif  // OKR_SERVICES_DOMAIN_MONTH_CLOSE_H_
