// The thread that checkpoints the roll-ups (services/core/rollup_store.h) every interval, off
// every request's path, and once more when it stops, so that a clean stop leaves no journal
// to read at the next start.
#ifndef OKR_SERVICES_CORE_ROLLUP_CHECKPOINTER_H_
#define OKR_SERVICES_CORE_ROLLUP_CHECKPOINTER_H_

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "services/core/log_throttle.h"
#include "services/core/rollup_store.h"

namespace okr {

class RollupCheckpointer {
 public:
  RollupCheckpointer(RollupStore* rollups, std::chrono::milliseconds interval);
  ~RollupCheckpointer() { Stop(); }
  RollupCheckpointer(const RollupCheckpointer&) = delete;
  RollupCheckpointer& operator=(const RollupCheckpointer&) = delete;

  // Ends the thread after a last checkpoint. Call once no command runs any more; idempotent.
  void Stop();

 private:
  void Run();
  void CheckpointNow();

  RollupStore* rollups_;
  const std::chrono::milliseconds interval_;
  // A failing checkpoint (a full disk) is retried every interval and logged once a minute.
  LogThrottle failures_{std::chrono::minutes(1), 1};
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;  // under mu_
  std::thread thread_;     // last: it starts once everything above is ready
};

}  // namespace okr

#endif  // OKR_SERVICES_CORE_ROLLUP_CHECKPOINTER_H_
