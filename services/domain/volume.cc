#include "services/domain/volume.h"

namespace okr {

double Volume(const Metric& metric, const ActualSums& sums) {
  const int64_t micros =
      metric.kind == MetricKind::kRatio ? sums.denominator_micros : sums.value_micros;
  return static_cast<double>(micros) / 1e6;
}

}  // namespace okr
