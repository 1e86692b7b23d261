#include "services/core/access_policy.h"

#include <algorithm>
#include <vector>

namespace okr {

const std::map<std::string, AccessRule, std::less<>>& AccessTable() {
  using enum Access;
  constexpr NoUnit kCallerUnit = NoUnit::kCallerUnit;
  static const auto* table = new std::map<std::string, AccessRule, std::less<>>{
      {"/okr.v1.OrgService/ImportUnits", kDirector},
      {"/okr.v1.OrgService/GetUnit", kReadUnit},
      {"/okr.v1.OrgService/ListSubtree", {kReadUnit, kCallerUnit}},
      {"/okr.v1.OrgService/MoveUnit", kDirector},
      {"/okr.v1.OrgService/DeactivateUnit", kDirector},
      {"/okr.v1.MetricService/DefineMetric", kDirector},
      {"/okr.v1.MetricService/ListMetrics", kAnyone},
      {"/okr.v1.TargetService/SetTarget", kDirector},
      {"/okr.v1.TargetService/Cascade", kDirector},
      {"/okr.v1.TargetService/Hold", kDirector},
      {"/okr.v1.TargetService/GetBreakdown", kReadUnit},
      {"/okr.v1.TargetService/History", {kReadUnit, kCallerUnit}},
      {"/okr.v1.TargetService/CheckPlans", {kReadUnit, kCallerUnit}},
      {"/okr.v1.ActualsService/Ingest", kDirector},
      {"/okr.v1.ActualsService/ImportCsv", kDirector},
      {"/okr.v1.ActualsService/IngestStream", kDirector},
      // Who may import actuals may take one back.
      {"/okr.v1.ActualsService/DeleteEvent", kDirector},
      {"/okr.v1.ProgressService/GetProgress", kReadUnit},
      {"/okr.v1.ProgressService/Leaderboard", kReadUnit},
      {"/okr.v1.ProgressService/Watch", kReadUnit},
      {"/okr.v1.ReviewService/Propose", kLeadUnit},
      {"/okr.v1.ReviewService/ListProposals", {kLeadUnit, kCallerUnit}},
      {"/okr.v1.ReviewService/GetProposal", kReadProposal},
      {"/okr.v1.ReviewService/Approve", kDecideProposal},
      {"/okr.v1.ReviewService/Reject", kDecideProposal},
      {"/okr.v1.ReviewService/AddComment", kReadProposal},
      {"/okr.v1.AccessService/CreateToken", kDirector},
      {"/okr.v1.AccessService/ListTokens", kDirector},
      {"/okr.v1.AccessService/RevokeToken", kDirector},
      {"/okr.v1.AccessService/WhoAmI", kAnyone},
      {"/okr.v1.PluginService/ListPlugins", kDirector},
      {"/okr.v1.PluginService/LoadPlugin", kDirector},
      {"/okr.v1.PluginService/UnloadPlugin", kDirector},
      {"/okr.v1.PluginService/ReloadPlugin", kDirector},
      {"/okr.v1.PluginService/ConfigurePlugin", kDirector},
      // The config that applies to a unit: what its lead works under; not an agent's to read.
      {"/okr.v1.PluginService/GetPluginConfig", kLeadUnit},
      {"/okr.v1.CloseService/ClosePeriod", kDirector},
      {"/okr.v1.CloseService/ListPayouts", {kReadUnit, kCallerUnit}},
      {"/okr.v1.CloseService/ListAwards", {kReadUnit, kCallerUnit}},
      {"/okr.v1.CloseService/GiveKudos", kKudosTarget},
      {"/okr.v1.CloseService/ListKudos", {kReadUnit, kCallerUnit}},
      {"/okr.v1.AlertService/ListAlerts", {kReadUnit, kCallerUnit}},
      {"/okr.v1.AlertService/AckAlert", kAlertUnit},
      {"/okr.v1.AlertService/ResolveAlert", kAlertUnit},
      {"/okr.v1.AlertService/WatchAlerts", {kReadUnit, kCallerUnit}},
      {"/okr.v1.ExplainService/Explain", kReadUnit},
      {"/okr.v1.AdminService/Backup", kDirector},
  };
  return *table;
}

bool MayRead(const Caller& caller, std::string_view unit_id, const OrgSnapshot& org) {
  switch (caller.role) {
    case Role::kAdmin:
    case Role::kDirector:
      return true;
    case Role::kLead:
      return !caller.unit_id.empty() && org.IsInSubtreeEver(caller.unit_id, unit_id);
    case Role::kAgent:
      return !caller.unit_id.empty() && unit_id == caller.unit_id;
  }
  return false;
}

bool MayReadInScope(const Caller& caller, std::string_view scope, std::string_view unit_id,
                    const OrgSnapshot& org) {
  return (scope.empty() || org.IsInSubtreeEver(scope, unit_id)) && MayRead(caller, unit_id, org);
}

std::string ScopeUnit(const Caller& caller, std::string_view requested) {
  if (!requested.empty()) return std::string(requested);
  if (caller.role == Role::kLead || caller.role == Role::kAgent) return caller.unit_id;
  return "";
}

namespace {

// True when `ancestor` is strictly above `id` on `day`'s tree.
bool StrictlyAbove(const OrgSnapshot& org, std::string_view ancestor, std::string_view id,
                   const Date& day) {
  const std::vector<std::string> chain = org.AncestryOn(id, day);  // starts with `id`
  return chain.size() > 1 && std::find(chain.begin() + 1, chain.end(), ancestor) != chain.end();
}

// True when `ancestor` is `id` or above it on `day`'s tree.
bool AtOrAbove(const OrgSnapshot& org, std::string_view ancestor, std::string_view id,
               const Date& day) {
  const std::vector<std::string> chain = org.AncestryOn(id, day);
  return std::find(chain.begin(), chain.end(), ancestor) != chain.end();
}

}  // namespace

absl::Status CheckAccess(std::string_view method, const Caller& caller, const AccessTarget& target,
                         const OrgSnapshot& org, const AccessResolver* resolver) {
  const auto& table = AccessTable();
  auto it = table.find(method);
  if (it == table.end()) {
    // A method without a rule is a bug; failing closed keeps it from leaking data.
    return absl::PermissionDeniedError("no access rule for " + std::string(method));
  }
  const AccessRule rule = it->second;
  const std::string who = std::string(RoleName(caller.role)) + " token" +
                          (caller.unit_id.empty() ? "" : " of '" + caller.unit_id + "'");
  auto deny = [&](std::string_view why) {
    return absl::PermissionDeniedError(who + " may not " + std::string(why));
  };
  const std::string call = "call " + std::string(method);

  if (rule.access == Access::kAnyone) return absl::OkStatus();
  if (rule.access == Access::kAdmin) {
    return caller.role == Role::kAdmin ? absl::OkStatus() : deny(call + " (admin only)");
  }
  if (caller.role == Role::kAdmin || caller.role == Role::kDirector) return absl::OkStatus();
  // A lead or agent from here on. Their tokens are bound to a unit; one that is not reaches
  // nothing.
  if (caller.unit_id.empty()) return deny(call + ": the token is bound to no unit");
  const bool lead = caller.role == Role::kLead;

  switch (rule.access) {
    case Access::kAnyone:
    case Access::kAdmin:
      break;  // decided above
    case Access::kDirector:
      return deny(call + " (director or admin only)");

    case Access::kReadUnit:
    case Access::kLeadUnit:
    case Access::kKudosTarget: {
      std::string unit = target.unit_id;
      if (unit.empty()) {
        if (rule.no_unit == NoUnit::kDeny) return deny(call + " without naming a unit");
        unit = ScopeUnit(caller, unit);
      }
      bool allowed = false;
      std::string what;
      if (rule.access == Access::kReadUnit) {
        allowed = MayRead(caller, unit, org);
        what = "read unit '" + unit + "' outside its scope";
      } else if (rule.access == Access::kLeadUnit) {
        allowed = lead && org.IsInSubtreeEver(caller.unit_id, unit);
        what = lead ? call + " about unit '" + unit + "' outside its subtree"
                    : call + " (director or lead only)";
      } else {
        allowed = lead ? org.IsInSubtreeEver(caller.unit_id, unit) : unit != caller.unit_id;
        what = lead ? "give kudos to '" + unit + "' outside its subtree"
                    : "give kudos to itself; kudos go to a colleague";
      }
      return allowed ? absl::OkStatus() : deny(what);
    }

    case Access::kReadProposal:
    case Access::kDecideProposal: {
      if (!lead) return deny(call + " (director or lead only)");
      if (target.proposal_id == 0) return deny(call + " without naming a proposal");
      if (resolver == nullptr) return deny(call + ": its proposal cannot be looked up here");
      absl::StatusOr<ProposalFacts> facts = resolver->Proposal(target.proposal_id);
      if (!facts.ok()) return facts.status();
      const std::string ref = "proposal #" + std::to_string(target.proposal_id);
      if (rule.access == Access::kReadProposal) {
        return org.IsInSubtreeEver(caller.unit_id, facts->unit_id)
                   ? absl::OkStatus()
                   : deny("read " + ref + " about '" + facts->unit_id + "' outside its subtree");
      }
      const std::string proposer =
          facts->proposer_unit_id.empty() ? "a director" : "'" + facts->proposer_unit_id + "'";
      if (facts->proposer_unit_id.empty() ||
          !StrictlyAbove(org, caller.unit_id, facts->proposer_unit_id, facts->month) ||
          !AtOrAbove(org, caller.unit_id, facts->unit_id, facts->month)) {
        return deny("decide on " + ref + ", proposed by " + proposer +
                    ": only a director or a lead of a unit above " + proposer + " may");
      }
      return absl::OkStatus();
    }

    case Access::kAlertUnit: {
      if (!lead) return deny(call + " (director or lead only)");
      if (target.alert_id.empty()) return deny(call + " without naming an alert");
      if (resolver == nullptr) return deny(call + ": its alert cannot be looked up here");
      absl::StatusOr<std::string> unit = resolver->AlertUnit(target.alert_id);
      if (!unit.ok()) return unit.status();
      return org.IsInSubtreeEver(caller.unit_id, *unit)
                 ? absl::OkStatus()
                 : deny("act on alert '" + target.alert_id + "' of '" + *unit +
                        "' outside its subtree");
    }
  }
  return deny(call);
}

absl::Status CheckAccess(std::string_view method, const Caller& caller, std::string_view unit_id,
                         const OrgSnapshot& org) {
  AccessTarget target;
  target.unit_id = std::string(unit_id);
  return CheckAccess(method, caller, target, org, nullptr);
}

}  // namespace okr
