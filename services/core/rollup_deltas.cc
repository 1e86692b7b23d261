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

void RollupDeltas::WriteTo(store::Batch& batch) const {
  for (const auto& [key, delta] : deltas_) {
    if (delta == store::RollupValue{}) continue;
    batch.Merge(store::Cf::kRollups, key, delta.Encode());
  }
}

}  // namespace okr
