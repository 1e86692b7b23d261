// The audit history: every change with who, when, what, why, before and after.
#ifndef OKR_SERVICES_CORE_HISTORY_H_
#define OKR_SERVICES_CORE_HISTORY_H_

#include "absl/status/status.h"
#include "okr/v1/plan.pb.h"
#include "services/core/server_state.h"

namespace okr {

// Entries oldest first. With a unit, those about the unit, its subtree or its ancestors
// (a cascade above a unit changes its plan too); `scope` (a lead's or agent's unit) limits
// them to what the caller may see.
absl::Status QueryHistory(ServerState& state, const Caller& caller, const v1::HistoryRequest& req,
                          v1::HistoryReply* out);

}  // namespace okr

#endif  // OKR_SERVICES_CORE_HISTORY_H_
