#include "services/core/log_throttle.h"

#include <algorithm>

namespace okr {

LogThrottle::LogThrottle(Clock::duration interval, size_t max_keys)
    : interval_(interval), max_keys_(std::max<size_t>(1, max_keys)) {}

std::optional<LogThrottle::Line> LogThrottle::Note(std::string_view key, Clock::time_point now) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(std::string(key));
  if (it == entries_.end()) {
    if (entries_.size() >= max_keys_) {
      entries_.erase(recent_.back());
      recent_.pop_back();
    }
    recent_.emplace_front(key);
    entries_.emplace(recent_.front(), Entry{now, 0, recent_.begin()});
    return Line{1, Clock::duration::zero()};
  }
  Entry& entry = it->second;
  recent_.splice(recent_.begin(), recent_, entry.order);  // most recent first; iterators hold
  ++entry.unwritten;
  if (now - entry.last_line < interval_) return std::nullopt;
  Line line{entry.unwritten, now - entry.last_line};
  entry.last_line = now;
  entry.unwritten = 0;
  return line;
}

void LogThrottle::set_interval(Clock::duration interval) {
  std::lock_guard<std::mutex> lock(mu_);
  interval_ = interval;
}

size_t LogThrottle::keys() const {
  std::lock_guard<std::mutex> lock(mu_);
  return entries_.size();
}

std::string PeerHost(std::string_view peer) {
  if (!peer.starts_with("ipv4:") && !peer.starts_with("ipv6:")) return std::string(peer);
  const size_t colon = peer.rfind(':');
  const std::string_view port = peer.substr(colon + 1);
  // "ipv6:[::1]" has no port: its last colon is inside the brackets.
  if (colon < 5 || port.empty() ||
      !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::string(peer);
  }
  return std::string(peer.substr(0, colon));
}

}  // namespace okr
