// Red-line evaluations requested after batches of actuals, coalesced: while one evaluation
// runs or waits on the pool, later batches only add their agents and days to the next one.
// Under a steady stream of imports this keeps at most one evaluation queued, so the worker
// pool stays free to acknowledge writes.
#ifndef OKR_SERVICES_CORE_REDLINE_QUEUE_H_
#define OKR_SERVICES_CORE_REDLINE_QUEUE_H_

#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "services/core/plugin_ops.h"
#include "services/core/pool_jobs.h"
#include "services/core/server_state.h"

namespace okr {

class RedlineQueue {
 public:
  explicit RedlineQueue(ServerState& state) : state_(state) {}

  void Add(const std::vector<std::string>& agents, const std::vector<Date>& days) {
    std::lock_guard<std::mutex> lock(mu_);
    agents_.insert(agents.begin(), agents.end());
    for (const Date& day : days) days_.insert(day.DayNumber());
    if (scheduled_) return;
    scheduled_ = true;
    PostGuarded(state_.pool(), "red-line evaluation", [this] { Run(); });
  }

 private:
  // At most this many of the latest days per evaluation (as ingestion passes them).
  static constexpr size_t kMaxDays = 31;

  // Takes the pending agents and days first, so that an evaluation that throws (reported by
  // PostGuarded) still leaves the queue able to schedule the next one.
  void Run() {
    std::vector<std::string> agents;
    std::vector<Date> days;
    {
      std::lock_guard<std::mutex> lock(mu_);
      agents.assign(agents_.begin(), agents_.end());
      for (auto it = days_.rbegin(); it != days_.rend() && days.size() < kMaxDays; ++it) {
        days.push_back(Date::FromDayNumber(*it));
      }
      agents_.clear();
      days_.clear();
      scheduled_ = false;  // batches arriving from now on schedule the next evaluation
    }
    EvaluateRedlines(state_, agents, days).IgnoreError();
  }

  ServerState& state_;
  std::mutex mu_;
  std::set<std::string> agents_;
  std::set<int> days_;
  bool scheduled_ = false;
};

}  // namespace okr

#endif  // OKR_SERVICES_CORE_REDLINE_QUEUE_H_
