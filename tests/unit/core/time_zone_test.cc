// The server's day: an instant becomes a date in the server's zone, not in UTC. Expected
// dates are worked out by hand from each zone's offset (Asia/Shanghai UTC+8 all year,
// Europe/Moscow UTC+3 since 2014-10-26 and UTC+4 from 2011-03-27 to then, America/New_York
// UTC-5 in winter and UTC-4 in summer).
#include "services/core/time_zone.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <optional>
#include <string>

namespace okr {
namespace {

int64_t At(const char* instant) {
  auto micros = ParseUtcInstant(instant);
  EXPECT_TRUE(micros.ok()) << micros.status();
  return micros.value_or(0);
}

TimeZone Zone(const char* name) {
  auto zone = TimeZone::Named(name);
  EXPECT_TRUE(zone.ok()) << zone.status();
  return zone.value_or(TimeZone());
}

Date D(int y, int m, int d) { return Date{y, m, d}; }

TEST(ParseUtcInstantTest, CountsFromTheEpoch) {
  // 1970-01-01 to 2026-01-01: 56 years with 14 leap days (1972..2024) = 20454 days; then
  // 31 + 28 + 30 days to March 31st = 20543 days; 16:30 = 59400 s.
  EXPECT_EQ(ParseUtcInstant("2026-03-31T16:30:00Z").value(),
            (int64_t{20543} * 86400 + 59400) * 1'000'000);
  EXPECT_EQ(ParseUtcInstant("1970-01-01T00:00:00Z").value(), 0);
  EXPECT_EQ(ParseUtcInstant("1969-12-31T23:59:59Z").value(), -1'000'000);
}

TEST(ParseUtcInstantTest, RefusesAnythingElse) {
  for (const char* bad : {"2026-03-31 16:30:00Z", "2026-03-31T16:30:00", "2026-03-31T24:00:00Z",
                          "2026-02-30T00:00:00Z", "2026-03-31T16:30:00+08:00", ""}) {
    EXPECT_EQ(ParseUtcInstant(bad).status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
}

TEST(LocalDateTest, ShanghaiDayBeginsAtSixteenUtc) {
  const TimeZone shanghai = Zone("Asia/Shanghai");
  // 15:59:59Z + 8 h = 23:59:59 on the 31st; 16:00Z + 8 h = midnight of April 1st.
  EXPECT_EQ(LocalDate(At("2026-03-31T15:59:59Z"), shanghai), D(2026, 3, 31));
  EXPECT_EQ(LocalDate(At("2026-03-31T16:00:00Z"), shanghai), D(2026, 4, 1));
  EXPECT_EQ(LocalDate(At("2026-03-31T16:30:00Z"), shanghai), D(2026, 4, 1));
  // Across 00:00 UTC the Shanghai day does not change: 23:59:59Z and 00:00Z are 07:59:59 and
  // 08:00 of April 1st.
  EXPECT_EQ(LocalDate(At("2026-03-31T23:59:59Z"), shanghai), D(2026, 4, 1));
  EXPECT_EQ(LocalDate(At("2026-04-01T00:00:00Z"), shanghai), D(2026, 4, 1));
  // The instant: 2026-04-30T17:00Z is 01:00 of May 1st in Shanghai.
  EXPECT_EQ(LocalDate(At("2026-04-30T17:00:00Z"), shanghai), D(2026, 5, 1));
}

TEST(LocalDateTest, MoscowDayBeginsAtTwentyOneUtc) {
  const TimeZone moscow = Zone("Europe/Moscow");
  EXPECT_EQ(LocalDate(At("2026-03-31T20:59:59Z"), moscow), D(2026, 3, 31));
  EXPECT_EQ(LocalDate(At("2026-03-31T21:00:00Z"), moscow), D(2026, 4, 1));
  EXPECT_EQ(LocalDate(At("2026-04-01T00:00:00Z"), moscow), D(2026, 4, 1));
  // In 2013 Moscow was UTC+4: 20:30Z on June 30th was 00:30 of July 1st (at +3 it would
  // still be June 30th). The offset is the one in force at the instant.
  EXPECT_EQ(LocalDate(At("2013-06-30T20:30:00Z"), moscow), D(2013, 7, 1));
  EXPECT_EQ(LocalDate(At("2026-06-30T20:30:00Z"), moscow), D(2026, 6, 30));
}

TEST(LocalDateTest, DaylightSavingTimeMovesTheDay) {
  const TimeZone new_york = Zone("America/New_York");
  // July (EDT, UTC-4): 03:30Z is 23:30 of the day before. January (EST, UTC-5): 04:30Z is
  // 23:30 of the day before; 05:00Z is midnight.
  EXPECT_EQ(LocalDate(At("2026-07-01T03:30:00Z"), new_york), D(2026, 6, 30));
  EXPECT_EQ(LocalDate(At("2026-07-01T04:00:00Z"), new_york), D(2026, 7, 1));
  EXPECT_EQ(LocalDate(At("2026-01-01T04:30:00Z"), new_york), D(2025, 12, 31));
  EXPECT_EQ(LocalDate(At("2026-01-01T05:00:00Z"), new_york), D(2026, 1, 1));
}

TEST(LocalDateTest, UtcIsTheDefault) {
  const TimeZone utc;
  EXPECT_EQ(utc.name(), "UTC");
  EXPECT_EQ(LocalDate(At("2026-03-31T23:59:59Z"), utc), D(2026, 3, 31));
  EXPECT_EQ(LocalDate(At("2026-04-01T00:00:00Z"), utc), D(2026, 4, 1));
  // Before the epoch the day is the one that began before the instant.
  EXPECT_EQ(LocalDate(At("1969-12-31T23:59:59Z"), utc), D(1969, 12, 31));
  EXPECT_EQ(LocalDate(-1, utc), D(1969, 12, 31));
  EXPECT_EQ(LocalDate(At("2026-03-31T16:30:00Z"), Zone("UTC")), D(2026, 3, 31));
}

TEST(TimeZoneTest, AnUnknownNameIsRefusedByName) {
  auto zone = TimeZone::Named("Nowhere/Atlantis");
  EXPECT_EQ(zone.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(zone.status().message().find("unknown time zone 'Nowhere/Atlantis'"), std::string::npos)
      << zone.status();
}

// Sets $TZ for one test and puts it back.
class ScopedTz {
 public:
  explicit ScopedTz(const char* value) {
    if (const char* old = std::getenv("TZ")) old_ = old;
    ::setenv("TZ", value, 1);
  }
  ~ScopedTz() {
    if (old_) {
      ::setenv("TZ", old_->c_str(), 1);
    } else {
      ::unsetenv("TZ");
    }
  }

 private:
  std::optional<std::string> old_;
};

TEST(TimeZoneTest, TheMachineZoneComesFromTz) {
  for (const char* tz : {"Asia/Shanghai", ":Asia/Shanghai", "/usr/share/zoneinfo/Asia/Shanghai"}) {
    ScopedTz scoped(tz);
    auto zone = TimeZone::Machine();
    ASSERT_TRUE(zone.ok()) << tz << ": " << zone.status();
    EXPECT_EQ(zone->name(), "Asia/Shanghai") << tz;
    EXPECT_EQ(LocalDate(At("2026-03-31T16:30:00Z"), *zone), D(2026, 4, 1)) << tz;
  }
}

TEST(TimeZoneTest, AnUnknownTzIsAnError) {
  ScopedTz scoped("Nowhere/Atlantis");
  auto zone = TimeZone::Machine();
  EXPECT_EQ(zone.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(zone.status().message().find("$TZ: unknown time zone 'Nowhere/Atlantis'"),
            std::string::npos)
      << zone.status();
}

}  // namespace
}  // namespace okr
