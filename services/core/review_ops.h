// Monthly review: leads propose, a level above the proposer approves or rejects (who may is
// the access table's rule, checked before these run); approved values become
// holds and are applied by re-cascading that month of the subtree, all in one atomic write.
#ifndef OKR_SERVICES_CORE_REVIEW_OPS_H_
#define OKR_SERVICES_CORE_REVIEW_OPS_H_

#include "absl/status/status.h"
#include "okr/v1/review.pb.h"
#include "services/core/server_state.h"

namespace okr {

absl::Status Propose(ServerState& state, const Caller& caller, const v1::ProposeRequest& req,
                     v1::Proposal* out);
absl::Status ListProposals(ServerState& state, const Caller& caller,
                           const v1::ListProposalsRequest& req, v1::ListProposalsReply* out);
absl::Status GetProposal(ServerState& state, int64_t id, v1::Proposal* out);
absl::Status Decide(ServerState& state, const Caller& caller, const v1::DecideRequest& req,
                    bool approve, v1::Proposal* out);
absl::Status Comment(ServerState& state, const Caller& caller, const v1::CommentRequest& req,
                     v1::Proposal* out);

}  // namespace okr

#endif  // OKR_SERVICES_CORE_REVIEW_OPS_H_
