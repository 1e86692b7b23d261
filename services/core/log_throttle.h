// Keeps one repeated event from flooding the log: at most one line per key (a peer's address)
// per interval, and each line says how many events it stands for.
//
//   t=0.0 s  first failure of peer P    -> a line: events=1
//   t=0.1 .. 9.9 s, 733 more            -> no line (counted)
//   t=10.2 s  the next one              -> a line: events=734 (the 733 and this one),
//                                          since_last=10.2 s
//
// Events of a window are reported by the key's next line; when a key falls silent, the count
// of its last window is not written. The keys are bounded: at max_keys, noting a new key
// forgets the key noted least recently (its uncounted events with it), so many peers cannot
// grow memory without bound; a forgotten key that comes back starts afresh (a line at once).
//
// Pure: the time is passed in. Thread-safe (one mutex; Note is a map lookup).
#ifndef OKR_SERVICES_CORE_LOG_THROTTLE_H_
#define OKR_SERVICES_CORE_LOG_THROTTLE_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace okr {

class LogThrottle {
 public:
  using Clock = std::chrono::steady_clock;

  // The line to write for an event.
  struct Line {
    int64_t events = 0;            // since the key's last line, this one included
    Clock::duration since_last{};  // since the key's last line; 0 on a key's first line
  };

  LogThrottle(Clock::duration interval, size_t max_keys);

  // Counts one event of `key` at `now`: the line to write, or nothing when the key had a line
  // less than `interval` ago (the event is counted into the key's next line).
  std::optional<Line> Note(std::string_view key, Clock::time_point now);

  void set_interval(Clock::duration interval);
  size_t keys() const;  // keys remembered now (<= max_keys)

 private:
  struct Entry {
    Clock::time_point last_line;
    int64_t unwritten = 0;                   // events since last_line
    std::list<std::string>::iterator order;  // its place in recent_
  };

  mutable std::mutex mu_;
  Clock::duration interval_;
  const size_t max_keys_;
  std::list<std::string> recent_;  // keys, most recently noted first
  std::unordered_map<std::string, Entry> entries_;
};

// The address of a gRPC peer without its port ("ipv4:10.0.0.7:51234" -> "ipv4:10.0.0.7",
// "ipv6:[::1]:5000" -> "ipv6:[::1]"): one client opens many connections from many ports.
// Other peers ("unix:/run/okrd.sock") are returned as they are.
std::string PeerHost(std::string_view peer);

}  // namespace okr

#endif  // OKR_SERVICES_CORE_LOG_THROTTLE_H_
