#include "services/core/alerts.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <vector>

#include "services/core/alert_index.h"
#include "services/core/apply.h"
#include "services/core/outcomes.h"
#include "services/core/time_zone.h"
#include "services/domain/breach.h"
#include "store/keys.h"

namespace okr {
namespace {

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

namespace {

// A breach reported as of `as_of`: seen again by an alert of the same breach, or a new alert
// opened at `now_micros` (see RecordBreaches in alerts.h). True when an alert was opened.
absl::StatusOr<bool> RecordBreach(ServerState& state, store::Batch& batch, int64_t now_micros,
                                  std::string_view plugin, std::string_view plugin_version,
                                  const store::LoggedBreach& breach, const Date& as_of) {
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
  r.set_opened_at_unix(now_micros / 1000000);
  r.set_escalated_at_unix(r.opened_at_unix());
  r.set_escalated_to(breach.lead_unit());
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
  audit.set_at_unix_micros(now_micros);
  state.Audit(batch, std::move(audit));
  return true;
}

}  // namespace

absl::Status RecordBreaches(ServerState& state, std::string_view plugin,
                            std::string_view plugin_version, const Date& as_of,
                            std::vector<store::LoggedBreach> breaches) {
  if (breaches.empty()) return absl::OkStatus();
  store::Command command = NewCommand(state, Caller{});
  store::RecordBreachesCommand& record = *command.mutable_record_breaches();
  record.set_plugin(std::string(plugin));
  record.set_plugin_version(std::string(plugin_version));
  record.set_as_of(as_of.DayNumber());
  for (store::LoggedBreach& breach : breaches) *record.add_breaches() = std::move(breach);
  return state.commands().Run(std::move(command), [&](const store::Command& c, Applied& applied) {
    return ApplyRecordBreaches(state, c, applied);
  });
}

absl::Status ApplyRecordBreaches(ServerState& state, const store::Command& command,
                                 Applied& applied) {
  const store::RecordBreachesCommand& record = command.record_breaches();
  const Date as_of = Date::FromDayNumber(record.as_of());
  bool opened_any = false;
  // Each breach reads the alerts as stored before this command (not those it opens itself).
  for (const store::LoggedBreach& breach : record.breaches()) {
    auto opened = RecordBreach(state, applied.batch, command.accepted_unix_micros(),
                               record.plugin(), record.plugin_version(), breach, as_of);
    if (!opened.ok()) return opened.status();
    opened_any = opened_any || *opened;
  }
  if (opened_any) {
    applied.after_write.push_back([&state] { state.watches().Touch({std::string(kAlertsTopic)}); });
  }
  return absl::OkStatus();
}

absl::Status IndexAlerts(ServerState& state) {
  std::lock_guard<std::mutex> lock(state.alerts_mu);
  store::Command command = NewCommand(state, Caller{});
  command.mutable_index_alerts();
  return state.commands().Run(std::move(command), [&](const store::Command& c, Applied& applied) {
    return ApplyIndexAlerts(state, c, applied);
  });
}

absl::Status ApplyIndexAlerts(ServerState& state, const store::Command& command, Applied& applied) {
  auto alerts = LoadAlerts(state);
  if (!alerts.ok()) return alerts.status();
  for (const store::AlertRecord& r : *alerts) {
    const std::string key = RuleIndexKey(r);
    auto indexed = state.db().Get(store::Cf::kAlerts, key);
    if (!indexed.ok()) return indexed.status();
    if (!indexed->has_value()) applied.batch.Put(store::Cf::kAlerts, key, r.alert_id());
  }
  return absl::OkStatus();
}

namespace {

// An open alert not acknowledged within the timeout, at `now` (unix seconds).
bool EscalationDue(const store::AlertRecord& r, int64_t now, int64_t ack_timeout_seconds) {
  return HasStatus(r, AlertStatus::kOpen) && now - r.escalated_at_unix() >= ack_timeout_seconds;
}

}  // namespace

absl::Status EscalateAlerts(ServerState& state, int64_t ack_timeout_seconds) {
  std::lock_guard<std::mutex> lock(state.alerts_mu);
  store::Command command = NewCommand(state, Caller{});
  command.mutable_escalate_alerts()->set_ack_timeout_seconds(ack_timeout_seconds);
  command.mutable_escalate_alerts()->set_today(
      LocalDate(command.accepted_unix_micros(), state.clock().zone).DayNumber());
  // The periodic check mostly finds nothing due: it reads the alerts here, not under the
  // log's lock, which every writer waits for. (alerts_mu keeps them as read until it runs.)
  auto alerts = LoadAlerts(state);
  if (!alerts.ok()) return alerts.status();
  const int64_t now = command.accepted_unix_micros() / 1000000;
  if (std::none_of(alerts->begin(), alerts->end(), [&](const store::AlertRecord& r) {
        return EscalationDue(r, now, ack_timeout_seconds);
      })) {
    return absl::OkStatus();
  }
  return state.commands().Run(std::move(command), [&](const store::Command& c, Applied& applied) {
    return ApplyEscalateAlerts(state, c, applied);
  });
}

absl::Status ApplyEscalateAlerts(ServerState& state, const store::Command& command,
                                 Applied& applied) {
  const int64_t ack_timeout_seconds = command.escalate_alerts().ack_timeout_seconds();
  const Date today = Date::FromDayNumber(command.escalate_alerts().today());
  auto alerts = LoadAlerts(state);
  if (!alerts.ok()) return alerts.status();
  auto org = state.org();
  const int64_t now = command.accepted_unix_micros() / 1000000;
  for (store::AlertRecord& r : *alerts) {
    if (!EscalationDue(r, now, ack_timeout_seconds)) continue;
    const Unit* current = org->Find(r.escalated_to());
    if (current == nullptr) continue;
    const std::string next = current->ParentOn(today);
    if (next.empty()) continue;  // already at the top (the director)
    r.set_escalation_level(r.escalation_level() + 1);
    r.set_escalated_to(next);
    r.set_escalated_at_unix(now);
    PutAlert(applied.batch, r);
    store::AuditRecord audit;
    audit.set_actor("okrd");
    audit.set_action("alert.escalate");
    audit.set_unit_id(r.unit_id());
    audit.set_after_json(
        nlohmann::json{{"alert", r.alert_id()}, {"to", next}, {"level", r.escalation_level()}}
            .dump());
    audit.set_at_unix_micros(command.accepted_unix_micros());
    state.Audit(applied.batch, std::move(audit));
  }
  if (applied.batch.count() > 0) {
    applied.after_write.push_back([&state] { state.watches().Touch({std::string(kAlertsTopic)}); });
  }
  return absl::OkStatus();
}

absl::StatusOr<store::AlertRecord> SetAlertStatus(ServerState& state, const Caller& caller,
                                                  const AlertStatusChange& change) {
  std::lock_guard<std::mutex> lock(state.alerts_mu);
  store::Command command = NewCommand(state, caller);
  command.mutable_alert_status()->set_alert_id(change.alert_id);
  command.mutable_alert_status()->set_status(static_cast<int>(change.status));
  command.mutable_alert_status()->set_note(change.note);
  store::AlertRecord changed;
  absl::Status s =
      state.commands().Run(std::move(command), [&](const store::Command& c, Applied& applied) {
        return ApplyAlertStatus(state, c, applied, &changed);
      });
  if (!s.ok()) return s;
  return changed;
}

absl::Status ApplyAlertStatus(ServerState& state, const store::Command& command, Applied& applied,
                              store::AlertRecord* changed) {
  const store::AlertStatusCommand& change = command.alert_status();
  const std::string& alert_id = change.alert_id();
  const std::string& note = change.note();
  const AlertStatus status = static_cast<AlertStatus>(change.status());
  if (status != AlertStatus::kAcked && status != AlertStatus::kResolved) {
    return absl::InvalidArgumentError("an alert is set to acked or resolved, not to status " +
                                      std::to_string(change.status()));
  }
  const bool ack = status == AlertStatus::kAcked;
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
  const Caller caller = CallerOf(command);
  const int64_t now = command.accepted_unix_micros() / 1000000;
  const int before = r.status();
  r.set_status(static_cast<int>(status));
  if (ack) {
    r.set_acked_at_unix(now);
    r.set_acked_by(caller.Actor());
    r.set_ack_note(note);
  } else {
    r.set_resolved_at_unix(now);
    r.set_resolved_by(caller.Actor());
    r.set_resolve_note(note);
  }
  PutAlert(applied.batch, r);
  store::AuditRecord audit =
      NewAudit(command, ack ? "alert.ack" : "alert.resolve", r.unit_id(), {}, note);
  audit.set_before_json(nlohmann::json{{"alert", alert_id}, {"status", StatusName(before)}}.dump());
  nlohmann::json after = {{"alert", alert_id}, {"status", StatusName(r.status())}};
  if (!note.empty()) after["note"] = note;
  audit.set_after_json(after.dump());
  state.Audit(applied.batch, std::move(audit));
  if (changed != nullptr) *changed = r;
  applied.after_write.push_back([&state] { state.watches().Touch({std::string(kAlertsTopic)}); });
  return absl::OkStatus();
}

}  // namespace okr
