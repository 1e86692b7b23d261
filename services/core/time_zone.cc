#include "services/core/time_zone.h"

#include <date/tz.h>

#include <chrono>
#include <cstdlib>
#include <exception>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace okr {
namespace {

constexpr int64_t kMicrosPerSecond = 1'000'000;
constexpr int64_t kSecondsPerDay = 86'400;

// Division rounding towards minus infinity: an instant before the epoch belongs to the day
// that began before it.
int64_t FloorDiv(int64_t a, int64_t b) { return a / b - (a % b != 0 && (a < 0) != (b < 0)); }

bool IsUtc(std::string_view name) { return name == "UTC" || name == "Etc/UTC"; }

// $TZ as a zone name: "Asia/Shanghai", ":Asia/Shanghai" or "/usr/share/zoneinfo/Asia/Shanghai".
std::string ZoneNameOfTzVariable(std::string_view tz) {
  if (!tz.empty() && tz.front() == ':') tz.remove_prefix(1);
  constexpr std::string_view kZoneinfo = "zoneinfo/";
  if (!tz.empty() && tz.front() == '/') {
    if (const size_t at = tz.rfind(kZoneinfo); at != std::string_view::npos) {
      tz.remove_prefix(at + kZoneinfo.size());
    }
  }
  return std::string(tz);
}

bool ParseFixedDigits(std::string_view text, int* out) {
  int value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  *out = value;
  return !text.empty();
}

}  // namespace

absl::StatusOr<TimeZone> TimeZone::Named(std::string_view name) {
  TimeZone zone;
  if (IsUtc(name)) {
    zone.name_ = std::string(name);
    return zone;
  }
  try {
    zone.zone_ = date::locate_zone(name);
  } catch (const std::exception& e) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown time zone '", std::string(name),
                     "': not in the tz database (/usr/share/zoneinfo); give an IANA name such as "
                     "Asia/Shanghai, Europe/Moscow or UTC (",
                     e.what(), ")"));
  }
  zone.name_ = std::string(name);
  return zone;
}

absl::StatusOr<TimeZone> TimeZone::Machine() {
  if (const char* tz = std::getenv("TZ"); tz != nullptr && *tz != '\0') {
    auto zone = Named(ZoneNameOfTzVariable(tz));
    if (!zone.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("$TZ: ", zone.status().message(), "; or pass --time-zone"));
    }
    return zone;
  }
  try {
    const date::time_zone* local = date::current_zone();
    if (local != nullptr) return Named(local->name());
  } catch (const std::exception&) {
    // No /etc/localtime (or no tz database): the machine names no zone, so UTC.
  }
  return TimeZone();
}

Date LocalDate(int64_t unix_micros, const TimeZone& zone) {
  const int64_t seconds = FloorDiv(unix_micros, kMicrosPerSecond);
  int64_t offset_seconds = 0;
  if (zone.zone_ != nullptr) {
    const date::sys_info info =
        zone.zone_->get_info(date::sys_seconds{std::chrono::seconds{seconds}});
    offset_seconds = info.offset.count();
  }
  return Date::FromDayNumber(static_cast<int>(FloorDiv(seconds + offset_seconds, kSecondsPerDay)));
}

absl::StatusOr<int64_t> ParseUtcInstant(std::string_view text) {
  auto bad = [&] {
    return absl::InvalidArgumentError(
        absl::StrCat("bad instant '", std::string(text), "': expected YYYY-MM-DDTHH:MM:SSZ (UTC)"));
  };
  if (text.size() != 20 || text[10] != 'T' || text[13] != ':' || text[16] != ':' ||
      text[19] != 'Z') {
    return bad();
  }
  auto day = Date::Parse(text.substr(0, 10));
  if (!day.ok()) return bad();
  int hours = 0, minutes = 0, secs = 0;
  if (!ParseFixedDigits(text.substr(11, 2), &hours) ||
      !ParseFixedDigits(text.substr(14, 2), &minutes) ||
      !ParseFixedDigits(text.substr(17, 2), &secs) || hours > 23 || minutes > 59 || secs > 59) {
    return bad();
  }
  const int64_t seconds =
      int64_t{day->DayNumber()} * kSecondsPerDay + hours * 3600 + minutes * 60 + secs;
  return seconds * kMicrosPerSecond;
}

}  // namespace okr
