// What the dashboard shows when its address names no metric or no period, and its alerts
// grouped by unit and rule.
//
// It opens on the metric of the first target a director set (the first `target.set` in the
// history; the first metric by id when no target is set yet), for the last completed month:
// the running month is mostly empty, and an empty month of a "down" metric reads as success
// (no complaints yet). When that month lies in a year without a plan for the unit (in January,
// with only this year planned), it opens on this year instead.
#ifndef OKR_SERVICES_HTTP_DASHBOARD_VIEW_H_
#define OKR_SERVICES_HTTP_DASHBOARD_VIEW_H_

#include <string>
#include <vector>

#include "services/core/server_state.h"
#include "services/domain/calendar.h"
#include "services/domain/metric.h"
#include "store/records.pb.h"

namespace okr {

// The metric id of the first target set, or "" when none is.
std::string FirstTargetMetric(ServerState& state);

// The period the dashboard opens on for `metric` at `unit`: "YYYY-MM" or "YYYY".
std::string DefaultDashboardPeriod(ServerState& state, const Metric& metric,
                                   const std::string& unit, const Date& today);

// The alerts in work (open or acknowledged) of one unit and rule, in id order.
struct AlertGroup {
  std::string unit_id, rule;
  std::vector<store::AlertRecord> alerts;
};
// `alerts` grouped by unit and rule (by unit id, then rule), those in work only.
std::vector<AlertGroup> GroupAlertsInWork(const std::vector<store::AlertRecord>& alerts);

}  // namespace okr

#endif  // OKR_SERVICES_HTTP_DASHBOARD_VIEW_H_
