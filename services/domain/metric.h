// Metrics: what is measured, how it adds up, and which way is better.
#ifndef OKR_SERVICES_DOMAIN_METRIC_H_
#define OKR_SERVICES_DOMAIN_METRIC_H_

#include <array>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace okr {

// count: additive (tickets, complaints, overtime hours).
// ratio: sum of numerators over sum of denominators (CSAT, AHT, FCR), shown times `scale`.
enum class MetricKind { kCount, kRatio };
enum class Direction { kUp, kDown };

struct Metric {
  std::string id;
  MetricKind kind = MetricKind::kCount;
  Direction direction = Direction::kUp;
  double scale = 1.0;
  std::string unit;  // display label, e.g. "%" or "s"
  std::string name;
};

// A ratio shown in percent (scale 100: CSAT, FCR). PRODUCT.md "Limits": its targets stay
// within 0-100 and each actual's numerator within its denominator (30 satisfied of 20
// responses is a typo, not 150%).
inline bool IsPercentage(const Metric& metric) {
  return metric.kind == MetricKind::kRatio && metric.scale == 100;
}

std::string_view MetricKindName(MetricKind kind);
std::string_view DirectionName(Direction direction);
absl::StatusOr<MetricKind> ParseMetricKind(std::string_view text);
absl::StatusOr<Direction> ParseDirection(std::string_view text);

// Twelve monthly values, January first. Count plans hold whole numbers.
using MonthValues = std::array<double, 12>;

}  // namespace okr

#endif  // OKR_SERVICES_DOMAIN_METRIC_H_
