#include "services/server/access_policy.h"

namespace okr {

const std::map<std::string, Access, std::less<>>& AccessTable() {
  static const auto* table = new std::map<std::string, Access, std::less<>>{
      {"/okr.v1.OrgService/ImportUnits", Access::kDirector},
      {"/okr.v1.OrgService/GetUnit", Access::kReadUnit},
      {"/okr.v1.OrgService/ListSubtree", Access::kReadUnit},
      {"/okr.v1.OrgService/MoveUnit", Access::kDirector},
      {"/okr.v1.OrgService/DeactivateUnit", Access::kDirector},
      {"/okr.v1.MetricService/DefineMetric", Access::kDirector},
      {"/okr.v1.MetricService/ListMetrics", Access::kAnyone},
      {"/okr.v1.TargetService/SetTarget", Access::kDirector},
      {"/okr.v1.TargetService/Cascade", Access::kDirector},
      {"/okr.v1.TargetService/Hold", Access::kDirector},
      {"/okr.v1.TargetService/GetBreakdown", Access::kReadUnit},
      {"/okr.v1.TargetService/History", Access::kReadUnit},
      {"/okr.v1.ActualsService/Ingest", Access::kDirector},
      {"/okr.v1.ActualsService/ImportCsv", Access::kDirector},
      {"/okr.v1.ActualsService/IngestStream", Access::kDirector},
      {"/okr.v1.ProgressService/GetProgress", Access::kReadUnit},
      {"/okr.v1.ProgressService/Leaderboard", Access::kReadUnit},
      {"/okr.v1.ProgressService/Watch", Access::kReadUnit},
      {"/okr.v1.ReviewService/Propose", Access::kLeadUnit},
      {"/okr.v1.ReviewService/ListProposals", Access::kAnyone},
      {"/okr.v1.ReviewService/GetProposal", Access::kAnyone},
      {"/okr.v1.ReviewService/Approve", Access::kAnyone},
      {"/okr.v1.ReviewService/Reject", Access::kAnyone},
      {"/okr.v1.ReviewService/AddComment", Access::kAnyone},
      {"/okr.v1.AccessService/CreateToken", Access::kDirector},
      {"/okr.v1.AccessService/ListTokens", Access::kDirector},
      {"/okr.v1.AccessService/RevokeToken", Access::kDirector},
      {"/okr.v1.AccessService/WhoAmI", Access::kAnyone},
      {"/okr.v1.PluginService/ListPlugins", Access::kDirector},
      {"/okr.v1.PluginService/LoadPlugin", Access::kDirector},
      {"/okr.v1.PluginService/UnloadPlugin", Access::kDirector},
      {"/okr.v1.PluginService/ReloadPlugin", Access::kDirector},
      {"/okr.v1.PluginService/ConfigurePlugin", Access::kDirector},
      {"/okr.v1.CloseService/ClosePeriod", Access::kDirector},
      {"/okr.v1.CloseService/ListPayouts", Access::kReadUnit},
      {"/okr.v1.CloseService/ListAwards", Access::kReadUnit},
      {"/okr.v1.CloseService/GiveKudos", Access::kAnyone},
      {"/okr.v1.AlertService/ListAlerts", Access::kReadUnit},
      {"/okr.v1.AlertService/AckAlert", Access::kAnyone},
      {"/okr.v1.AlertService/ResolveAlert", Access::kAnyone},
      {"/okr.v1.AlertService/WatchAlerts", Access::kReadUnit},
      {"/okr.v1.ExplainService/Explain", Access::kReadUnit},
      {"/okr.v1.AdminService/Backup", Access::kDirector},
  };
  return *table;
}

bool MayRead(const Caller& caller, std::string_view unit_id, const OrgSnapshot& org) {
  switch (caller.role) {
    case Role::kAdmin:
    case Role::kDirector:
      return true;
    case Role::kLead:
      return org.IsInSubtreeEver(caller.unit_id, unit_id);
    case Role::kAgent:
      return unit_id == caller.unit_id;
  }
  return false;
}

absl::Status CheckAccess(std::string_view method, const Caller& caller, std::string_view unit_id,
                         const OrgSnapshot& org) {
  const auto& table = AccessTable();
  auto it = table.find(method);
  if (it == table.end()) {
    // A method without a rule is a bug; failing closed keeps it from leaking data.
    return absl::PermissionDeniedError("no access rule for " + std::string(method));
  }
  const bool privileged = caller.role == Role::kAdmin || caller.role == Role::kDirector;
  auto deny = [&](std::string_view why) {
    return absl::PermissionDeniedError(std::string(RoleName(caller.role)) + " token may not " +
                                       std::string(why));
  };
  switch (it->second) {
    case Access::kAnyone:
      return absl::OkStatus();
    case Access::kAdmin:
      return caller.role == Role::kAdmin ? absl::OkStatus() : deny("call " + std::string(method));
    case Access::kDirector:
      return privileged ? absl::OkStatus() : deny("call " + std::string(method));
    case Access::kReadUnit:
      if (privileged) return absl::OkStatus();
      // No unit named: the handler answers within the caller's own unit (ScopeUnit).
      if (unit_id.empty()) return absl::OkStatus();
      return MayRead(caller, unit_id, org)
                 ? absl::OkStatus()
                 : deny("read unit '" + std::string(unit_id) + "' outside its scope");
    case Access::kLeadUnit:
      if (privileged) return absl::OkStatus();
      if (caller.role == Role::kLead && !unit_id.empty() &&
          org.IsInSubtreeEver(caller.unit_id, unit_id)) {
        return absl::OkStatus();
      }
      return deny("change unit '" + std::string(unit_id) + "'");
  }
  return deny("call " + std::string(method));
}

}  // namespace okr
