#include "services/core/rollup_limits.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "services/domain/actual_event.h"
#include "store/keys.h"

namespace okr {
namespace {

// Which sum of `total` + `delta` leaves int64, for the message.
std::string OverflowingSum(const store::RollupValue& total, const store::RollupValue& delta) {
  int64_t ignored = 0;
  if (__builtin_add_overflow(total.value_micros, delta.value_micros, &ignored)) {
    return absl::StrCat("the sum of values (", FormatMicros(total.value_micros), " + ",
                        FormatMicros(delta.value_micros), ")");
  }
  if (__builtin_add_overflow(total.denominator_micros, delta.denominator_micros, &ignored)) {
    return absl::StrCat("the sum of denominators (", FormatMicros(total.denominator_micros), " + ",
                        FormatMicros(delta.denominator_micros), ")");
  }
  return absl::StrCat("the count of events (", total.events, " + ", delta.events, ")");
}

}  // namespace

absl::StatusOr<store::RollupValue*> YearTotals::Total(std::string_view unit_id,
                                                      std::string_view metric_id, int year) {
  std::string key = store::KeyBuilder().Str(unit_id).Str(metric_id).I32(year).Release();
  if (auto it = totals_.find(key); it != totals_.end()) return &it->second;
  if (cache_ != nullptr) {
    if (std::optional<store::RollupValue> cached = cache_->Find(key)) {
      return &totals_.emplace(std::move(key), *cached).first->second;
    }
  }
  store::RollupValue total;
  bool fits = true;
  // Month keys of one year are contiguous: (unit, metric, 'm', yyyy01 .. yyyy12).
  absl::Status scanned =
      rollups_.ScanRange(store::RollupMonthKey(unit_id, metric_id, year * 100 + 1),
                         store::RollupMonthKey(unit_id, metric_id, year * 100 + 13),
                         [&](std::string_view, const store::RollupValue& value) {
                           fits = total.AddChecked(value);
                           return fits;
                         });
  if (!scanned.ok()) return scanned;
  if (!fits) {
    return absl::DataLossError(
        absl::StrCat("the stored month roll-ups of unit '", std::string(unit_id), "', metric '",
                     std::string(metric_id), "' in ", year,
                     " add up beyond int64: the database is damaged (run okrd --verify)"));
  }
  return &totals_.emplace(std::move(key), total).first->second;
}

std::optional<store::RollupValue> YearTotalsCache::Find(const std::string& key) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = totals_.find(key);
  if (it == totals_.end()) return std::nullopt;
  return it->second;
}

void YearTotalsCache::Put(const std::unordered_map<std::string, store::RollupValue>& totals) {
  std::lock_guard<std::mutex> lock(mu_);
  if (totals_.size() + totals.size() > kMaxEntries) totals_.clear();
  for (const auto& [key, total] : totals) totals_[key] = total;
}

void YearTotalsCache::Clear() {
  std::lock_guard<std::mutex> lock(mu_);
  totals_.clear();
}

absl::Status YearTotals::Apply(absl::Span<const Change> changes) {
  // New values are staged first, so that a change that does not fit leaves every total as
  // it was. A correction may touch one total twice (old and new value in the same year).
  std::vector<std::pair<store::RollupValue*, store::RollupValue>> staged;
  for (const Change& change : changes) {
    for (const std::string& unit : change.units) {
      absl::StatusOr<store::RollupValue*> total = Total(unit, change.metric_id, change.year);
      if (!total.ok()) return total.status();
      auto it = staged.begin();
      while (it != staged.end() && it->first != *total) ++it;
      if (it == staged.end()) it = staged.insert(staged.end(), {*total, **total});
      const store::RollupValue before = it->second;
      if (!it->second.AddChecked(change.delta)) {
        return absl::OutOfRangeError(absl::StrCat(
            "unit '", unit, "', metric '", std::string(change.metric_id), "', ", change.year, ": ",
            OverflowingSum(before, change.delta), " would exceed ", FormatMicros(INT64_MAX),
            ", the largest sum okrd keeps per unit, metric and year"));
      }
    }
  }
  for (const auto& [total, value] : staged) *total = value;
  return absl::OkStatus();
}

}  // namespace okr
