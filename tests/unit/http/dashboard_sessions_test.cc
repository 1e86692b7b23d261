// Dashboard sessions by hand, on a clock we move: the idle and absolute limits to the second,
// sign-out, the cap on live sessions, and the CSRF comparison.
#include "services/http/dashboard_sessions.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace okr {
namespace {

SessionLimits Limits(int64_t idle, int64_t absolute, size_t max = 100) {
  SessionLimits limits;
  limits.idle_seconds = idle;
  limits.absolute_seconds = absolute;
  limits.max_sessions = max;
  return limits;
}

TEST(SessionStore, NewSessionsHaveRandomIdsAndCsrfValues) {
  SessionStore store;
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i) {
    const std::string id = store.Create("hash", 1000);
    ASSERT_EQ(id.size(), 64u);
    EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos) << id;
    auto session = store.Touch(id, 1000);
    ASSERT_TRUE(session.has_value());
    EXPECT_EQ(session->token_hash, "hash");
    EXPECT_EQ(session->csrf.size(), 64u);
    EXPECT_NE(session->csrf, id);
    seen.insert(id);
    seen.insert(session->csrf);
  }
  EXPECT_EQ(seen.size(), 100u);
  // The defaults: 8 h idle, 24 h absolute.
  EXPECT_EQ(store.limits().idle_seconds, 8 * 3600);
  EXPECT_EQ(store.limits().absolute_seconds, 24 * 3600);
}

TEST(SessionStore, UnknownAndEmptyIdsHaveNoSession) {
  SessionStore store;
  store.Create("hash", 0);
  EXPECT_FALSE(store.Touch("", 0).has_value());
  EXPECT_FALSE(store.Touch(std::string(64, '0'), 0).has_value());
  EXPECT_FALSE(store.Touch("okr_not_an_id", 0).has_value());
}

TEST(SessionStore, IdleSessionsEndAfterTheIdleLimit) {
  // Idle 100 s: each request restarts the idle clock; a gap of 100 s ends the session.
  SessionStore store(Limits(100, 1000));
  const std::string id = store.Create("hash", 0);
  EXPECT_TRUE(store.Touch(id, 99).has_value());    // 99 s after sign-in
  EXPECT_TRUE(store.Touch(id, 198).has_value());   // 99 s after the last request
  EXPECT_FALSE(store.Touch(id, 298).has_value());  // 100 s after it: ended
  EXPECT_FALSE(store.Touch(id, 299).has_value());  // and forgotten
  EXPECT_EQ(store.size(), 0u);
}

TEST(SessionStore, BusySessionsEndAtTheAbsoluteLimit) {
  SessionStore store(Limits(100, 1000));
  const std::string id = store.Create("hash", 5000);
  for (int64_t t = 5050; t <= 5999; t += 50) {
    ASSERT_TRUE(store.Touch(id, t).has_value()) << t;
  }
  EXPECT_TRUE(store.Touch(id, 5999).has_value());   // 999 s after sign-in
  EXPECT_FALSE(store.Touch(id, 6000).has_value());  // 1000 s: ended however busy
}

TEST(SessionStore, EndSignsOutOneSession) {
  SessionStore store;
  const std::string a = store.Create("hash", 0);
  const std::string b = store.Create("hash", 0);
  store.End(a);
  EXPECT_FALSE(store.Touch(a, 1).has_value());
  EXPECT_TRUE(store.Touch(b, 1).has_value());
  store.End("no such id");  // harmless
  EXPECT_EQ(store.size(), 1u);
}

TEST(SessionStore, BeyondTheCapTheLeastRecentlyUsedSessionEnds) {
  SessionStore store(Limits(100, 1000, /*max=*/2));
  const std::string a = store.Create("a", 0);
  const std::string b = store.Create("b", 1);
  ASSERT_TRUE(store.Touch(a, 2).has_value());  // a is now the more recent
  const std::string c = store.Create("c", 3);
  EXPECT_EQ(store.size(), 2u);
  EXPECT_TRUE(store.Touch(a, 4).has_value());
  EXPECT_FALSE(store.Touch(b, 4).has_value());
  EXPECT_TRUE(store.Touch(c, 4).has_value());
}

TEST(SessionStore, SignInsSweepExpiredSessions) {
  SessionStore store(Limits(100, 1000));
  store.Create("old", 0);
  store.Create("old", 0);
  EXPECT_EQ(store.size(), 2u);
  store.Create("new", 500);  // both old ones idled out at 100
  EXPECT_EQ(store.size(), 1u);
}

TEST(CsrfMatches, OnlyEqualNonEmptyValues) {
  const std::string value = NewCsrfValue();
  EXPECT_EQ(value.size(), 64u);
  EXPECT_NE(NewCsrfValue(), value);
  EXPECT_TRUE(CsrfMatches(value, value));
  EXPECT_FALSE(CsrfMatches("", ""));
  EXPECT_FALSE(CsrfMatches(value, ""));
  EXPECT_FALSE(CsrfMatches("", value));
  EXPECT_FALSE(CsrfMatches(value.substr(0, 63), value));
  std::string other = value;
  other[0] = other[0] == 'a' ? 'b' : 'a';
  EXPECT_FALSE(CsrfMatches(other, value));
}

}  // namespace
}  // namespace okr
