// The column families of the okrd database, one per concern (see keys.h for their keys).
#ifndef OKR_STORE_COLUMN_FAMILIES_H_
#define OKR_STORE_COLUMN_FAMILIES_H_

#include <array>
#include <string_view>

namespace okr::store {

enum class Cf {
  kMeta = 0,
  kUnits,
  kMetrics,
  kTargets,
  kPlans,
  kHolds,
  kEvents,
  kRollups,
  kAudit,
  kTokens,
  kProposals,
  kOutcomes,
  kAlerts,
  kPluginConfigs,
  kCommands,
  kAuditIndex,     // services/core/history_index.h: audit entries by unit and metric
  kAlertIndex,     // services/core/alert_index.h: alerts in id order, by status and by unit
  kRollupJournal,  // services/core/rollup_store.h: each command's roll-up deltas until checkpointed
  kCount,
};

// Index by Cf; kMeta is RocksDB's default family.
inline constexpr std::array<std::string_view, static_cast<size_t>(Cf::kCount)> kCfNames = {
    "default", "units",          "metrics",  "targets",     "plans",       "holds",
    "events",  "rollups",        "audit",    "tokens",      "proposals",   "outcomes",
    "alerts",  "plugin_configs", "commands", "audit_index", "alert_index", "rollup_journal",
};

}  // namespace okr::store

#endif  // OKR_STORE_COLUMN_FAMILIES_H_
