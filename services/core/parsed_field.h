// A request field that the edge (services/api) parsed from its wire form (a month's text, an
// enum number): the value, or why it could not be parsed. The operation reports that error at
// the point where it checks the field, after the checks that come before it, so that a request
// with several faults is refused for the same one as when the operation read the text itself
// (users and the acceptance tests read the messages).
#ifndef OKR_SERVICES_CORE_PARSED_FIELD_H_
#define OKR_SERVICES_CORE_PARSED_FIELD_H_

#include "absl/status/statusor.h"

namespace okr {

template <typename T>
using Parsed = absl::StatusOr<T>;

}  // namespace okr

#endif  // OKR_SERVICES_CORE_PARSED_FIELD_H_
