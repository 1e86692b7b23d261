// Who may call what: one table for every RPC, checked in one place (see rpc.h) before any
// handler runs, so no handler has to remember to check. A rule about a stored resource (a
// proposal, an alert) gets the resource's units from an AccessResolver: the lookup is data
// for the rule, the decision stays in CheckAccess.
#ifndef OKR_SERVICES_CORE_ACCESS_POLICY_H_
#define OKR_SERVICES_CORE_ACCESS_POLICY_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "services/core/tokens.h"
#include "services/domain/calendar.h"
#include "services/domain/org.h"

namespace okr {

// In every rule, "director+" is an admin or director token: PRODUCT.md gives them everything.
enum class Access {
  // Any valid token. Only for answers that hold nothing of any unit: the metric definitions
  // (ListMetrics) and the caller's own token (WhoAmI).
  kAnyone,
  kReadUnit,  // director+; a lead inside its subtree; an agent on itself
  kLeadUnit,  // director+; a lead inside its subtree; never an agent (proposing, proposal lists)
  kDirector,  // admin and director
  kAdmin,     // admin only
  // director+; a lead whose subtree holds the proposal's unit. Agents never (PRODUCT.md lists
  // what they read, and proposals are not in it).
  kReadProposal,
  // Approve and reject: director+; a lead of a unit strictly above the proposer's own unit,
  // whose subtree also holds the proposal's unit, on the tree of the month under review.
  // Never a token of the proposer's own unit (not even a second one), nor one below it.
  kDecideProposal,
  // Ack and resolve: director+; a lead whose subtree holds the alert's unit. Agents never
  // (an alert is for the lead to act on).
  kAlertUnit,
  // Kudos to `to_unit_id`: director+ to anyone; a lead to a unit inside its subtree; an agent
  // to any colleague but itself (peer kudos, PRODUCT.md "recognition"). The handler checks
  // that the receiver is an agent.
  kKudosTarget,
};

// What a unit-scoped rule (kReadUnit, kLeadUnit, kKudosTarget) does when a lead or agent
// names no unit. Director+ always pass: the handler answers for the whole org or says the
// unit is missing.
enum class NoUnit {
  kDeny,        // PERMISSION_DENIED: the request is about one unit and must name it
  kCallerUnit,  // lists and streams: the caller's own unit is filled in before the check
                // (ScopeUnit), and the handler answers within it
};

struct AccessRule {
  // Implicit, so that a row may be written as just its Access (with NoUnit::kDeny).
  constexpr AccessRule(Access a, NoUnit n = NoUnit::kDeny) : access(a), no_unit(n) {}
  Access access;
  NoUnit no_unit;
};

// The rule of every RPC, keyed by its full name "/okr.v1.OrgService/GetUnit".
const std::map<std::string, AccessRule, std::less<>>& AccessTable();

// What a request is about, read from its fields at the edge (RequestTarget in rpc.h).
struct AccessTarget {
  std::string unit_id;      // its `unit_id` or `to_unit_id`
  int64_t proposal_id = 0;  // its `proposal_id` (0: none)
  std::string alert_id;     // its `alert_id`
};

// What the proposal rules need to know of a stored proposal.
struct ProposalFacts {
  std::string unit_id;           // the unit the proposal is about
  std::string proposer_unit_id;  // the proposer token's unit; empty for director+ (and for
                                 // proposals stored before it was recorded: only director+
                                 // may decide those)
  Date month;                    // the first day of the month under review
};

// Looks up the stored resources a request names. NOT_FOUND when there is none.
class AccessResolver {
 public:
  virtual ~AccessResolver() = default;
  virtual absl::StatusOr<ProposalFacts> Proposal(int64_t proposal_id) const = 0;
  virtual absl::StatusOr<std::string> AlertUnit(std::string_view alert_id) const = 0;
};

// Ok, or PERMISSION_DENIED saying why (NOT_FOUND from the resolver when a lead names a
// proposal or alert that does not exist). `resolver` may be null when no rule needs it; a
// rule that needs it then fails closed.
absl::Status CheckAccess(std::string_view method, const Caller& caller, const AccessTarget& target,
                         const OrgSnapshot& org, const AccessResolver* resolver);
// The same for a request that names at most a unit (the dashboard).
absl::Status CheckAccess(std::string_view method, const Caller& caller, std::string_view unit_id,
                         const OrgSnapshot& org);

// True when the caller may read data of `unit_id` (for filtering lists and streams).
bool MayRead(const Caller& caller, std::string_view unit_id, const OrgSnapshot& org);

// What a list or a stream shows the caller of `unit_id`'s data: a unit the caller may read,
// inside the subtree of `scope` (ever; empty `scope`: anywhere).
bool MayReadInScope(const Caller& caller, std::string_view scope, std::string_view unit_id,
                    const OrgSnapshot& org);

// The caller's own unit when a request names none (lead and agent tokens), else the named one:
// the unit a NoUnit::kCallerUnit rule checks and its handler answers within.
std::string ScopeUnit(const Caller& caller, std::string_view requested);

}  // namespace okr

#endif  // OKR_SERVICES_CORE_ACCESS_POLICY_H_
