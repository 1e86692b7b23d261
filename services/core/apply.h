// Apply(state, command): the one function that turns a logged command into its changes.
//
// Deterministic: it reads the state the command is applied to and the command itself (its
// caller, its accepted time, the ids assigned before it ran), never the clock, randomness or
// anything in hash order, so the same log applied to the same starting state writes the same
// keys. The operations (services/core/*_ops.h) build a command and run it through
// ServerState::commands() with the same per-kind Apply function this dispatches to; a log
// being replayed (a test, a replica) comes in through Replay().
#ifndef OKR_SERVICES_CORE_APPLY_H_
#define OKR_SERVICES_CORE_APPLY_H_

#include "absl/status/status.h"
#include "services/core/command_log.h"
#include "services/core/server_state.h"
#include "store/records.pb.h"

namespace okr {

// A new command by `caller`, accepted now (the state's clock).
store::Command NewCommand(const ServerState& state, const Caller& caller);
// The caller a command was accepted from.
Caller CallerOf(const store::Command& command);
// An audit entry of `command`: its caller, at its accepted time.
store::AuditRecord NewAudit(const store::Command& command, std::string_view action,
                            std::string_view unit_id = {}, std::string_view metric_id = {},
                            std::string_view reason = {});

// The changes of `command` on `state`, into `applied`.
absl::Status ApplyCommand(ServerState& state, const store::Command& command, Applied& applied);

// Applies a logged command (with its sequence number) to `state` through its log.
absl::Status Replay(ServerState& state, const store::Command& command);

}  // namespace okr

#endif  // OKR_SERVICES_CORE_APPLY_H_
