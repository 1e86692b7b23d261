#include "services/domain/plan_diff.h"

#include <set>

#include "services/domain/progress.h"

namespace okr {

double YearFigureOf(const Metric& metric, const MonthValues& months) {
  return PeriodTarget(metric, Period{Period::Kind::kYear, 0, 0}, months);
}

std::vector<std::string> SubtreeInTreeOrder(const OrgSnapshot& org, const std::string& root) {
  std::vector<std::string> units;
  std::set<std::string> seen;
  std::vector<std::string> stack{root};
  while (!stack.empty()) {
    std::string id = std::move(stack.back());
    stack.pop_back();
    if (!seen.insert(id).second) continue;  // a unit moved within the subtree is listed once
    const std::vector<std::string>& children = org.ChildrenEver(id);
    units.push_back(std::move(id));
    // Pushed in reverse, so the smallest id is visited first.
    for (auto it = children.rbegin(); it != children.rend(); ++it) stack.push_back(*it);
  }
  return units;
}

PlanDiff DiffPlans(const Metric& metric, const std::vector<std::string>& order,
                   const std::map<std::string, MonthValues>& before,
                   const std::map<std::string, MonthValues>& after) {
  std::vector<std::string> units;
  std::set<std::string> listed;
  for (const std::string& id : order) {
    if (after.contains(id) && listed.insert(id).second) units.push_back(id);
  }
  for (const auto& [id, months] : after) {
    if (listed.insert(id).second) units.push_back(id);
  }
  PlanDiff diff;
  for (const std::string& id : units) {
    const MonthValues& now = after.at(id);
    const auto old = before.find(id);
    const bool had_plan = old != before.end();
    const MonthValues was = had_plan ? old->second : MonthValues{};
    bool changed = false;
    for (int m = 0; m < 12; ++m) {
      if (had_plan && was[m] == now[m]) continue;
      diff.cells.push_back(CellChange{id, m + 1, was[m], now[m]});
      changed = true;
    }
    if (changed) {
      diff.units.push_back(
          UnitChange{id, had_plan, YearFigureOf(metric, was), YearFigureOf(metric, now)});
    }
  }
  return diff;
}

}  // namespace okr
