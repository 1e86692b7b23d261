#include "services/core/health.h"

#include <utility>

#include "services/core/log.h"
#include "services/core/metrics.h"

namespace okr {

HealthState Readiness::Current() const {
  if (shutting_down_.load()) return {false, "okrd is shutting down"};
  if (absl::Status refused = db_->WriteRefusal(); !refused.ok()) {
    return {false, std::string(refused.message())};
  }
  return {};
}

void Readiness::BeginShutdown() {
  shutting_down_.store(true);
  Publish();
}

void Readiness::Publish() {
  std::lock_guard<std::mutex> lock(publish_mu_);
  // Computed under the lock: a state computed before BeginShutdown is never told after it.
  HealthState now = Current();
  if (published_ == now) return;
  if (published_.has_value() || !now.serving) {
    if (now.serving) {
      Log(LogLevel::kInfo, "health.serving");
    } else {
      Log(LogLevel::kWarn, "health.not_serving", {{"reason", now.reason}});
    }
  }
  published_ = now;
  if (on_change_) on_change_(now);
}

void Readiness::Watch(std::function<void(const HealthState&)> on_change,
                      std::chrono::milliseconds period) {
  StopWatching();
  {
    std::lock_guard<std::mutex> lock(publish_mu_);
    on_change_ = std::move(on_change);
    published_.reset();
  }
  Publish();
  {
    std::lock_guard<std::mutex> lock(watch_mu_);
    stop_ = false;
  }
  watcher_ = std::thread([this, period] {
    std::unique_lock<std::mutex> lock(watch_mu_);
    while (!wake_.wait_for(lock, period, [this] { return stop_; })) {
      lock.unlock();
      db_->RetryWrites().IgnoreError();  // the state it leaves is what Publish reads
      Publish();
      lock.lock();
    }
  });
}

void Readiness::StopWatching() {
  {
    std::lock_guard<std::mutex> lock(watch_mu_);
    stop_ = true;
  }
  wake_.notify_all();
  if (watcher_.joinable()) watcher_.join();
  std::lock_guard<std::mutex> lock(publish_mu_);
  on_change_ = nullptr;
}

void AddStoreHealthCollector(Metrics& metrics, store::Db* db) {
  metrics.AddCollector([db](Metrics& m) {
    m.Set("okr_writes_refused", {}, db->WriteRefusal().ok() ? 0 : 1);
    // RocksDB keeps the count; the counter follows it.
    m.AdvanceCounterTo("okr_rocksdb_background_errors_total", {},
                       static_cast<double>(db->background_errors()));
    if (absl::StatusOr<uint64_t> free = db->FreeDiskBytes(); free.ok()) {
      m.Set("okr_data_disk_free_bytes", {}, static_cast<double>(*free));
    }
  });
}

}  // namespace okr
