#include "services/core/alerts.h"

#include <nlohmann/json.hpp>
#include <vector>

#include "services/core/alert_index.h"
#include "services/core/outcomes.h"
#include "services/domain/breach.h"
#include "store/keys.h"

namespace okr {
namespace {

namespace abi = okr::plugin::v1;

std::string RuleIndexPrefix(std::string_view plugin, std::string_view unit, std::string_view rule) {
  return store::KeyBuilder().Byte('r').Str(plugin).Str(unit).Str(rule).Release();
}

std::string RuleIndexKey(const store::AlertRecord& r) {
  return store::KeyBuilder()
      .Byte('r')
      .Str(r.plugin())
      .Str(r.unit_id())
      .Str(r.rule())
      .I64(AlertNumber(r.alert_id()))
      .Release();
}

// The latest day the alert's breach was seen on (alerts stored before last_seen: as_of).
Date LastSeen(const store::AlertRecord& r) {
  auto day = Date::Parse(r.last_seen().empty() ? r.as_of() : r.last_seen());
  return day.ok() ? *day : Date{};
}

// The alerts of one plugin, unit and rule, by the index.
absl::StatusOr<std::vector<store::AlertRecord>> AlertsOfRule(ServerState& state,
                                                             std::string_view plugin,
                                                             std::string_view unit,
                                                             std::string_view rule) {
  std::vector<std::string> ids;
  absl::Status scanned = state.db().Scan(store::Cf::kAlerts, RuleIndexPrefix(plugin, unit, rule),
                                         [&](std::string_view, std::string_view id) {
                                           ids.emplace_back(id);
                                           return true;
                                         });
  if (!scanned.ok()) return scanned;
  std::vector<store::AlertRecord> out;
  for (const std::string& id : ids) {
    store::AlertRecord r;
    auto found = state.db().GetProto(store::Cf::kAlerts, AlertKey(id), &r);
    if (!found.ok()) return found.status();
    if (*found) out.push_back(std::move(r));
  }
  return out;
}

std::string StatusName(int status) {
  switch (static_cast<AlertStatus>(status)) {
    case AlertStatus::kOpen:
      return "open";
    case AlertStatus::kAcked:
      return "acked";
    case AlertStatus::kResolved:
      return "resolved";
  }
  return "unknown";
}

}  // namespace

bool HasStatus(const store::AlertRecord& r, AlertStatus status) {
  return r.status() == static_cast<int>(status);
}

absl::StatusOr<std::map<std::string, int>> OpenAlertsBySeverity(ServerState& state) {
  std::map<std::string, int> open = {{"info", 0}, {"warning", 0}, {"critical", 0}};
  auto alerts = LoadAlerts(state);
  if (!alerts.ok()) return alerts.status();
  for (const store::AlertRecord& r : *alerts) {
    if (HasStatus(r, AlertStatus::kOpen)) ++open[r.severity()];
  }
  return open;
}

bool InWork(const store::AlertRecord& r) {
  return HasStatus(r, AlertStatus::kOpen) || HasStatus(r, AlertStatus::kAcked);
}

int64_t AlertNumber(std::string_view alert_id) {
  if (alert_id.size() < 2 || alert_id.size() > 19 || alert_id[0] != 'A') return -1;
  int64_t n = 0;
  for (char c : alert_id.substr(1)) {
    if (c < '0' || c > '9') return -1;
    n = n * 10 + (c - '0');
  }
  return n;
}

bool AlertIdLess(std::string_view a, std::string_view b) {
  const int64_t na = AlertNumber(a), nb = AlertNumber(b);
  if ((na < 0) != (nb < 0)) return na >= 0;  // numbered ids first
  if (na != nb) return na < nb;
  return a < b;
}

absl::StatusOr<bool> RecordBreach(ServerState& state, store::Batch& batch, std::string_view plugin,
                                  std::string_view plugin_version, const abi::AlertOut& breach,
                                  const Date& as_of, const std::string& lead_unit) {
  Date window_first = as_of;
  if (auto first = Date::Parse(breach.window_first()); first.ok() && *first < as_of) {
    window_first = *first;
  }
  auto earlier = AlertsOfRule(state, plugin, breach.unit_id(), breach.rule());
  if (!earlier.ok()) return earlier.status();
  std::vector<AlertSpan> spans;
  for (const store::AlertRecord& r : *earlier) spans.push_back({InWork(r), LastSeen(r)});
  if (const int same = FindSameBreach(spans, window_first); same >= 0) {
    store::AlertRecord& r = (*earlier)[same];
    // Still there: the alert in work says so (a resolved one stays as it was resolved).
    if (spans[same].in_work && spans[same].last_seen < as_of) {
      r.set_last_seen(as_of.ToString());
      r.set_latest_figures(breach.figures());
      PutAlert(batch, r);
    }
    return false;
  }
  store::AlertRecord r;
  r.set_alert_id("A" + std::to_string(state.NextCounter(batch, "alert")));
  r.set_unit_id(breach.unit_id());
  r.set_rule(breach.rule());
  r.set_severity(breach.severity());
  r.set_figures(breach.figures());
  r.set_latest_figures(breach.figures());
  r.set_status(static_cast<int>(AlertStatus::kOpen));
  r.set_opened_at_unix(state.clock().NowUnix());
  r.set_escalated_at_unix(r.opened_at_unix());
  r.set_escalated_to(lead_unit);
  r.set_breach_key(breach.breach_key());
  r.set_plugin(std::string(plugin));
  r.set_plugin_version(std::string(plugin_version));
  r.set_as_of(as_of.ToString());
  r.set_last_seen(as_of.ToString());
  r.set_window_first(window_first.ToString());
  PutAlert(batch, r);
  batch.Put(store::Cf::kAlerts, RuleIndexKey(r), r.alert_id());
  store::AuditRecord audit;
  audit.set_actor("okrd:" + std::string(plugin));
  audit.set_action("alert.open");
  audit.set_unit_id(r.unit_id());
  audit.set_after_json(
      nlohmann::json{{"alert", r.alert_id()}, {"rule", r.rule()}, {"figures", r.figures()}}.dump());
  state.Audit(batch, std::move(audit));
  return true;
}

absl::Status IndexAlerts(ServerState& state) {
  std::lock_guard<std::mutex> lock(state.alerts_mu);
  auto alerts = LoadAlerts(state);
  if (!alerts.ok()) return alerts.status();
  if (alerts->empty()) return absl::OkStatus();
  store::Batch batch = state.db().NewBatch();
  for (const store::AlertRecord& r : *alerts) {
    batch.Put(store::Cf::kAlerts, RuleIndexKey(r), r.alert_id());
  }
  return state.db().Commit(batch);
}

absl::Status EscalateAlerts(ServerState& state, int64_t ack_timeout_seconds) {
  std::lock_guard<std::mutex> lock(state.alerts_mu);
  auto alerts = LoadAlerts(state);
  if (!alerts.ok()) return alerts.status();
  auto org = state.org();
  const int64_t now = state.clock().NowUnix();
  store::Batch batch = state.db().NewBatch();
  for (store::AlertRecord& r : *alerts) {
    if (!HasStatus(r, AlertStatus::kOpen)) continue;
    if (now - r.escalated_at_unix() < ack_timeout_seconds) continue;
    const Unit* current = org->Find(r.escalated_to());
    if (current == nullptr) continue;
    const std::string next = current->ParentOn(state.clock().Today());
    if (next.empty()) continue;  // already at the top (the director)
    r.set_escalation_level(r.escalation_level() + 1);
    r.set_escalated_to(next);
    r.set_escalated_at_unix(now);
    PutAlert(batch, r);
    store::AuditRecord audit;
    audit.set_actor("okrd");
    audit.set_action("alert.escalate");
    audit.set_unit_id(r.unit_id());
    audit.set_after_json(
        nlohmann::json{{"alert", r.alert_id()}, {"to", next}, {"level", r.escalation_level()}}
            .dump());
    state.Audit(batch, std::move(audit));
  }
  if (batch.count() == 0) return absl::OkStatus();
  if (absl::Status s = state.db().Commit(batch); !s.ok()) return s;
  state.watches().Touch({std::string(kAlertsTopic)});
  return absl::OkStatus();
}

absl::StatusOr<store::AlertRecord> SetAlertStatus(ServerState& state, const Caller& caller,
                                                  const AlertStatusChange& change) {
  const std::string& alert_id = change.alert_id;
  const std::string& note = change.note;
  const bool ack = change.status == AlertStatus::kAcked;
  std::lock_guard<std::mutex> lock(state.alerts_mu);
  store::AlertRecord r;
  auto found = state.db().GetProto(store::Cf::kAlerts, AlertKey(alert_id), &r);
  if (!found.ok()) return found.status();
  if (!*found) return absl::NotFoundError("no alert '" + alert_id + "'");
  if (HasStatus(r, AlertStatus::kResolved)) {
    return absl::FailedPreconditionError("alert '" + alert_id + "' is already resolved");
  }
  if (ack && HasStatus(r, AlertStatus::kAcked)) {
    return absl::FailedPreconditionError("alert '" + alert_id + "' is already acknowledged");
  }
  const int before = r.status();
  r.set_status(static_cast<int>(change.status));
  if (ack) {
    r.set_acked_at_unix(state.clock().NowUnix());
    r.set_acked_by(caller.Actor());
    r.set_ack_note(note);
  } else {
    r.set_resolved_at_unix(state.clock().NowUnix());
    r.set_resolved_by(caller.Actor());
    r.set_resolve_note(note);
  }
  store::Batch batch = state.db().NewBatch();
  PutAlert(batch, r);
  store::AuditRecord audit =
      NewAudit(caller, ack ? "alert.ack" : "alert.resolve", r.unit_id(), {}, note);
  audit.set_before_json(nlohmann::json{{"alert", alert_id}, {"status", StatusName(before)}}.dump());
  nlohmann::json after = {{"alert", alert_id}, {"status", StatusName(r.status())}};
  if (!note.empty()) after["note"] = note;
  audit.set_after_json(after.dump());
  state.Audit(batch, std::move(audit));
  if (absl::Status s = state.db().Commit(batch); !s.ok()) return s;
  state.watches().Touch({std::string(kAlertsTopic)});
  return r;
}

}  // namespace okr
