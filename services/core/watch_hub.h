// Tells watchers that actuals below a unit changed. Streaming handlers subscribe a callback
// for a unit; ingestion touches the units whose roll-ups it changed after each commit. No
// thread ever blocks waiting: callbacks only post work.
#ifndef OKR_SERVICES_CORE_WATCH_HUB_H_
#define OKR_SERVICES_CORE_WATCH_HUB_H_

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace okr {

class WatchHub {
 public:
  using Callback = std::function<void()>;

  uint64_t Subscribe(const std::string& unit, Callback callback) {
    std::lock_guard<std::mutex> lock(mu_);
    const uint64_t id = ++next_id_;
    subscribers_.emplace(id, Subscriber{unit, std::move(callback)});
    return id;
  }

  void Unsubscribe(uint64_t id) {
    std::lock_guard<std::mutex> lock(mu_);
    subscribers_.erase(id);
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
    Callback callback;
  };
  std::mutex mu_;
  uint64_t next_id_ = 0;
  std::map<uint64_t, Subscriber> subscribers_;
};

}  // namespace okr

#endif  // OKR_SERVICES_CORE_WATCH_HUB_H_
