// The one builder of roll-up changes: what a write adds to (or takes from) each unit's day and
// month aggregates, summed per key (services/core/rollup_store.h records them). Ingestion,
// corrections, deletions and org changes that move events all build their roll-up changes here
// (PRODUCT.md "Roll-up": every unit is the sum of the agents below it).
#ifndef OKR_SERVICES_CORE_ROLLUP_DELTAS_H_
#define OKR_SERVICES_CORE_ROLLUP_DELTAS_H_

#include <map>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "services/domain/calendar.h"
#include "store/db.h"
#include "store/rollup.h"

namespace okr {

// The date numbers that roll-up keys carry: 20260214 for a day, 202602 for its month.
inline int RollupDay(const Date& d) { return d.year * 10000 + d.month * 100 + d.day; }
inline int RollupMonth(const Date& d) { return d.year * 100 + d.month; }

class RollupDeltas {
 public:
  // Adds `delta` to the day and month of `day` of every unit in `units`. Every key's delta
  // lies between minus its stored value and the write's additions to it, both within the
  // YearTotals bound (rollup_limits.h), so a sum that does not fit is a bug: Internal.
  absl::Status Add(const std::vector<std::string>& units, const std::string& metric_id,
                   const Date& day, const store::RollupValue& delta);

  // The deltas that are not zero, in key order (what services/core/rollup_store.h records).
  std::vector<std::pair<std::string, store::RollupValue>> TakeSorted() &&;

  // The units whose aggregates change (for the watches).
  std::vector<std::string> Touched() const { return {touched_.begin(), touched_.end()}; }

 private:
  // Ordered: reads find a range of keys by binary search, and RocksDB takes sorted keys in a
  // batch markedly faster (memtable inserts stay local; ~1.8x on the bare ceiling in bench/).
  std::map<std::string, store::RollupValue> deltas_;
  std::unordered_set<std::string> touched_;
};

}  // namespace okr

#endif  // OKR_SERVICES_CORE_ROLLUP_DELTAS_H_
