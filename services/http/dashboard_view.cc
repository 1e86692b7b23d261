#include "services/http/dashboard_view.h"

#include <map>
#include <utility>

#include "services/core/alerts.h"
#include "services/core/plan_ops.h"

namespace okr {

std::string FirstTargetMetric(ServerState& state) {
  std::string metric;
  state.db()
      .Scan(store::Cf::kAudit, "",
            [&](std::string_view, std::string_view value) {
              store::AuditRecord record;
              if (!record.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
                return true;
              }
              if (record.action() != "target.set" || record.metric_id().empty()) return true;
              metric = record.metric_id();
              return false;  // the history is in order: the first one is the answer
            })
      .IgnoreError();
  return metric;
}

std::string DefaultDashboardPeriod(ServerState& state, const Metric& metric,
                                   const std::string& unit, const Date& today) {
  const Period completed = today.month == 1
                               ? Period{Period::Kind::kMonth, today.year - 1, 12}
                               : Period{Period::Kind::kMonth, today.year, today.month - 1};
  if (completed.year != today.year) {
    auto plan = LoadPlanRow(state, metric.id, completed.year, unit);
    auto this_year = LoadPlanRow(state, metric.id, today.year, unit);
    if (plan.ok() && !plan->has_value() && this_year.ok() && this_year->has_value()) {
      return Period{Period::Kind::kYear, today.year, 0}.ToString();
    }
  }
  return completed.ToString();
}

std::vector<AlertGroup> GroupAlertsInWork(const std::vector<store::AlertRecord>& alerts) {
  std::map<std::pair<std::string, std::string>, AlertGroup> groups;
  for (const store::AlertRecord& a : alerts) {
    if (!InWork(a)) continue;
    AlertGroup& group = groups[{a.unit_id(), a.rule()}];
    group.unit_id = a.unit_id();
    group.rule = a.rule();
    group.alerts.push_back(a);
  }
  std::vector<AlertGroup> out;
  for (auto& [key, group] : groups) out.push_back(std::move(group));
  return out;
}

}  // namespace okr
