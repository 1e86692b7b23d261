#include "services/core/rollup_deltas.h"

namespace okr {

absl::Status RollupDeltas::Add(const std::vector<std::string>& units, const std::string& metric_id,
                               const Date& day, const store::RollupValue& delta) {
  for (const std::string& unit : units) {
    if (!deltas_[store::RollupDayKey(unit, metric_id, RollupDay(day))].AddChecked(delta) ||
        !deltas_[store::RollupMonthKey(unit, metric_id, RollupMonth(day))].AddChecked(delta)) {
      return absl::InternalError("roll-up delta of unit '" + unit + "' overflows int64");
    }
    touched_.insert(unit);
  }
  return absl::OkStatus();
}

std::vector<std::pair<std::string, store::RollupValue>> RollupDeltas::TakeSorted() && {
  std::vector<std::pair<std::string, store::RollupValue>> sorted;
  sorted.reserve(deltas_.size());
  while (!deltas_.empty()) {
    auto node = deltas_.extract(deltas_.begin());  // in key order; the key is moved, not copied
    if (node.mapped() != store::RollupValue{}) {
      sorted.emplace_back(std::move(node.key()), node.mapped());
    }
  }
  return sorted;
}

}  // namespace okr
