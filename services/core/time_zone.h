// The server's time zone: where an instant becomes a date.
//
// PRODUCT.md "Progress": "Today" is the date in the server's time zone (`okrd --time-zone`),
// and so are month closes, kudos months and red-line days. Every date okrd derives from its
// clock goes through LocalDate (via Clock::Today); nothing else turns an instant into a day.
//
// Zones come from the system's tz database (/usr/share/zoneinfo, read through Howard
// Hinnant's date library built with USE_OS_TZDB): nothing is downloaded, and an update of
// the OS's tzdata package applies at okrd's next start. UTC needs no database.
#ifndef OKR_SERVICES_CORE_TIME_ZONE_H_
#define OKR_SERVICES_CORE_TIME_ZONE_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "services/domain/calendar.h"

namespace date {
class time_zone;
}  // namespace date

namespace okr {

class TimeZone {
 public:
  // UTC.
  TimeZone() = default;

  // A zone of the tz database by its IANA name ("Asia/Shanghai", "Europe/Moscow", "UTC").
  // InvalidArgument naming it when the database does not know it.
  static absl::StatusOr<TimeZone> Named(std::string_view name);

  // The machine's zone: $TZ when set (a name, ":name" or a path under .../zoneinfo/), else
  // the one /etc/localtime names; UTC when neither names one. InvalidArgument when $TZ names
  // a zone the database does not know.
  static absl::StatusOr<TimeZone> Machine();

  const std::string& name() const { return name_; }

 private:
  friend Date LocalDate(int64_t unix_micros, const TimeZone& zone);

  const date::time_zone* zone_ = nullptr;  // null: UTC, computed without the database
  std::string name_ = "UTC";
};

// The civil date in `zone` at the instant `unix_micros` (microseconds since
// 1970-01-01T00:00:00Z), with the zone's offset in force at that instant (daylight saving
// and historical changes included).
Date LocalDate(int64_t unix_micros, const TimeZone& zone);

// Parses an instant written "YYYY-MM-DDTHH:MM:SSZ" (UTC) into microseconds since the epoch.
absl::StatusOr<int64_t> ParseUtcInstant(std::string_view text);

}  // namespace okr

#endif  // OKR_SERVICES_CORE_TIME_ZONE_H_
