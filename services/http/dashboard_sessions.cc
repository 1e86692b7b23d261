#include "services/http/dashboard_sessions.h"

#include <algorithm>

#include "services/core/tokens.h"

namespace okr {

bool SessionStore::Expired(const DashboardSession& session, int64_t now_unix) const {
  return now_unix - session.last_seen_unix >= limits_.idle_seconds ||
         now_unix - session.created_unix >= limits_.absolute_seconds;
}

std::string SessionStore::Create(std::string token_hash, int64_t now_unix) {
  const std::string id = RandomHex(32);
  DashboardSession session;
  session.token_hash = std::move(token_hash);
  session.csrf = NewCsrfValue();
  session.created_unix = now_unix;
  session.last_seen_unix = now_unix;
  std::lock_guard<std::mutex> lock(mu_);
  // Sign-ins are rare next to page views: sweeping here keeps the table to live sessions.
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    it = Expired(it->second, now_unix) ? sessions_.erase(it) : std::next(it);
  }
  if (limits_.max_sessions > 0 && sessions_.size() >= limits_.max_sessions) {
    auto oldest = std::min_element(sessions_.begin(), sessions_.end(), [](auto& a, auto& b) {
      return a.second.last_seen_unix < b.second.last_seen_unix;
    });
    sessions_.erase(oldest);
  }
  sessions_.emplace(Sha256Hex(id), std::move(session));
  return id;
}

std::optional<DashboardSession> SessionStore::Touch(std::string_view id, int64_t now_unix) {
  if (id.empty()) return std::nullopt;
  const std::string key = Sha256Hex(id);
  std::lock_guard<std::mutex> lock(mu_);
  auto it = sessions_.find(key);
  if (it == sessions_.end()) return std::nullopt;
  if (Expired(it->second, now_unix)) {
    sessions_.erase(it);
    return std::nullopt;
  }
  it->second.last_seen_unix = std::max(it->second.last_seen_unix, now_unix);
  return it->second;
}

void SessionStore::End(std::string_view id) {
  const std::string key = Sha256Hex(id);
  std::lock_guard<std::mutex> lock(mu_);
  sessions_.erase(key);
}

size_t SessionStore::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return sessions_.size();
}

std::string NewCsrfValue() { return RandomHex(32); }

bool CsrfMatches(std::string_view sent, std::string_view expected) {
  return !expected.empty() && ConstantTimeEquals(sent, expected);
}

}  // namespace okr
