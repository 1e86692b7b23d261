// The parsing of plugin outputs: the bytes a plugin returns, parsed as the output message of
// its kind (incentive, recognition, red-line) the way the host and the close do; what parses
// is walked field by field (as the server copies it into records) and round-trips.
#include <google/protobuf/stubs/logging.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "okr/plugin/v1/plugin.pb.h"

namespace pv1 = okr::plugin::v1;

template <typename Output, typename Walk>
void Check(const uint8_t* data, size_t size, Walk walk) {
  Output out;
  if (!out.ParseFromArray(data, static_cast<int>(size))) return;
  walk(out);
  std::string bytes = out.SerializeAsString();
  Output again;
  if (!again.ParseFromString(bytes)) __builtin_trap();
  if (again.SerializeAsString() != bytes) __builtin_trap();
}

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  // Invalid UTF-8 in string fields is expected input: parsing fails, quietly.
  google::protobuf::SetLogHandler(nullptr);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint8_t kind = data[0] % 3;
  ++data;
  --size;
  size_t total = 0;
  if (kind == 0) {
    Check<pv1::IncentiveOutput>(data, size, [&](const pv1::IncentiveOutput& o) {
      for (const auto& p : o.payouts()) total += p.unit_id().size() + p.rule().size();
    });
  } else if (kind == 1) {
    Check<pv1::RecognitionOutput>(data, size, [&](const pv1::RecognitionOutput& o) {
      for (const auto& a : o.awards()) total += a.unit_id().size() + a.award().size();
    });
  } else {
    Check<pv1::RedlineOutput>(data, size,
                              [&](const pv1::RedlineOutput& o) { total += o.ByteSizeLong(); });
  }
  return total == SIZE_MAX ? 1 : 0;
}
