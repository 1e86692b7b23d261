// The auth-failure rate limit (services/core/log_throttle.h) on a fixed clock: which events
// get a line, what count each line carries, and that the keys stay bounded.
#include "services/core/log_throttle.h"

#include <gtest/gtest.h>

#include <string>

namespace okr {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

const LogThrottle::Clock::time_point kT0{seconds(1000)};

TEST(LogThrottle, OneLinePerKeyPerIntervalCarryingTheCount) {
  LogThrottle throttle(seconds(10), 100);
  // The first event of a key: a line at once, for 1 event.
  auto first = throttle.Note("ipv4:10.0.0.7", kT0);
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->events, 1);
  EXPECT_EQ(first->since_last, LogThrottle::Clock::duration::zero());
  // 733 more within the 10 s: no line.
  for (int i = 1; i <= 733; ++i) {
    EXPECT_FALSE(throttle.Note("ipv4:10.0.0.7", kT0 + milliseconds(i * 10)).has_value()) << i;
  }
  // 9.999 s after the line: still inside the interval (734 events unwritten now).
  EXPECT_FALSE(throttle.Note("ipv4:10.0.0.7", kT0 + milliseconds(9999)).has_value());
  // At 10.2 s: a line for the 734 since the first line and this one: 735.
  auto second = throttle.Note("ipv4:10.0.0.7", kT0 + milliseconds(10200));
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->events, 735);
  EXPECT_EQ(second->since_last, milliseconds(10200));
  // The window restarts at the second line: 10 s after it (20.2 s), one event, one line.
  EXPECT_FALSE(throttle.Note("ipv4:10.0.0.7", kT0 + milliseconds(15000)).has_value());
  auto third = throttle.Note("ipv4:10.0.0.7", kT0 + milliseconds(20200));
  ASSERT_TRUE(third.has_value());
  EXPECT_EQ(third->events, 2);
  EXPECT_EQ(third->since_last, seconds(10));
}

TEST(LogThrottle, KeysAreCountedApart) {
  LogThrottle throttle(seconds(10), 100);
  EXPECT_TRUE(throttle.Note("ipv4:10.0.0.7", kT0).has_value());
  EXPECT_TRUE(throttle.Note("ipv4:10.0.0.8", kT0).has_value());
  EXPECT_FALSE(throttle.Note("ipv4:10.0.0.7", kT0 + seconds(1)).has_value());
  EXPECT_FALSE(throttle.Note("ipv4:10.0.0.8", kT0 + seconds(1)).has_value());
  EXPECT_EQ(throttle.keys(), 2u);
}

TEST(LogThrottle, TenThousandPeersKeepAtMostMaxKeys) {
  LogThrottle throttle(seconds(10), 64);
  for (int i = 0; i < 10000; ++i) {
    // Each peer is new: its first event gets a line.
    EXPECT_TRUE(throttle.Note("ipv4:10.0." + std::to_string(i), kT0 + milliseconds(i)).has_value());
  }
  EXPECT_EQ(throttle.keys(), 64u);
}

TEST(LogThrottle, AtTheBoundTheLeastRecentlySeenKeyIsForgotten) {
  LogThrottle throttle(seconds(10), 2);
  EXPECT_TRUE(throttle.Note("a", kT0).has_value());
  EXPECT_TRUE(throttle.Note("b", kT0 + seconds(1)).has_value());
  // "a" seen again (suppressed): now "b" is the least recently seen.
  EXPECT_FALSE(throttle.Note("a", kT0 + seconds(2)).has_value());
  EXPECT_TRUE(throttle.Note("c", kT0 + seconds(3)).has_value());  // forgets "b"
  EXPECT_EQ(throttle.keys(), 2u);
  EXPECT_FALSE(throttle.Note("a", kT0 + seconds(4)).has_value());  // "a" kept its window
  // "b" was forgotten: it starts afresh, with a line for 1 event.
  auto b = throttle.Note("b", kT0 + seconds(5));
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(b->events, 1);
}

TEST(LogThrottle, PeerHostDropsThePortOnly) {
  EXPECT_EQ(PeerHost("ipv4:127.0.0.1:5555"), "ipv4:127.0.0.1");
  EXPECT_EQ(PeerHost("ipv6:[::1]:5555"), "ipv6:[::1]");
  EXPECT_EQ(PeerHost("ipv6:%5B::1%5D:41000"), "ipv6:%5B::1%5D");
  EXPECT_EQ(PeerHost("ipv6:[::1]"), "ipv6:[::1]");
  EXPECT_EQ(PeerHost("unix:/run/okrd.sock"), "unix:/run/okrd.sock");
  EXPECT_EQ(PeerHost(""), "");
}

}  // namespace
}  // namespace okr
