#include "services/core/hold_check.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "services/core/plan_ops.h"
#include "services/domain/calendar.h"
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

namespace {

// The request that re-cascades, over the whole year, the plan that holds `unit`'s row, as its
// root's cascade was last run (method and weights); nullopt when there is nothing to check
// against: the unit has no plan yet (the cascade that plans it will check), or the plan's root
// lost its target.
absl::StatusOr<std::optional<CascadeRequest>> PlanRequestOf(ServerState& state,
                                                            const OrgSnapshot& org,
                                                            const Metric& metric, int year,
                                                            const std::string& unit) {
  store::PlanRecord row;
  auto planned =
      state.db().GetProto(store::Cf::kPlans, store::PlanKey(metric.id, year, unit), &row);
  if (!planned.ok()) return planned.status();
  if (!*planned || row.root_unit().empty()) return std::optional<CascadeRequest>();
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
  if (!request.ok()) return std::optional<CascadeRequest>();
  request->org = &org;
  return std::optional<CascadeRequest>(*std::move(request));
}

bool SameCell(const Hold& a, const Hold& b) { return a.unit_id == b.unit_id && a.month == b.month; }

// Whether `hold` is what keeps `with` (a request holding it, among others) from cascading:
// OK when the cascade runs with it, or fails without it too (then another hold or the org
// breaks the plan, not this one); else FAILED_PRECONDITION naming the held unit, the period
// and what its parent has available.
absl::Status CheckCarried(const OrgSnapshot& org, int year, const CascadeRequest& with,
                          const Hold& hold) {
  auto with_plan = Cascade(with);
  if (with_plan.ok()) return absl::OkStatus();
  CascadeRequest without_request = with;
  std::erase_if(without_request.holds, [&](const Hold& h) { return SameCell(h, hold); });
  auto without = Cascade(without_request);
  if (!without.ok()) return absl::OkStatus();

  const std::string period = PeriodText(year, hold.month);
  const Unit* unit = org.Find(hold.unit_id);
  if (hold.month != 0 && unit != nullptr) {
    const std::string& parent = unit->ParentOn(Date{year, hold.month, 1});
    auto parent_row = without->rows.find(parent);
    if (!parent.empty() && parent_row != without->rows.end()) {
      const double parent_month = parent_row->second.months[hold.month - 1];
      double held_by_siblings = 0;
      for (const Hold& other : without_request.holds) {
        if (other.month != hold.month) continue;
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
                   " cannot be carried: ", with_plan.status().message()));
}

}  // namespace

absl::Status CheckHoldIsCarried(ServerState& state, const OrgSnapshot& org, const Metric& metric,
                                int year, const Hold& hold) {
  // Ratio targets are inherited, not shared out: any value can be held.
  if (metric.kind != MetricKind::kCount) return absl::OkStatus();
  auto request = PlanRequestOf(state, org, metric, year, hold.unit_id);
  if (!request.ok()) return request.status();
  if (!request->has_value()) return absl::OkStatus();
  CascadeRequest& with = **request;
  std::erase_if(with.holds, [&](const Hold& h) { return SameCell(h, hold); });
  with.holds.push_back(hold);
  // One cascade when the hold fits (the usual case); a second only to explain a refusal.
  return CheckCarried(org, year, with, hold);
}

absl::StatusOr<std::vector<HoldMisfit>> FindStoredHoldsThatDoNotFit(ServerState& state,
                                                                    const OrgSnapshot& org,
                                                                    const Metric& metric,
                                                                    int year) {
  auto holds = LoadHolds(state, metric.id, year);
  if (!holds.ok()) return holds.status();
  std::vector<HoldMisfit> misfits;
  std::vector<Hold> on_inactive;  // reported once, and left out of the carried checks
  for (const Hold& hold : *holds) {
    if (absl::Status s = CheckHoldOnActiveAgent(org, year, hold); !s.ok()) {
      misfits.push_back(HoldMisfit{hold, std::string(s.message())});
      on_inactive.push_back(hold);
    }
  }
  // Ratio targets are inherited: every value can be carried.
  if (metric.kind != MetricKind::kCount) return misfits;  // in key order already
  // Per plan root, the plan is re-cascaded once with its stored holds; only when that fails is
  // each of its holds tried without it.
  struct RootCheck {
    std::optional<CascadeRequest> request;
    bool cascades = true;
  };
  std::map<std::string, RootCheck> roots;
  for (const Hold& hold : *holds) {
    if (std::any_of(on_inactive.begin(), on_inactive.end(),
                    [&](const Hold& h) { return SameCell(h, hold); })) {
      continue;
    }
    store::PlanRecord row;
    auto planned =
        state.db().GetProto(store::Cf::kPlans, store::PlanKey(metric.id, year, hold.unit_id), &row);
    if (!planned.ok()) return planned.status();
    if (!*planned || row.root_unit().empty()) continue;
    auto [it, added] = roots.try_emplace(row.root_unit());
    RootCheck& root = it->second;
    if (added) {
      auto request = PlanRequestOf(state, org, metric, year, hold.unit_id);
      if (!request.ok()) return request.status();
      root.request = *std::move(request);
      if (root.request) {
        std::erase_if(root.request->holds, [&](const Hold& h) {
          return std::any_of(on_inactive.begin(), on_inactive.end(),
                             [&](const Hold& off) { return SameCell(off, h); });
        });
        root.cascades = Cascade(*root.request).ok();
      }
    }
    if (!root.request || root.cascades) continue;
    if (absl::Status s = CheckCarried(org, year, *root.request, hold); !s.ok()) {
      misfits.push_back(HoldMisfit{hold, std::string(s.message())});
    }
  }
  std::sort(misfits.begin(), misfits.end(), [](const HoldMisfit& a, const HoldMisfit& b) {
    return std::tie(a.hold.unit_id, a.hold.month) < std::tie(b.hold.unit_id, b.hold.month);
  });
  return misfits;
}

}  // namespace okr
