// Dashboard sign-in sessions and the CSRF rule of the dashboard's forms.
//
// Signing in at /login with a token starts a session: the browser gets a random session id
// (32 bytes from the OS CSPRNG) in the okr_session cookie, never the token; okrd keeps the
// token's SHA-256 hash with the session, in memory. A session ends
//   - after `idle_seconds` without a request (default 8 h),
//   - `absolute_seconds` after sign-in whatever the activity (default 24 h; the cookie's
//     Max-Age says the same to the browser),
//   - on sign-out (POST /logout), when its token is revoked (the token is checked on every
//     request), and when okrd stops (sessions are not stored).
// The cookie is HttpOnly, SameSite=Strict, Path=/, and Secure when okrd serves HTTPS.
//
// CSRF: the sign-in form carries a random value that must equal the okr_csrf cookie set with
// the form (double submit; the cookie is HttpOnly and SameSite=Strict, so another site can
// neither read nor send it); the sign-out form carries the session's own random value. A POST
// whose value does not match is refused with 403.
#ifndef OKR_SERVICES_HTTP_DASHBOARD_SESSIONS_H_
#define OKR_SERVICES_HTTP_DASHBOARD_SESSIONS_H_

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace okr {

struct SessionLimits {
  int64_t idle_seconds = 8 * 3600;
  int64_t absolute_seconds = 24 * 3600;
  size_t max_sessions = 10000;  // beyond this, the least recently used session ends
};

struct DashboardSession {
  std::string token_hash;  // SHA-256 of the token that signed in
  std::string csrf;        // the value the sign-out form must send back
  int64_t created_unix = 0;
  int64_t last_seen_unix = 0;
};

class SessionStore {
 public:
  explicit SessionStore(SessionLimits limits = {}) : limits_(limits) {}

  const SessionLimits& limits() const { return limits_; }

  // Starts a session for the token with this hash at `now_unix`; returns the session id.
  std::string Create(std::string token_hash, int64_t now_unix);

  // The live session with this id, its idle clock restarted at `now_unix`; nullopt (and the
  // session forgotten) when unknown, idle too long or past its absolute lifetime.
  std::optional<DashboardSession> Touch(std::string_view id, int64_t now_unix);

  void End(std::string_view id);

  size_t size() const;

 private:
  bool Expired(const DashboardSession& session, int64_t now_unix) const;

  const SessionLimits limits_;
  mutable std::mutex mu_;
  // Keyed by the SHA-256 of the id, so a lookup's timing says nothing about the ids.
  std::map<std::string, DashboardSession, std::less<>> sessions_;
};

// The CSRF values of the forms: 32 random bytes as hex; a POST matches when the form's value
// and the expected one are equal and non-empty (compared in constant time).
std::string NewCsrfValue();
bool CsrfMatches(std::string_view sent, std::string_view expected);

}  // namespace okr

#endif  // OKR_SERVICES_HTTP_DASHBOARD_SESSIONS_H_
