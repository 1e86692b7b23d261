// Roll-up aggregates: per unit, metric and day (or month), the sums of actual values.
//
// Stored as a fixed 24-byte value and combined by a RocksDB merge operator, so that
// ingestion adds deltas to every ancestor without reading them first (no read-modify-write,
// no lock on the aggregate), and a correction is just a negative delta.
#ifndef OKR_STORE_ROLLUP_H_
#define OKR_STORE_ROLLUP_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "rocksdb/merge_operator.h"

namespace okr::store {

struct RollupValue {
  int64_t value_micros = 0;
  int64_t denominator_micros = 0;
  int64_t events = 0;

  RollupValue& operator+=(const RollupValue& other) {
    value_micros += other.value_micros;
    denominator_micros += other.denominator_micros;
    events += other.events;
    return *this;
  }
  RollupValue Negated() const { return {-value_micros, -denominator_micros, -events}; }
  bool operator==(const RollupValue&) const = default;

  std::string Encode() const;
  // Malformed input decodes as zero (with ok=false), so a damaged value never crashes.
  static RollupValue Decode(std::string_view bytes, bool* ok = nullptr);
};

std::shared_ptr<rocksdb::MergeOperator> NewRollupMergeOperator();

// Keys of the rollups family: (unit, metric, 'd', yyyymmdd) and (unit, metric, 'm', yyyymm).
std::string RollupDayKey(std::string_view unit_id, std::string_view metric_id, int yyyymmdd);
std::string RollupMonthKey(std::string_view unit_id, std::string_view metric_id, int yyyymm);
// The yyyymmdd of a day key; nullopt when `key` is not one.
std::optional<int> RollupDayKeyDate(std::string_view key);

}  // namespace okr::store

#endif  // OKR_STORE_ROLLUP_H_
