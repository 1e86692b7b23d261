#include "store/rollup.h"

#include <cstring>

#include "store/keys.h"

namespace okr::store {
namespace {

void PutFixed64(std::string* out, int64_t v) {
  uint64_t u = static_cast<uint64_t>(v);
  for (int i = 0; i < 8; ++i) out->push_back(static_cast<char>(u >> (8 * i)));
}

int64_t GetFixed64(const char* p) {
  uint64_t u = 0;
  for (int i = 7; i >= 0; --i) u = (u << 8) | static_cast<unsigned char>(p[i]);
  return static_cast<int64_t>(u);
}

class RollupMergeOperator : public rocksdb::AssociativeMergeOperator {
 public:
  bool Merge(const rocksdb::Slice& /*key*/, const rocksdb::Slice* existing_value,
             const rocksdb::Slice& value, std::string* new_value,
             rocksdb::Logger* /*logger*/) const override {
    RollupValue sum;
    if (existing_value != nullptr) {
      sum = RollupValue::Decode(std::string_view(existing_value->data(), existing_value->size()));
    }
    if (!sum.AddChecked(RollupValue::Decode(std::string_view(value.data(), value.size())))) {
      return false;  // would overflow int64: fail this key's merge, deterministically
    }
    *new_value = sum.Encode();
    return true;
  }
  const char* Name() const override { return "okr.RollupMergeOperator"; }
};

}  // namespace

bool RollupValue::AddChecked(const RollupValue& other) {
  RollupValue sum;
  if (__builtin_add_overflow(value_micros, other.value_micros, &sum.value_micros) ||
      __builtin_add_overflow(denominator_micros, other.denominator_micros,
                             &sum.denominator_micros) ||
      __builtin_add_overflow(events, other.events, &sum.events)) {
    return false;
  }
  *this = sum;
  return true;
}

std::string RollupValue::Encode() const {
  std::string out;
  out.reserve(24);
  PutFixed64(&out, value_micros);
  PutFixed64(&out, denominator_micros);
  PutFixed64(&out, events);
  return out;
}

RollupValue RollupValue::Decode(std::string_view bytes, bool* ok) {
  if (bytes.size() != 24) {
    if (ok != nullptr) *ok = false;
    return {};
  }
  if (ok != nullptr) *ok = true;
  return {GetFixed64(bytes.data()), GetFixed64(bytes.data() + 8), GetFixed64(bytes.data() + 16)};
}

std::shared_ptr<rocksdb::MergeOperator> NewRollupMergeOperator() {
  return std::make_shared<RollupMergeOperator>();
}

std::string RollupDayKey(std::string_view unit_id, std::string_view metric_id, int yyyymmdd) {
  return KeyBuilder().Str(unit_id).Str(metric_id).Byte('d').I32(yyyymmdd).Release();
}

std::string RollupMonthKey(std::string_view unit_id, std::string_view metric_id, int yyyymm) {
  return KeyBuilder().Str(unit_id).Str(metric_id).Byte('m').I32(yyyymm).Release();
}

std::optional<int> RollupDayKeyDate(std::string_view key) {
  KeyReader reader(key);
  if (!reader.Str() || !reader.Str() || reader.Byte() != 'd') return std::nullopt;
  std::optional<int32_t> yyyymmdd = reader.I32();
  if (!yyyymmdd || !reader.done()) return std::nullopt;
  return *yyyymmdd;
}

}  // namespace okr::store
