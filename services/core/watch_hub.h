// Tells watchers that actuals below a unit changed. Streaming handlers subscribe a callback
// for a unit; ingestion touches the units whose roll-ups it changed after each commit. No
// thread ever blocks waiting: callbacks only post work.
//
// The hub also ends streams that lost their right to run: every stream of a token when the
// token is revoked (UNAUTHENTICATED), and every stream at shutdown (UNAVAILABLE), at once,
// rather than leaving them to a revoked caller or to gRPC's shutdown deadline.
#ifndef OKR_SERVICES_CORE_WATCH_HUB_H_
#define OKR_SERVICES_CORE_WATCH_HUB_H_

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/status.h"

namespace okr {

class WatchHub {
 public:
  using Callback = std::function<void()>;
  // Ends the subscriber's stream with the status given (it must only post or finish).
  using EndCallback = std::function<void(const absl::Status&)>;

  // `token_id` is the caller's: revoking it ends the stream.
  uint64_t Subscribe(const std::string& unit, std::string token_id, Callback callback,
                     EndCallback end) {
    std::lock_guard<std::mutex> lock(mu_);
    const uint64_t id = ++next_id_;
    subscribers_.emplace(
        id, Subscriber{unit, std::move(token_id), std::move(callback), std::move(end)});
    return id;
  }

  void Unsubscribe(uint64_t id) {
    std::lock_guard<std::mutex> lock(mu_);
    subscribers_.erase(id);
  }

  // Ends (and forgets) every stream of `token_id`; returns how many.
  int EndStreamsOf(const std::string& token_id, const absl::Status& why) {
    return EndWhere([&](const Subscriber& s) { return s.token_id == token_id; }, why);
  }
  // Ends every stream (shutdown); returns how many.
  int EndAll(const absl::Status& why) {
    return EndWhere([](const Subscriber&) { return true; }, why);
  }

  // Callbacks run under the hub's lock, so that once Unsubscribe returns none is running or
  // will run; they must only post work, never block or call back into the hub.
  void Touch(const std::vector<std::string>& units) {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [id, subscriber] : subscribers_) {
      for (const std::string& unit : units) {
        if (unit == subscriber.unit) {
          subscriber.callback();
          break;
        }
      }
    }
  }

 private:
  struct Subscriber {
    std::string unit;
    std::string token_id;
    Callback callback;
    EndCallback end;
  };

  template <typename Predicate>
  int EndWhere(Predicate matches, const absl::Status& why) {
    std::lock_guard<std::mutex> lock(mu_);
    int ended = 0;
    for (auto it = subscribers_.begin(); it != subscribers_.end();) {
      if (!matches(it->second)) {
        ++it;
        continue;
      }
      it->second.end(why);
      it = subscribers_.erase(it);
      ++ended;
    }
    return ended;
  }

  std::mutex mu_;
  uint64_t next_id_ = 0;
  std::map<uint64_t, Subscriber> subscribers_;
};

}  // namespace okr

#endif  // OKR_SERVICES_CORE_WATCH_HUB_H_
