#include "services/domain/progress.h"

#include <algorithm>

namespace okr {
namespace {

// Pro-rating by days is inexact in binary floating point (3100 x 10 / 31 need not come out
// as exactly 1000), so a pace or attainment that is mathematically on a threshold must
// not fall below it by a rounding error.
constexpr double kEpsilon = 1e-9;

constexpr double kMicros = 1e6;

double Attainment(const Metric& metric, double target, double actual) {
  if (metric.direction == Direction::kUp) {
    return target == 0 ? 100.0 : actual / target * 100.0;
  }
  return actual == 0 ? 100.0 : target / actual * 100.0;
}

}  // namespace

double Pace(const Metric& metric, const Progress& p) {
  if (metric.kind == MetricKind::kRatio) return p.attainment_pct / 100.0;
  if (metric.direction == Direction::kUp) {
    // Nothing expected yet (a zero target): nothing to fall behind on.
    return p.expected_to_date == 0 ? 1.0 : p.actual / p.expected_to_date;
  }
  // Down: none of what is being kept low has happened yet.
  return p.actual == 0 ? 1.0 : p.expected_to_date / p.actual;
}

std::string_view ProgressStatusName(ProgressStatus status) {
  switch (status) {
    case ProgressStatus::kNoTarget:
      return "no_target";
    case ProgressStatus::kNoData:
      return "no_data";
    case ProgressStatus::kOnTrack:
      return "on_track";
    case ProgressStatus::kAtRisk:
      return "at_risk";
    case ProgressStatus::kOffTrack:
      return "off_track";
    case ProgressStatus::kAchieved:
      return "achieved";
    case ProgressStatus::kMissed:
      return "missed";
  }
  return "no_target";
}

std::optional<DayRange> ActualsWindow(const Period& period, const Date& as_of) {
  const Date first = period.FirstDay();
  if (as_of < first) return std::nullopt;
  return DayRange{first, std::min(period.LastDay(), as_of)};
}

double PeriodTarget(const Metric& metric, const Period& period, const MonthValues& plan) {
  double sum = 0;
  for (int m = period.FirstMonth(); m <= period.LastMonth(); ++m) sum += plan[m - 1];
  if (metric.kind == MetricKind::kCount) return sum;
  return sum / (period.LastMonth() - period.FirstMonth() + 1);
}

double ExpectedToDate(const Metric& metric, const Period& period, const Date& as_of,
                      const MonthValues& plan) {
  if (metric.kind == MetricKind::kRatio) return PeriodTarget(metric, period, plan);
  double expected = 0;
  for (int m = period.FirstMonth(); m <= period.LastMonth(); ++m) {
    const int days = DaysInMonth(period.year, m);
    const int elapsed =
        std::clamp(as_of.DayNumber() - Date{period.year, m, 1}.DayNumber() + 1, 0, days);
    if (elapsed == days) {
      expected += plan[m - 1];  // exact for whole months
    } else if (elapsed > 0) {
      expected += plan[m - 1] * elapsed / days;
    }
  }
  return expected;
}

Progress ComputeProgress(const Metric& metric, const Period& period, const Date& as_of,
                         const std::optional<MonthValues>& plan, const ActualSums& actuals) {
  Progress p;
  if (metric.kind == MetricKind::kCount) {
    p.actual = actuals.value_micros / kMicros;
  } else if (actuals.denominator_micros != 0) {
    // The ratio of the sums: both are in micros, so the factor cancels out.
    p.actual =
        static_cast<double>(actuals.value_micros) / actuals.denominator_micros * metric.scale;
  }
  if (!plan) {
    p.status = ProgressStatus::kNoTarget;
    return p;
  }
  p.target = PeriodTarget(metric, period, *plan);
  p.expected_to_date = ExpectedToDate(metric, period, as_of, *plan);
  p.attainment_pct = Attainment(metric, p.target, p.actual);

  // What is being kept low (complaints, overtime) and did not happen is actual 0, not missing
  // data (PRODUCT.md "Progress").
  const bool none_is_zero =
      metric.kind == MetricKind::kCount && metric.direction == Direction::kDown;
  if ((actuals.events == 0 && !none_is_zero) ||
      (metric.kind == MetricKind::kRatio && actuals.denominator_micros == 0)) {
    p.status = ProgressStatus::kNoData;
  } else if (as_of > period.LastDay()) {
    p.status =
        p.attainment_pct >= 100.0 - kEpsilon ? ProgressStatus::kAchieved : ProgressStatus::kMissed;
  } else {
    const double pace = Pace(metric, p);
    if (pace >= 1.0 - kEpsilon) {
      p.status = ProgressStatus::kOnTrack;
    } else if (pace >= 0.9 - kEpsilon) {
      p.status = ProgressStatus::kAtRisk;
    } else {
      p.status = ProgressStatus::kOffTrack;
    }
  }
  return p;
}

}  // namespace okr
