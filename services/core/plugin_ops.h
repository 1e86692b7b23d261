// What okrd does with plugins: month close (incentive and recognition plugins over the
// month's final progress) and red-line evaluation. Configs: plugin_config_ops.h; alerts:
// alerts.h; kudos: kudos.h.
#ifndef OKR_SERVICES_CORE_PLUGIN_OPS_H_
#define OKR_SERVICES_CORE_PLUGIN_OPS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "okr/v1/plugins.pb.h"
#include "services/core/plugin_config_ops.h"  // per-subtree configs
#include "services/core/server_state.h"

namespace okr {

// Per-plugin time budget of one evaluation.
inline constexpr int kPluginBudgetMs = 5000;

absl::Status ClosePeriod(ServerState& state, const Caller& caller, const std::string& month,
                         v1::ClosePeriodReply* out);

// Runs every red-line plugin for `agents` (all active agents when empty) as of each day in
// `days`, opening alerts for new breaches (the same breach is not opened twice: RecordBreach
// in alerts.h).
absl::Status EvaluateRedlines(ServerState& state, const std::vector<std::string>& agents,
                              const std::vector<Date>& days);

}  // namespace okr

#endif  // OKR_SERVICES_CORE_PLUGIN_OPS_H_
