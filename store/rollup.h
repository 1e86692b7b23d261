// Roll-up aggregates: per unit, metric and day (or month), the sums of actual values.
//
// Stored as a fixed 24-byte value and combined by a RocksDB merge operator, so that
// ingestion adds deltas to every ancestor without reading them first (no read-modify-write,
// no lock on the aggregate), and a correction is just a negative delta.
//
// Sums are int64 micros, added with overflow checks (never wrapped, never undefined): the
// largest sum any roll-up holds is INT64_MAX micros (9,223,372,036,854.775807 units).
// Ingestion keeps every total within it (services/core/rollup_limits.h) before it writes,
// so the merge operator's own check is a last line of defence that is never reached.
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

  // Adds `other` when every field of the sum fits in int64 and returns true; otherwise
  // returns false and leaves this value unchanged.
  [[nodiscard]] bool AddChecked(const RollupValue& other);
  RollupValue Negated() const { return {-value_micros, -denominator_micros, -events}; }
  bool operator==(const RollupValue&) const = default;

  std::string Encode() const;
  // Malformed input decodes as zero (with ok=false), so a damaged value never crashes.
  static RollupValue Decode(std::string_view bytes, bool* ok = nullptr);
};

// Adds operands with AddChecked. A merge whose sum would leave int64 fails (RocksDB then
// reports Corruption for that key) rather than store a wrapped or saturated number: the
// result is the same whatever order RocksDB combines operands in, and okrd --verify
// reports the key.
std::shared_ptr<rocksdb::MergeOperator> NewRollupMergeOperator();

// Keys of the rollups family: (unit, metric, 'd', yyyymmdd) and (unit, metric, 'm', yyyymm).
std::string RollupDayKey(std::string_view unit_id, std::string_view metric_id, int yyyymmdd);
std::string RollupMonthKey(std::string_view unit_id, std::string_view metric_id, int yyyymm);
// The yyyymmdd of a day key; nullopt when `key` is not one.
std::optional<int> RollupDayKeyDate(std::string_view key);

}  // namespace okr::store

#endif  // OKR_STORE_ROLLUP_H_
