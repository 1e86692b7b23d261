#include "services/core/plan_check.h"

#include <map>
#include <set>
#include <string>
#include <vector>

#include "services/core/access_policy.h"
#include "services/core/hold_check.h"
#include "services/core/plan_ops.h"
#include "services/domain/plan_diff.h"
#include "store/codecs.h"
#include "store/keys.h"

namespace okr {
namespace {

struct OrgChange {
  int64_t at_unix_micros = 0;  // 0: the org never changed
  std::string action;
};

// The last org change in the audit history (org.import, org.move, org.deactivate, ...).
absl::StatusOr<OrgChange> LastOrgChange(ServerState& state) {
  OrgChange last;
  absl::Status scanned =
      state.db().Scan(store::Cf::kAudit, "", [&](std::string_view, std::string_view value) {
        store::AuditRecord record;
        if (!record.ParseFromArray(value.data(), static_cast<int>(value.size()))) return true;
        if (record.action().starts_with("org.") && record.at_unix_micros() >= last.at_unix_micros) {
          last.at_unix_micros = record.at_unix_micros();
          last.action = record.action();
        }
        return true;
      });
  if (!scanned.ok()) return scanned;
  return last;
}

// Every unit active in `year`: each agent working on at least one day of it, and the units
// above it on the first day of each month in which it works (the tree of that month).
std::set<std::string> ActiveUnits(const OrgSnapshot& org, int year) {
  std::set<std::string> active;
  for (const Unit& unit : org.units()) {
    if (unit.kind != UnitKind::kAgent) continue;
    for (int m = 1; m <= 12; ++m) {
      bool works = false;
      for (int d = 1; d <= DaysInMonth(year, m) && !works; ++d) works = unit.ActiveOn({year, m, d});
      if (!works) continue;
      for (const std::string& id : org.AncestryOn(unit.id, Date{year, m, 1})) active.insert(id);
    }
  }
  return active;
}

// The units in scope in tree order: the scope's subtree, or every root's.
std::vector<std::string> UnitsInOrder(const OrgSnapshot& org, const std::string& scope) {
  if (!scope.empty()) return SubtreeInTreeOrder(org, scope);
  std::vector<std::string> order;
  std::set<std::string> seen;
  for (const Unit& unit : org.units()) {
    if (!unit.parent_id.empty()) continue;
    for (std::string& id : SubtreeInTreeOrder(org, unit.id)) {
      if (seen.insert(id).second) order.push_back(std::move(id));
    }
  }
  for (const Unit& unit : org.units()) {
    if (seen.insert(unit.id).second) order.push_back(unit.id);
  }
  return order;
}

absl::Status CheckMetric(ServerState& state, const OrgSnapshot& org, const Metric& metric, int year,
                         const std::vector<std::string>& units, const std::set<std::string>& active,
                         const std::string& scope, const OrgChange& org_change, MetricCheck* out) {
  out->metric_id = metric.id;
  auto in_scope = [&](const std::string& unit) {
    return scope.empty() || org.IsInSubtreeEver(scope, unit);
  };
  auto stored = LoadPlanRows(state, metric.id, year);
  if (!stored.ok()) return stored.status();
  std::map<std::string, store::PlanRecord> rows = *std::move(stored);
  std::set<std::string> targeted;
  // Targets are keyed as plans are: (metric, year, unit).
  absl::Status scanned = state.db().Scan(store::Cf::kTargets, store::PlanPrefix(metric.id, year),
                                         [&](std::string_view key, std::string_view) {
                                           store::KeyReader reader(key);
                                           reader.Str();
                                           reader.I32();
                                           if (auto unit = reader.Str()) targeted.insert(*unit);
                                           return true;
                                         });
  if (!scanned.ok()) return scanned;
  out->planned = !rows.empty() || !targeted.empty();
  if (out->planned) {
    for (const std::string& id : units) {
      if (!active.contains(id) || rows.contains(id) || targeted.contains(id)) continue;
      const Unit* unit = org.Find(id);
      out->missing.push_back(MissingTarget{id, unit->name, unit->kind});
    }
  }
  if (org_change.at_unix_micros != 0) {
    // Rows older than the change, by the cascade that wrote them (its root and time).
    std::map<std::pair<std::string, int64_t>, uint32_t> stale;
    for (const auto& [unit, row] : rows) {
      if (!in_scope(unit) || row.written_at_unix_micros() >= org_change.at_unix_micros) continue;
      ++stale[{row.root_unit(), row.written_at_unix_micros()}];
    }
    for (const auto& [key, count] : stale) {
      out->stale.push_back(StalePlan{key.first, count, key.second});
    }
  }
  auto misfits = FindStoredHoldsThatDoNotFit(state, org, metric, year);
  if (!misfits.ok()) return misfits.status();
  for (HoldMisfit& misfit : *misfits) {
    if (in_scope(misfit.hold.unit_id)) out->holds.push_back(std::move(misfit));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<PlanCheck> CheckPlans(ServerState& state, const Caller& caller,
                                     const PlanCheckQuery& query) {
  if (absl::Status s = CheckYear(query.year); !s.ok()) return s;
  std::vector<Metric> metrics;
  if (!query.metric_id.empty()) {
    auto metric = RequireMetric(state, query.metric_id);
    if (!metric.ok()) return metric.status();
    metrics.push_back(*metric);
  } else {
    metrics = state.Metrics();  // by id
  }
  auto org = state.org();
  const std::string scope = ScopeUnit(caller, query.unit_id);
  if (!scope.empty() && org->Find(scope) == nullptr) {
    return absl::NotFoundError("no unit '" + scope + "'");
  }
  // One point in time for every read below, the hold checks' cascades included.
  store::ReadSnapshot snapshot(state.db());
  auto org_change = LastOrgChange(state);
  if (!org_change.ok()) return org_change.status();
  PlanCheck out;
  out.year = query.year;
  out.last_org_change_at_unix_micros = org_change->at_unix_micros;
  if (org_change->at_unix_micros != 0) out.last_org_change = org_change->action;
  const std::vector<std::string> units = UnitsInOrder(*org, scope);
  const std::set<std::string> active = ActiveUnits(*org, query.year);
  for (const Metric& metric : metrics) {
    MetricCheck& check = out.metrics.emplace_back();
    absl::Status s =
        CheckMetric(state, *org, metric, query.year, units, active, scope, *org_change, &check);
    if (!s.ok()) return s;
  }
  return out;
}

}  // namespace okr
