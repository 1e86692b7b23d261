#include "services/core/org_ops.h"

#include <algorithm>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>

#include "absl/strings/str_cat.h"
#include "services/core/apply.h"
#include "services/core/rollup_deltas.h"
#include "services/core/rollup_limits.h"
#include "services/domain/org_import.h"
#include "store/codecs.h"
#include "store/rollup.h"

namespace okr {
namespace {

// What a deactivation changes, for the audit's before and after.
nlohmann::json UnitEndJson(const Unit& unit) {
  return {{"end_date", unit.end_date ? nlohmann::json(unit.end_date->ToString()) : nullptr},
          {"deactivated", unit.deactivated}};
}

absl::StatusOr<const Unit*> FindUnit(const OrgSnapshot& org, std::string_view unit_id) {
  if (unit_id.empty()) return absl::InvalidArgumentError("unit_id is required");
  const Unit* unit = org.Find(unit_id);
  if (unit == nullptr) return absl::NotFoundError("no unit '" + std::string(unit_id) + "'");
  return unit;
}

// Each event remembers the units it was rolled up under. When the tree changes where an
// event's agent sits on the event's day (a move effective on or before it, a new parent),
// its roll-ups move from the old units to the new ones, in the org change's own batch.
// Returns the units whose roll-ups change.
absl::StatusOr<std::vector<std::string>> RerollEvents(ServerState& state, const OrgSnapshot& org,
                                                      uint64_t seq, Applied& applied) {
  store::Batch& batch = applied.batch;
  RollupDeltas deltas;
  // The moved totals must fit where they land, like an ingested event's (rollup_limits.h);
  // given that, every delta below fits too. The totals are read at one point in time (taken
  // under the log's lock, it holds every command before this one), not at one per total.
  RollupSnapshot view(state.rollups());
  YearTotals totals(state.rollups());
  struct Arrival {
    std::vector<std::string> units;
    std::string metric_id;
    int year;
    store::RollupValue amount;
  };
  std::vector<Arrival> arriving;
  absl::Status scan_error = absl::OkStatus();
  absl::Status scanned =
      state.db().Scan(store::Cf::kEvents, "", [&](std::string_view key, std::string_view value) {
        store::EventRecord record;
        if (!record.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
          scan_error = absl::DataLossError("unreadable event record");
          return false;
        }
        const Date day = Date::FromDayNumber(record.day());
        const std::vector<std::string> was(record.rolled_up_under().begin(),
                                           record.rolled_up_under().end());
        const std::vector<std::string> now = org.AncestryOn(record.unit_id(), day);
        if (now == was) return true;
        const store::RollupValue amount{record.value_micros(), record.denominator_micros(), 1};
        // Totals are taken off the old units now and added to the new ones after the scan, so
        // that only where the totals end up is checked (a swap between two full teams fits).
        scan_error =
            totals.Apply({YearTotals::Change{was, record.metric_id(), day.year, amount.Negated()}});
        if (!scan_error.ok()) return false;
        arriving.push_back({now, record.metric_id(), day.year, amount});
        scan_error = deltas.Add(was, record.metric_id(), day, amount.Negated());
        if (scan_error.ok()) scan_error = deltas.Add(now, record.metric_id(), day, amount);
        if (!scan_error.ok()) return false;
        record.clear_rolled_up_under();
        for (const std::string& unit : now) record.add_rolled_up_under(unit);
        batch.PutProto(store::Cf::kEvents, key, record);
        return true;
      });
  if (!scanned.ok()) return scanned;
  if (!scan_error.ok()) return scan_error;
  for (const Arrival& a : arriving) {
    absl::Status fits = totals.Apply({YearTotals::Change{a.units, a.metric_id, a.year, a.amount}});
    if (absl::IsOutOfRange(fits)) {
      return absl::OutOfRangeError(
          absl::StrCat("this org change would move actuals so that ", fits.message()));
    }
    if (!fits.ok()) return fits;
  }
  std::vector<std::string> touched = deltas.Touched();
  state.rollups().Record(seq, std::move(deltas), applied);
  return touched;
}

}  // namespace

namespace {

// True when `changed` moves a unit of `org` (a new parent, other moves): the events of the
// agents below it may now roll up elsewhere.
bool TreeChanges(const OrgSnapshot& org, const std::vector<Unit>& changed) {
  for (const Unit& unit : changed) {
    if (const Unit* old = org.Find(unit.id);
        old != nullptr && (old->parent_id != unit.parent_id || old->moves != unit.moves)) {
      return true;
    }
  }
  return false;
}

}  // namespace

absl::Status CommitUnits(ServerState& state, const std::vector<Unit>& changed,
                         store::AuditRecord audit, const Caller& caller) {
  // Ingestion takes this lock too, so no event is written with the old tree meanwhile (the
  // caller holds org_mu, so the tree it is decided on is the one the command is applied to).
  std::unique_lock<std::mutex> actuals_lock(state.actuals_mu, std::defer_lock);
  if (TreeChanges(*state.org(), changed)) actuals_lock.lock();
  store::Command command = NewCommand(state, caller);
  store::CommitUnitsCommand& commit = *command.mutable_commit_units();
  for (const Unit& unit : changed) *commit.add_units() = store::ToRecord(unit);
  *commit.mutable_audit() = std::move(audit);
  return state.commands().Run(std::move(command), [&](const store::Command& c, Applied& applied) {
    return ApplyCommitUnits(state, c, applied);
  });
}

absl::Status ApplyCommitUnits(ServerState& state, const store::Command& command, Applied& applied) {
  std::vector<Unit> changed;
  changed.reserve(command.commit_units().units_size());
  for (const store::UnitRecord& record : command.commit_units().units()) {
    changed.push_back(store::FromRecord(record));
  }
  std::shared_ptr<const OrgSnapshot> org = state.org();
  auto next = std::make_shared<const OrgSnapshot>(WithUnits(*org, changed));
  std::vector<std::string> touched;
  // First what can fail: the moved totals must fit where they land.
  if (TreeChanges(*org, changed)) {
    auto rerolled = RerollEvents(state, *next, command.seq(), applied);
    if (!rerolled.ok()) return rerolled.status();
    touched = *std::move(rerolled);
  }
  for (const store::UnitRecord& record : command.commit_units().units()) {
    applied.batch.PutProto(store::Cf::kUnits, store::UnitKey(record.unit_id()), record);
  }
  store::AuditRecord audit = command.commit_units().audit();
  audit.set_at_unix_micros(command.accepted_unix_micros());
  state.Audit(applied.batch, std::move(audit));
  applied.after_write.push_back([&state, next = std::move(next), touched = std::move(touched)] {
    state.SetOrg(next);
    if (!touched.empty()) state.watches().Touch(touched);
  });
  return absl::OkStatus();
}

absl::StatusOr<OrgImportResult> ImportOrg(ServerState& state, const Caller& caller,
                                          const CsvUpload& upload) {
  std::lock_guard<std::mutex> lock(state.org_mu);
  std::shared_ptr<const OrgSnapshot> org = state.org();
  OrgImportPlan plan = PlanOrgImport(upload.text, *org);
  OrgImportResult result;
  result.rejected = plan.rejected;
  result.errors = plan.errors;
  result.warnings = plan.warnings;
  if (!plan.errors.empty()) return result;  // all or nothing: store nothing
  result.created = static_cast<int>(plan.created.size());
  result.updated = static_cast<int>(plan.updated.size());
  result.unchanged = plan.unchanged;
  std::vector<Unit> changed = plan.created;
  changed.insert(changed.end(), plan.updated.begin(), plan.updated.end());
  // The headcount per group of the org as the import leaves it (or would, on a dry run).
  result.groups_as_of = state.clock().Today();
  result.groups = SummarizeGroups(WithUnits(*org, changed), result.groups_as_of);
  if (upload.dry_run || changed.empty()) return result;
  store::AuditRecord audit = NewAudit(caller, "org.import");
  audit.set_after_json(
      nlohmann::json{{"created", plan.created.size()}, {"updated", plan.updated.size()}}.dump());
  if (absl::Status s = CommitUnits(state, changed, std::move(audit), caller); !s.ok()) return s;
  return result;
}

absl::StatusOr<Unit> GetUnit(ServerState& state, std::string_view unit_id) {
  auto org = state.org();
  auto unit = FindUnit(*org, unit_id);
  if (!unit.ok()) return unit.status();
  return **unit;
}

absl::StatusOr<SubtreePage> ListSubtree(ServerState& state, const Caller& caller,
                                        const SubtreeQuery& query) {
  if (query.depth < 0) return absl::InvalidArgumentError("depth must be >= 0");
  auto org = state.org();
  const Date day = query.as_of;
  std::vector<std::string> roots;
  const std::string scope = ScopeUnit(caller, query.unit_id);
  if (!scope.empty()) {
    auto unit = FindUnit(*org, scope);
    if (!unit.ok()) return unit.status();
    roots.push_back(scope);
  } else {
    for (const Unit& unit : org->units()) {  // sorted by id
      if (unit.ParentOn(day).empty()) roots.push_back(unit.id);
    }
  }
  const std::string& after = query.page.after;
  // A unit at `path` is listed when its path sorts after the cursor; its subtree is entered
  // when it may hold such paths: the unit is past the cursor, is the cursor's unit, or lies on
  // the way down to it.
  auto listed = [&](const std::string& path) { return after.empty() || path > after; };
  auto entered = [&](const std::string& path) {
    return listed(path) ||
           (after.starts_with(path) &&
            (after.size() == path.size() || after[path.size()] == kSubtreeCursorSeparator));
  };
  // Depth-first, children by id, following the tree as it stands on `day`.
  SubtreePage page;
  struct Visit {
    std::string id;
    int depth;
    std::string path;
  };
  std::vector<Visit> stack;
  for (auto it = roots.rbegin(); it != roots.rend(); ++it) {
    if (entered(*it)) stack.push_back({*it, 0, *it});
  }
  std::string last_path;  // of the page's last entry
  while (!stack.empty()) {
    Visit visit = std::move(stack.back());
    stack.pop_back();
    if (listed(visit.path)) {
      if (page.entries.size() == query.page.limit) {
        page.next_cursor = std::move(last_path);  // this unit starts the next page
        break;
      }
      const Unit* unit = org->Find(visit.id);
      page.entries.push_back(
          {*unit, visit.depth, unit->kind != UnitKind::kAgent || unit->ActiveOn(day)});
      last_path = visit.path;
    }
    if (query.depth > 0 && visit.depth >= query.depth) continue;
    const auto& children = org->ChildrenEver(visit.id);
    for (auto c = children.rbegin(); c != children.rend(); ++c) {
      const Unit* child = org->Find(*c);
      if (child == nullptr || child->ParentOn(day) != visit.id) continue;
      std::string path = visit.path;
      path += kSubtreeCursorSeparator;
      path += *c;
      if (entered(path)) stack.push_back({*c, visit.depth + 1, std::move(path)});
    }
  }
  return page;
}

absl::StatusOr<Unit> MoveUnit(ServerState& state, const Caller& caller, const UnitMove& move) {
  std::lock_guard<std::mutex> lock(state.org_mu);
  auto org = state.org();
  auto unit = FindUnit(*org, move.unit_id);
  if (!unit.ok()) return unit.status();
  auto parent = FindUnit(*org, move.new_parent_id);
  if (!parent.ok()) return parent.status();
  if (!move.effective.ok()) return move.effective.status();
  const Date effective = *move.effective;
  if ((*parent)->kind == UnitKind::kAgent) {
    return absl::InvalidArgumentError("cannot move '" + move.unit_id + "' below agent '" +
                                      move.new_parent_id + "'");
  }
  for (const std::string& up : org->AncestryOn(move.new_parent_id, effective)) {
    if (up == move.unit_id) {
      return absl::InvalidArgumentError("moving '" + move.unit_id + "' below '" +
                                        move.new_parent_id + "' would make a cycle");
    }
  }
  Unit moved = **unit;
  const std::string before = moved.ParentOn(effective);
  // A later move on the same day replaces the earlier one; moves stay sorted by date.
  std::erase_if(moved.moves, [&](const Move& m) { return m.effective == effective; });
  moved.moves.push_back(Move{effective, move.new_parent_id});
  std::sort(moved.moves.begin(), moved.moves.end(),
            [](const Move& a, const Move& b) { return a.effective < b.effective; });
  store::AuditRecord audit = NewAudit(caller, "org.move", moved.id, {}, move.reason);
  audit.set_before_json(nlohmann::json{{"parent_id", before}}.dump());
  audit.set_after_json(
      nlohmann::json{{"parent_id", move.new_parent_id}, {"effective", effective.ToString()}}
          .dump());
  if (absl::Status s = CommitUnits(state, {moved}, std::move(audit), caller); !s.ok()) return s;
  return moved;
}

absl::StatusOr<Unit> DeactivateUnit(ServerState& state, const Caller& caller, const UnitEnd& end) {
  std::lock_guard<std::mutex> lock(state.org_mu);
  auto org = state.org();
  auto unit = FindUnit(*org, end.unit_id);
  if (!unit.ok()) return unit.status();
  if (!end.end_date.ok()) return end.end_date.status();
  const std::optional<Date>& end_date = *end.end_date;
  Unit changed = **unit;
  if (end_date) {
    if (changed.start_date && *end_date < *changed.start_date) {
      return absl::InvalidArgumentError("end_date " + end_date->ToString() +
                                        " is before the start date");
    }
    // Deactivating ends a unit; it never extends one that has already ended.
    if (changed.end_date && *changed.end_date < *end_date) {
      return absl::FailedPreconditionError(
          "unit '" + changed.id + "' already ended on " + changed.end_date->ToString() +
          "; deactivate does not move it later to " + end_date->ToString() +
          " (re-import the unit to change its dates)");
    }
    changed.end_date = *end_date;
  } else {
    changed.deactivated = true;
  }
  store::AuditRecord audit = NewAudit(caller, "org.deactivate", changed.id, {}, end.reason);
  audit.set_before_json(UnitEndJson(**unit).dump());
  audit.set_after_json(UnitEndJson(changed).dump());
  if (absl::Status s = CommitUnits(state, {changed}, std::move(audit), caller); !s.ok()) return s;
  return changed;
}

absl::StatusOr<Metric> DefineMetric(ServerState& state, const Caller& caller,
                                    const Metric& metric) {
  std::lock_guard<std::mutex> lock(state.plan_mu);
  store::Command command = NewCommand(state, caller);
  *command.mutable_define_metric()->mutable_metric() = store::ToRecord(metric);
  absl::Status s =
      state.commands().Run(std::move(command), [&](const store::Command& c, Applied& applied) {
        return ApplyDefineMetric(state, c, applied);
      });
  if (!s.ok()) return s;
  return metric;
}

absl::Status ApplyDefineMetric(ServerState& state, const store::Command& command,
                               Applied& applied) {
  const Metric metric = store::FromRecord(command.define_metric().metric());
  auto existing = state.FindMetric(metric.id);
  if (existing && (existing->kind != metric.kind)) {
    return absl::FailedPreconditionError("metric '" + metric.id + "' is already a " +
                                         std::string(MetricKindName(existing->kind)) +
                                         " metric; its kind cannot change");
  }
  applied.batch.PutProto(store::Cf::kMetrics, store::MetricKey(metric.id),
                         command.define_metric().metric());
  store::AuditRecord audit =
      NewAudit(command, existing ? "metric.update" : "metric.define", {}, metric.id);
  audit.set_after_json(nlohmann::json{
      {"kind", MetricKindName(metric.kind)},
      {"direction", DirectionName(metric.direction)},
      {"scale", metric.scale},
      {"unit",
       metric.unit}}.dump());
  state.Audit(applied.batch, std::move(audit));
  applied.after_write.push_back([&state, metric] { state.PutMetric(metric); });
  return absl::OkStatus();
}

}  // namespace okr
