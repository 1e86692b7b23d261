// Red-line alerts: opening one for a new breach (and only for a new one: the rule is
// services/domain/breach.h), escalation, acknowledging and resolving with a note.
//
// Keys (alerts family, see outcomes.h): ('a', alert_id) -> AlertRecord, and the index of a
// rule's alerts ('r', plugin, unit, rule, alert number) -> alert_id, which the breach rule
// reads. Alert ids are "A" and a number from one counter: A1, A2, ..., A10; every list orders
// them by that number (AlertIdLess), never as text.
#ifndef OKR_SERVICES_CORE_ALERTS_H_
#define OKR_SERVICES_CORE_ALERTS_H_

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "services/core/command_log.h"
#include "services/core/server_state.h"
#include "store/records.pb.h"

namespace okr {

// The WatchHub topic touched when alerts open, escalate or change state.
inline constexpr std::string_view kAlertsTopic = "__alerts__";

// Where an alert stands. The numbers are what AlertRecord.status stores (the same as
// okr.v1.AlertStatus's; services/api/outcome_convert.cc checks that they stay so).
enum class AlertStatus { kOpen = 1, kAcked = 2, kResolved = 3 };

bool HasStatus(const store::AlertRecord& alert, AlertStatus status);
// In work: open or acknowledged, not resolved.
bool InWork(const store::AlertRecord& alert);

// The alerts open now (not acknowledged, not resolved) per severity, with every severity a
// red-line may give (info, warning, critical) present, at 0 when none is open: /metrics
// exports each series from the start.
absl::StatusOr<std::map<std::string, int>> OpenAlertsBySeverity(ServerState& state);

// The number of an alert id "A12" (12); -1 for an id of another shape.
int64_t AlertNumber(std::string_view alert_id);
// Alert ids in the order people expect: by number (A2 before A10); others after, as text.
bool AlertIdLess(std::string_view a, std::string_view b);

// The breaches red-line plugin `plugin` reported as of `as_of` (those its output rules
// accepted, each with the lead unit its alert escalates to), as one command. A breach that is
// the same breach as an alert of the same plugin, unit and rule (breach.h) is recorded as seen
// again by that alert; any other opens a new alert. Call under state.alerts_mu.
absl::Status RecordBreaches(ServerState& state, std::string_view plugin,
                            std::string_view plugin_version, const Date& as_of,
                            std::vector<store::LoggedBreach> breaches);

// Writes the rule index entries that stored alerts lack (alerts stored before the index
// existed). At start-up, before any evaluation.
absl::Status IndexAlerts(ServerState& state);

// Escalates open alerts not acknowledged within `ack_timeout_seconds` one level up the chain.
absl::Status EscalateAlerts(ServerState& state, int64_t ack_timeout_seconds);

// Acknowledges (kAcked) or resolves (kResolved) an alert, with an optional note kept with it
// and in the history (who may is the access table's rule kAlertUnit, checked before).
struct AlertStatusChange {
  std::string alert_id;
  AlertStatus status = AlertStatus::kAcked;
  std::string note;
};
// The alert as changed.
absl::StatusOr<store::AlertRecord> SetAlertStatus(ServerState& state, const Caller& caller,
                                                  const AlertStatusChange& change);

// The commands behind them (services/core/apply.h). Setting a status fills `changed` when
// given.
absl::Status ApplyRecordBreaches(ServerState& state, const store::Command& command,
                                 Applied& applied);
absl::Status ApplyIndexAlerts(ServerState& state, const store::Command& command, Applied& applied);
absl::Status ApplyEscalateAlerts(ServerState& state, const store::Command& command,
                                 Applied& applied);
absl::Status ApplyAlertStatus(ServerState& state, const store::Command& command, Applied& applied,
                              store::AlertRecord* changed);

}  // namespace okr

#endif  // OKR_SERVICES_CORE_ALERTS_H_
