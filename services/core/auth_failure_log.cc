#include "services/core/auth_failure_log.h"

#include <cmath>

#include "services/core/log.h"
#include "services/core/log_throttle.h"

namespace okr {
namespace {

LogThrottle& Throttle() {
  static auto* throttle = new LogThrottle(std::chrono::seconds(10), kAuthFailureLogMaxPeers);
  return *throttle;
}

}  // namespace

void SetAuthFailureLogInterval(std::chrono::milliseconds interval) {
  Throttle().set_interval(interval);
}

void LogAuthFailure(std::string_view peer, std::string_view method, std::string_view reason) {
  const std::string host = PeerHost(peer);
  std::optional<LogThrottle::Line> line = Throttle().Note(host, LogThrottle::Clock::now());
  if (!line) return;
  const double since_last =
      std::round(std::chrono::duration<double>(line->since_last).count() * 1000) / 1000;
  Log(LogLevel::kWarn, "auth.failed",
      {{"peer", host},
       {"method", method},
       {"reason", reason},
       {"failures", line->events},
       {"since_last_s", since_last}});
}

}  // namespace okr
