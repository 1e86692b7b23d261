#include "services/domain/metric.h"

#include "absl/status/status.h"

namespace okr {

std::string_view MetricKindName(MetricKind kind) {
  return kind == MetricKind::kCount ? "count" : "ratio";
}

std::string_view DirectionName(Direction direction) {
  return direction == Direction::kUp ? "up" : "down";
}

absl::StatusOr<MetricKind> ParseMetricKind(std::string_view text) {
  if (text == "count") return MetricKind::kCount;
  if (text == "ratio") return MetricKind::kRatio;
  return absl::InvalidArgumentError("bad metric kind '" + std::string(text) +
                                    "': expected count or ratio");
}

absl::StatusOr<Direction> ParseDirection(std::string_view text) {
  if (text == "up") return Direction::kUp;
  if (text == "down") return Direction::kDown;
  return absl::InvalidArgumentError("bad direction '" + std::string(text) +
                                    "': expected up or down");
}

}  // namespace okr
