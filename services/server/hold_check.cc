#include "services/server/hold_check.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "services/domain/calendar.h"
#include "services/server/plan_ops.h"
#include "store/codecs.h"
#include "store/keys.h"

namespace okr {
namespace {

std::string PeriodText(int year, int month) {
  Period period;
  period.year = year;
  period.kind = month == 0 ? Period::Kind::kYear : Period::Kind::kMonth;
  period.index = month;
  return period.ToString();
}

// Count cells are whole numbers; shown without an exponent.
std::string Whole(double value) { return absl::StrCat(std::llround(value)); }

}  // namespace

absl::Status CheckHoldOnActiveAgent(const OrgSnapshot& org, int year, const Hold& hold) {
  const Unit* unit = org.Find(hold.unit_id);
  if (unit == nullptr || unit->kind != UnitKind::kAgent || hold.value == 0) {
    return absl::OkStatus();
  }
  const Date first{year, hold.month == 0 ? 1 : hold.month, 1};
  const Date last{year, hold.month == 0 ? 12 : hold.month,
                  hold.month == 0 ? 31 : DaysInMonth(year, hold.month)};
  if (!unit->deactivated) {
    const Date from = unit->start_date ? std::max(first, *unit->start_date) : first;
    const Date to = unit->end_date ? std::min(last, *unit->end_date) : last;
    if (!(to < from)) return absl::OkStatus();
  }
  std::string dates;
  if (unit->deactivated) {
    dates = "deactivated";
  } else {
    dates = absl::StrCat("works ", unit->start_date ? unit->start_date->ToString() : "", "..",
                         unit->end_date ? unit->end_date->ToString() : "");
  }
  return absl::FailedPreconditionError(absl::StrCat("agent '", hold.unit_id, "' is not active in ",
                                                    PeriodText(year, hold.month), " (", dates,
                                                    "): an inactive agent's target is 0"));
}

absl::Status CheckHoldIsCarried(ServerState& state, const OrgSnapshot& org, const Metric& metric,
                                int year, const Hold& hold) {
  // Ratio targets are inherited, not shared out: any value can be held.
  if (metric.kind != MetricKind::kCount) return absl::OkStatus();
  store::PlanRecord row;
  auto planned =
      state.db().GetProto(store::Cf::kPlans, store::PlanKey(metric.id, year, hold.unit_id), &row);
  if (!planned.ok()) return planned.status();
  if (!*planned || row.root_unit().empty()) return absl::OkStatus();

  // The cascade of the plan's root as it was last run (method and weights), over the year.
  store::PlanRecord root;
  auto has_root = state.db().GetProto(store::Cf::kPlans,
                                      store::PlanKey(metric.id, year, row.root_unit()), &root);
  if (!has_root.ok()) return has_root.status();
  SplitMethod method = SplitMethod::kFte;
  std::map<std::string, double> weights;
  if (*has_root) {
    method = static_cast<SplitMethod>(root.method());
    for (const auto& [child, weight] : root.weights()) weights[child] = weight;
  }
  auto request =
      BuildCascadeRequest(state, metric, year, row.root_unit(), method, std::move(weights), 1);
  if (!request.ok()) return absl::OkStatus();  // the root lost its target: nothing to check
  request->org = &org;
  auto without = Cascade(*request);
  // When the plan cannot be re-cascaded as it stands, this hold is not what breaks it.
  if (!without.ok()) return absl::OkStatus();

  std::erase_if(request->holds,
                [&](const Hold& h) { return h.unit_id == hold.unit_id && h.month == hold.month; });
  request->holds.push_back(hold);
  auto with = Cascade(*request);
  if (with.ok()) return absl::OkStatus();

  const std::string period = PeriodText(year, hold.month);
  const Unit* unit = org.Find(hold.unit_id);
  if (hold.month != 0 && unit != nullptr) {
    const std::string& parent = unit->ParentOn(Date{year, hold.month, 1});
    auto parent_row = without->rows.find(parent);
    if (!parent.empty() && parent_row != without->rows.end()) {
      const double parent_month = parent_row->second.months[hold.month - 1];
      double held_by_siblings = 0;
      for (const Hold& other : request->holds) {
        if (other.month != hold.month || other.unit_id == hold.unit_id) continue;
        const Unit* sibling = org.Find(other.unit_id);
        if (sibling != nullptr && sibling->ParentOn(Date{year, hold.month, 1}) == parent) {
          held_by_siblings += other.value;
        }
      }
      const double available = std::max(0.0, parent_month - held_by_siblings);
      std::string others;
      if (held_by_siblings > 0) {
        others = absl::StrCat(", other holds below it take ", Whole(held_by_siblings));
      }
      return absl::FailedPreconditionError(
          absl::StrCat("hold of ", Whole(hold.value), " on unit '", hold.unit_id, "' for ", period,
                       " cannot be carried: its parent '", parent, "' has ", Whole(parent_month),
                       " in ", period, others, "; at most ", Whole(available), " is available"));
    }
  }
  return absl::FailedPreconditionError(
      absl::StrCat("hold of ", Whole(hold.value), " on unit '", hold.unit_id, "' for ", period,
                   " cannot be carried: ", with.status().message()));
}

}  // namespace okr
