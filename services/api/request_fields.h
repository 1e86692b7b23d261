// Reading the typed fields of a request: a date field's text becomes a Date, or an
// InvalidArgument that names the field ("effective: not a date 'x' (want YYYY-MM-DD)").
#ifndef OKR_SERVICES_API_REQUEST_FIELDS_H_
#define OKR_SERVICES_API_REQUEST_FIELDS_H_

#include <optional>
#include <string_view>

#include "absl/status/statusor.h"
#include "services/domain/calendar.h"

namespace okr {

absl::StatusOr<Date> ParseDateField(std::string_view field, std::string_view text);

// An optional date: nullopt when `text` is empty; Date::Parse's error otherwise.
absl::StatusOr<std::optional<Date>> ParseOptionalDate(std::string_view text);

// An optional date field: nullopt when `text` is empty.
absl::StatusOr<std::optional<Date>> ParseOptionalDateField(std::string_view field,
                                                           std::string_view text);

}  // namespace okr

#endif  // OKR_SERVICES_API_REQUEST_FIELDS_H_
