#include "services/core/apply.h"

#include "absl/strings/str_cat.h"
#include "services/core/actuals_ops.h"
#include "services/core/alerts.h"
#include "services/core/backup_ops.h"
#include "services/core/kudos.h"
#include "services/core/org_ops.h"
#include "services/core/plan_ops.h"
#include "services/core/plugin_admin_ops.h"
#include "services/core/plugin_config_ops.h"
#include "services/core/plugin_ops.h"
#include "services/core/review_ops.h"
#include "services/core/token_ops.h"

namespace okr {

store::Command NewCommand(const ServerState& state, const Caller& caller) {
  store::Command command;
  command.mutable_caller()->set_token_id(caller.token_id);
  command.mutable_caller()->set_role(static_cast<int>(caller.role));
  command.mutable_caller()->set_unit_id(caller.unit_id);
  command.set_accepted_unix_micros(state.clock().now_unix_micros());
  return command;
}

Caller CallerOf(const store::Command& command) {
  return Caller{command.caller().token_id(), static_cast<Role>(command.caller().role()),
                command.caller().unit_id()};
}

store::AuditRecord NewAudit(const store::Command& command, std::string_view action,
                            std::string_view unit_id, std::string_view metric_id,
                            std::string_view reason) {
  store::AuditRecord audit = NewAudit(CallerOf(command), action, unit_id, metric_id, reason);
  audit.set_at_unix_micros(command.accepted_unix_micros());
  return audit;
}

absl::Status ApplyCommand(ServerState& state, const store::Command& command, Applied& applied) {
  switch (command.kind_case()) {
    case store::Command::kIngestActuals: {
      IngestResult ignored;
      return ApplyIngestActuals(state, command, applied, &ignored);
    }
    case store::Command::kDeleteEvent:
      return ApplyDeleteEvent(state, command, applied, nullptr);
    case store::Command::kCreateToken:
      return ApplyCreateToken(state, command, applied);
    case store::Command::kRevokeToken:
      return ApplyRevokeToken(state, command, applied, nullptr);
    case store::Command::kCommitUnits:
      return ApplyCommitUnits(state, command, applied);
    case store::Command::kDefineMetric:
      return ApplyDefineMetric(state, command, applied);
    case store::Command::kSetTarget:
      return ApplySetTarget(state, command, applied, nullptr);
    case store::Command::kCascade:
      return ApplyCascade(state, command, applied, nullptr);
    case store::Command::kSetHold:
      return ApplySetHold(state, command, applied);
    case store::Command::kPropose:
      return ApplyPropose(state, command, applied, nullptr);
    case store::Command::kDecideProposal:
      return ApplyDecideProposal(state, command, applied, nullptr);
    case store::Command::kCommentProposal:
      return ApplyCommentProposal(state, command, applied, nullptr);
    case store::Command::kPluginChange:
      return ApplyPluginChange(state, command, applied);
    case store::Command::kConfigurePlugin:
      return ApplyConfigurePlugin(state, command, applied);
    case store::Command::kClosePeriod:
      return ApplyClosePeriod(state, command, applied, nullptr);
    case store::Command::kRecordBreaches:
      return ApplyRecordBreaches(state, command, applied);
    case store::Command::kEscalateAlerts:
      return ApplyEscalateAlerts(state, command, applied);
    case store::Command::kAlertStatus:
      return ApplyAlertStatus(state, command, applied, nullptr);
    case store::Command::kIndexAlerts:
      return ApplyIndexAlerts(state, command, applied);
    case store::Command::kGiveKudos:
      return ApplyGiveKudos(state, command, applied, nullptr);
    case store::Command::kBackup:
      return ApplyBackup(state, command, applied);
    case store::Command::KIND_NOT_SET:
      break;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("command ", command.seq(), " is of a kind this okrd does not know"));
}

absl::Status Replay(ServerState& state, const store::Command& command) {
  return state.commands().Run(command, [&](const store::Command& c, Applied& applied) {
    return ApplyCommand(state, c, applied);
  });
}

}  // namespace okr
