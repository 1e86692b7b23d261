// How a stored record that cannot be read is reported: loudly, naming its column family and
// its key, so that an operator can find it (okrd --verify lists them all).
#ifndef OKR_STORE_DAMAGE_H_
#define OKR_STORE_DAMAGE_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "store/column_families.h"

namespace okr::store {

// `bytes` as printable text: printable ASCII as it is (backslash and double quote
// escaped), every other byte as \xHH. Keys are binary (keys.h), e.g. unit "a1" is a1\x00\x01.
std::string EscapeBytes(std::string_view bytes);

// DataLoss: "column family 'units', key "a1\x00\x01": <problem>".
absl::Status DamagedRecord(Cf cf, std::string_view key, std::string_view problem);

}  // namespace okr::store

#endif  // OKR_STORE_DAMAGE_H_
