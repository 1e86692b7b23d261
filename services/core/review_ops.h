// Monthly review: leads propose, a level above the proposer approves or rejects (who may is
// the access table's rule, checked before these run); approved values become
// holds and are applied by re-cascading that month of the subtree, all in one atomic write.
#ifndef OKR_SERVICES_CORE_REVIEW_OPS_H_
#define OKR_SERVICES_CORE_REVIEW_OPS_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "services/core/command_log.h"
#include "services/core/paging.h"
#include "services/core/parsed_field.h"
#include "services/core/server_state.h"
#include "services/domain/plan_diff.h"
#include "store/records.pb.h"

namespace okr {

// The numbers are those the store keeps (store::ProposalRecord) and okr.v1 shows.
enum class ProposalKind {
  kRedistribute = 1,  // one month of a unit among its children
  kChangeTarget = 2,  // the unit's own month, absorbed by its siblings
};
enum class ProposalStatus { kPending = 1, kApproved = 2, kRejected = 3 };

struct ProposalComment {
  std::string author;
  int64_t at_unix = 0;
  std::string text;
};

struct Proposal {
  int64_t proposal_id = 0;
  ProposalKind kind = ProposalKind::kRedistribute;
  ProposalStatus status = ProposalStatus::kPending;
  std::string unit_id;
  std::string unit_name;  // empty when the unit is gone
  std::string metric_id;
  int year = 0;
  int month = 0;                         // 1..12
  std::map<std::string, double> values;  // child (redistribute) or the unit (change) -> value
  std::string reason;
  std::string proposed_by;
  int64_t proposed_at_unix = 0;
  int64_t base_plan_version = 0;
  std::string decided_by;
  int64_t decided_at_unix = 0;  // 0: not decided
  std::string decision_reason;
  std::vector<ProposalComment> comments;
  std::string proposer_label;  // the proposer token's label
  std::string proposer_unit_id;
  std::string proposer_unit_name;
  PlanDiff changes;  // what approving moves (pending, rejected) or moved (approved)
};

struct ProposalDraft {
  Parsed<ProposalKind> kind;
  std::string unit_id;
  std::string metric_id;
  Parsed<std::pair<int, int>> month;  // (year, month)
  std::map<std::string, double> values;
  std::string reason;
  std::optional<int64_t> base_plan_version;  // nullopt: the current one
};
absl::StatusOr<Proposal> Propose(ServerState& state, const Caller& caller,
                                 const ProposalDraft& draft);

// The proposals the caller may read, by id.
struct ProposalFilter {
  std::optional<ProposalStatus> status;  // nullopt: any
  std::string unit_id;                   // in this unit's subtree; empty: any
  PageRequest page;                      // cursors: the proposal's key, I64(proposal id)
};
struct ProposalPage {
  std::vector<Proposal> proposals;  // by id
  std::string next_cursor;          // empty on the last page
};
absl::StatusOr<ProposalPage> ListProposals(ServerState& state, const Caller& caller,
                                           const ProposalFilter& filter);

absl::StatusOr<Proposal> GetProposal(ServerState& state, int64_t id);

struct Decision {
  int64_t proposal_id = 0;
  bool approve = false;
  std::string reason;  // required to reject
};
absl::StatusOr<Proposal> Decide(ServerState& state, const Caller& caller, const Decision& decision);

struct NewComment {
  int64_t proposal_id = 0;
  std::string text;
};
absl::StatusOr<Proposal> Comment(ServerState& state, const Caller& caller,
                                 const NewComment& comment);

// The changes of the review commands (services/core/apply.h); `out` (may be null) gets the
// proposal as stored.
absl::Status ApplyPropose(ServerState& state, const store::Command& command, Applied& applied,
                          store::ProposalRecord* out);
absl::Status ApplyDecideProposal(ServerState& state, const store::Command& command,
                                 Applied& applied, store::ProposalRecord* out);
absl::Status ApplyCommentProposal(ServerState& state, const store::Command& command,
                                  Applied& applied, store::ProposalRecord* out);

}  // namespace okr

#endif  // OKR_SERVICES_CORE_REVIEW_OPS_H_
