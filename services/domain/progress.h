// Progress of a unit on a metric over a period, as of a day: the rules of PRODUCT.md
// "Progress". Pure: the caller sums the actuals of the agents below the unit over
// ActualsWindow(period, as_of) and passes the unit's plan for period.year.
#ifndef OKR_SERVICES_DOMAIN_PROGRESS_H_
#define OKR_SERVICES_DOMAIN_PROGRESS_H_

#include <cstdint>
#include <optional>
#include <string_view>

#include "services/domain/calendar.h"
#include "services/domain/metric.h"

namespace okr {

// Sums of ActualEvent values over a set of agents and days.
struct ActualSums {
  int64_t value_micros = 0;
  int64_t denominator_micros = 0;
  int64_t events = 0;

  ActualSums& operator+=(const ActualSums& other) {
    value_micros += other.value_micros;
    denominator_micros += other.denominator_micros;
    events += other.events;
    return *this;
  }
};

enum class ProgressStatus { kNoTarget, kNoData, kOnTrack, kAtRisk, kOffTrack, kAchieved, kMissed };

// no_target, no_data, on_track, at_risk, off_track, achieved, missed.
std::string_view ProgressStatusName(ProgressStatus status);

struct Progress {
  double target = 0;            // count: sum of the period's months; ratio: their mean
  double actual = 0;            // count: sum; ratio: sum of values / sum of denominators x scale
  double expected_to_date = 0;  // count: the target pro-rated by days elapsed; ratio: target
  double attainment_pct = 0;    // up: actual / target; down: target / actual (x 100)
  ProgressStatus status = ProgressStatus::kNoTarget;
};

// An inclusive range of days.
struct DayRange {
  Date first;
  Date last;
  friend bool operator==(const DayRange&, const DayRange&) = default;
};

// The days whose actuals count for `period` as of `as_of`: from the period's first day to
// the earlier of its last day and `as_of`; nullopt when `as_of` is before the period.
std::optional<DayRange> ActualsWindow(const Period& period, const Date& as_of);

// The period's target from the unit's twelve months of period.year.
double PeriodTarget(const Metric& metric, const Period& period, const MonthValues& plan);

// count: the sum over the period's months of target x (days of the month up to and
// including `as_of`) / (days in the month). ratio: PeriodTarget.
double ExpectedToDate(const Metric& metric, const Period& period, const Date& as_of,
                      const MonthValues& plan);

// How the period runs against its pace so far (PRODUCT.md "Progress"): actual /
// expected_to_date (down: expected / actual; ratio: attainment / 100); 1.0 is exactly on pace.
double Pace(const Metric& metric, const Progress& progress);

// `plan`: the unit's months for period.year, nullopt when it has no target.
// `actuals`: the sums over ActualsWindow(period, as_of).
Progress ComputeProgress(const Metric& metric, const Period& period, const Date& as_of,
                         const std::optional<MonthValues>& plan, const ActualSums& actuals);

}  // namespace okr

#endif  // OKR_SERVICES_DOMAIN_PROGRESS_H_
