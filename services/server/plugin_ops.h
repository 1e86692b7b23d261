// What okrd does with plugins: month close (incentive and recognition
// plugins over the month's final progress), red-line evaluation and alert escalation, kudos.
#ifndef OKR_SERVICES_SERVER_PLUGIN_OPS_H_
#define OKR_SERVICES_SERVER_PLUGIN_OPS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "okr/v1/plugins.pb.h"
#include "services/server/plugin_config_ops.h"  // per-subtree configs
#include "services/server/server_state.h"

namespace okr {

// The WatchHub topic touched when alerts open, escalate or change state.
inline constexpr std::string_view kAlertsTopic = "__alerts__";

// Per-plugin time budget of one evaluation.
inline constexpr int kPluginBudgetMs = 5000;

absl::Status ClosePeriod(ServerState& state, const Caller& caller, const std::string& month,
                         v1::ClosePeriodReply* out);

absl::Status GiveKudos(ServerState& state, const Caller& caller, const v1::GiveKudosRequest& req,
                       v1::GiveKudosReply* out);

// Runs every red-line plugin for `agents` (all active agents when empty) as of each day in
// `days`, opening alerts for new breaches (a breach already seen is not opened twice).
absl::Status EvaluateRedlines(ServerState& state, const std::vector<std::string>& agents,
                              const std::vector<Date>& days);

// Escalates open alerts not acknowledged within `ack_timeout_seconds` one level up the chain.
absl::Status EscalateAlerts(ServerState& state, int64_t ack_timeout_seconds);

// ack or resolve an alert (who may is the access table's rule kAlertUnit, checked before).
absl::Status SetAlertStatus(ServerState& state, const Caller& caller, const std::string& alert_id,
                            v1::AlertStatus status, v1::Alert* out);

}  // namespace okr

#endif  // OKR_SERVICES_SERVER_PLUGIN_OPS_H_
