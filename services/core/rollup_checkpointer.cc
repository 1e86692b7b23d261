#include "services/core/rollup_checkpointer.h"

#include <exception>

#include "services/core/log.h"

namespace okr {

RollupCheckpointer::RollupCheckpointer(RollupStore* rollups, std::chrono::milliseconds interval)
    : rollups_(rollups), interval_(interval), thread_([this] { Run(); }) {}

void RollupCheckpointer::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void RollupCheckpointer::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    // Woken early by Stop, whose last checkpoint this then is.
    wake_.wait_for(lock, interval_, [this] { return stopping_; });
    lock.unlock();
    CheckpointNow();
    lock.lock();
  }
}

void RollupCheckpointer::CheckpointNow() {
  absl::Status s;
  try {
    s = rollups_->Checkpoint();
  } catch (const std::exception& e) {  // nothing may leave the thread
    s = absl::InternalError(e.what());
  }
  if (s.ok()) return;
  if (auto line = failures_.Note("checkpoint", LogThrottle::Clock::now())) {
    Log(LogLevel::kWarn, "rollups.checkpoint_failed",
        {{"error", std::string(s.message())},
         {"failures", line->events},
         {"pending_commands", static_cast<int64_t>(rollups_->pending_segments())}});
  }
}

}  // namespace okr
