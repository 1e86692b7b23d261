// Conversions between domain types and okr.v1 messages, in one place.
#ifndef OKR_SERVICES_API_CONVERT_H_
#define OKR_SERVICES_API_CONVERT_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "okr/v1/common.pb.h"
#include "okr/v1/metric.pb.h"
#include "okr/v1/org.pb.h"
#include "services/domain/metric.h"
#include "services/domain/org.h"

namespace okr {

v1::Unit ToProto(const Unit& unit);
v1::UnitKind ToProto(UnitKind kind);
v1::Metric ToProto(const Metric& metric);
absl::StatusOr<Metric> FromProto(const v1::Metric& metric);

// "line 7: message" or "line 7, column name: message" -> line 7 and the whole text as the
// message; errors without a line number keep line 0.
v1::RowError ToRowError(const std::string& error);

// An error message safe to send back: at most kMaxMessageChars bytes (messages quote client
// input, which may be megabytes: a status message that large exceeds the client's metadata
// limit and the real status is lost) and valid UTF-8 (CSV input is bytes; a proto3 string
// with invalid UTF-8 does not parse at the client). Invalid bytes become '?'.
inline constexpr size_t kMaxMessageChars = 1024;
std::string SafeMessage(std::string_view text);

}  // namespace okr

#endif  // OKR_SERVICES_API_CONVERT_H_
