// The bound that keeps every roll-up exact: for each unit, metric and calendar year, the sums
// of the values, the denominators and the event counts rolled up under the unit each stay
// within int64 (at most INT64_MAX micros: 9,223,372,036,854.775807 units).
//
// Why the year: values are >= 0 and denominators > 0 (ValidateEvent), so a day's or a
// month's roll-up never exceeds its year's total. Keeping the year total in range therefore
// keeps every stored roll-up (agent-day ... company-month), and every read over a period
// inside one year (a month, a quarter, a year, a month to date), in range too. Writers check
// here before they commit, so the merge operator's own overflow check is never reached.
#ifndef OKR_SERVICES_CORE_ROLLUP_LIMITS_H_
#define OKR_SERVICES_CORE_ROLLUP_LIMITS_H_

#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "absl/status/status.h"
#include "absl/types/span.h"
#include "services/core/rollup_store.h"
#include "store/db.h"
#include "store/rollup.h"

namespace okr {

// Year totals known to equal the database's, kept across writes, so that ingestion reads each
// (unit, metric, year) total from the month roll-ups once rather than once per request (a
// range scan per unit an event rolls up under was a fifth of ingestion's CPU). Filled by
// YearTotals::Commit after a write; cleared by anything else that changes roll-ups (an org
// change, a deleted event). Bounded: past kMaxEntries it starts over.
class YearTotalsCache {
 public:
  static constexpr size_t kMaxEntries = 1 << 20;

  std::optional<store::RollupValue> Find(const std::string& key) const;
  void Put(const std::unordered_map<std::string, store::RollupValue>& totals);
  void Clear();

 private:
  mutable std::mutex mu_;
  std::unordered_map<std::string, store::RollupValue> totals_;
};

// Running year totals of the units a write touches, read from `cache` or else from the month
// roll-ups on first use. Callers hold the lock that serialises roll-up writers
// (ServerState::actuals_mu).
class YearTotals {
 public:
  explicit YearTotals(const RollupStore& rollups, YearTotalsCache* cache = nullptr)
      : rollups_(rollups), cache_(cache) {}

  // Once the write that these totals describe is stored: they become the cache's.
  void Commit() const {
    if (cache_ != nullptr) cache_->Put(totals_);
  }

  // `delta` added to the (metric, year) total of every unit in `units`.
  struct Change {
    const std::vector<std::string>& units;
    std::string_view metric_id;
    int year;
    store::RollupValue delta;
  };

  // Applies every change, all or nothing: OutOfRange naming the unit, metric and year when a
  // total would leave int64 (then no total changes); DataLoss when the stored month roll-ups
  // of a year already do not fit.
  absl::Status Apply(absl::Span<const Change> changes);

 private:
  absl::StatusOr<store::RollupValue*> Total(std::string_view unit_id, std::string_view metric_id,
                                            int year);

  const RollupStore& rollups_;
  YearTotalsCache* cache_;
  std::unordered_map<std::string, store::RollupValue> totals_;
};

}  // namespace okr

#endif  // OKR_SERVICES_CORE_ROLLUP_LIMITS_H_
