#include "services/api/request_fields.h"

#include <string>

namespace okr {

absl::StatusOr<Date> ParseDateField(std::string_view field, std::string_view text) {
  auto date = Date::Parse(text);
  if (!date.ok()) {
    return absl::InvalidArgumentError(std::string(field) + ": " +
                                      std::string(date.status().message()));
  }
  return date;
}

absl::StatusOr<std::optional<Date>> ParseOptionalDate(std::string_view text) {
  if (text.empty()) return std::optional<Date>();
  auto date = Date::Parse(text);
  if (!date.ok()) return date.status();
  return std::optional<Date>(*date);
}

absl::StatusOr<std::optional<Date>> ParseOptionalDateField(std::string_view field,
                                                           std::string_view text) {
  auto date = ParseOptionalDate(text);
  if (!date.ok()) {
    return absl::InvalidArgumentError(std::string(field) + ": " +
                                      std::string(date.status().message()));
  }
  return date;
}

}  // namespace okr
