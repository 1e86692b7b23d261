// okrd's readiness: the one state that the gRPC health service and HTTP /healthz report.
//
// okrd is SERVING unless it is shutting down or its database refuses writes (a full disk, a
// storage error); NOT_SERVING carries the reason. Shutdown turns it NOT_SERVING first, before
// any listener stops, so a load balancer that checks health moves clients away while okrd
// still answers. While writes are refused, reads go on; the state returns to SERVING by itself
// once writes resume.
#ifndef OKR_SERVICES_CORE_HEALTH_H_
#define OKR_SERVICES_CORE_HEALTH_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "store/db.h"

namespace okr {

class Metrics;

struct HealthState {
  bool serving = true;
  std::string reason;  // empty when serving
  bool operator==(const HealthState&) const = default;
};

class Readiness {
 public:
  explicit Readiness(store::Db* db) : db_(db) {}
  ~Readiness() { StopWatching(); }
  Readiness(const Readiness&) = delete;
  Readiness& operator=(const Readiness&) = delete;

  // The state now.
  HealthState Current() const;

  // From now on NOT_SERVING ("okrd is shutting down"); the watcher's callback hears it before
  // this returns.
  void BeginShutdown();

  // Starts a thread that every `period` retries refused writes (store::Db::RetryWrites: the
  // resume after a full disk) and, when the state changed, logs it and calls `on_change` (also
  // once at the start). Calls to `on_change` never overlap and come in the order of the
  // changes.
  void Watch(std::function<void(const HealthState&)> on_change,
             std::chrono::milliseconds period = std::chrono::seconds(1));
  // Stops the thread (waits for it); idempotent. After it, `on_change` is not called again.
  void StopWatching();

 private:
  // Computes the state and, when it changed since the last call, logs it and tells
  // on_change_.
  void Publish();

  store::Db* db_;
  std::atomic<bool> shutting_down_{false};

  std::mutex publish_mu_;  // serialises Publish: one state computed and told at a time
  std::function<void(const HealthState&)> on_change_;  // under publish_mu_
  std::optional<HealthState> published_;               // under publish_mu_

  std::mutex watch_mu_;
  std::condition_variable wake_;
  bool stop_ = false;  // under watch_mu_
  std::thread watcher_;
};

// Scrape-time figures of the database's health: okr_writes_refused (0/1),
// okr_rocksdb_background_errors_total and okr_data_disk_free_bytes.
void AddStoreHealthCollector(Metrics& metrics, store::Db* db);

}  // namespace okr

#endif  // OKR_SERVICES_CORE_HEALTH_H_
