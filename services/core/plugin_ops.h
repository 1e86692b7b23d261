// What okrd does with plugins: month close (incentive and recognition plugins over the
// month's final progress) and red-line evaluation. Configs: plugin_config_ops.h; alerts:
// alerts.h; kudos: kudos.h.
#ifndef OKR_SERVICES_CORE_PLUGIN_OPS_H_
#define OKR_SERVICES_CORE_PLUGIN_OPS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "services/core/command_log.h"
#include "services/core/plugin_config_ops.h"  // per-subtree configs
#include "services/core/server_state.h"

namespace okr {

// Per-plugin time budget of one evaluation.
inline constexpr int kPluginBudgetMs = 5000;

// What a month close stored.
struct CloseResult {
  std::string month;  // YYYY-MM
  int64_t payouts = 0;
  int64_t awards = 0;
  int64_t close_version = 0;
  // Evaluations dropped (a plugin failed, overran or returned bad bytes, a config that no
  // longer fits, an entry the output rules refuse); the rest is stored.
  std::vector<std::string> problems;
};
// Closes month (year, month): runs the incentive and recognition plugins over its final
// progress and replaces its payouts and awards (CheckMonthClosable says which months may).
absl::StatusOr<CloseResult> ClosePeriod(ServerState& state, const Caller& caller, int year,
                                        int month);
// The command behind it (services/core/apply.h): the plugins' results, decided before it
// ran, replace the month's and take the next close version. Fills `out` when given (all but
// its problems, which the evaluation found).
absl::Status ApplyClosePeriod(ServerState& state, const store::Command& command, Applied& applied,
                              CloseResult* out);

// Runs every red-line plugin for `agents` (all active agents when empty) as of each day in
// `days`, opening alerts for new breaches (the same breach is not opened twice: RecordBreach
// in alerts.h).
absl::Status EvaluateRedlines(ServerState& state, const std::vector<std::string>& agents,
                              const std::vector<Date>& days);

}  // namespace okr

#endif  // OKR_SERVICES_CORE_PLUGIN_OPS_H_
