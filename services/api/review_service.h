#ifndef OKR_SERVICES_API_REVIEW_SERVICE_H_
#define OKR_SERVICES_API_REVIEW_SERVICE_H_

#include "okr/v1/review.grpc.pb.h"
#include "services/core/server_state.h"

namespace okr {

// Thin handlers over review_ops.h. Who may read, comment on and decide a proposal is the
// access table's rule (kReadProposal, kDecideProposal): the edge looks the proposal up by
// its id and decides before the handler runs.
class ReviewServiceImpl final : public v1::ReviewService::CallbackService {
 public:
  explicit ReviewServiceImpl(ServerState& state) : state_(state) {}

  grpc::ServerUnaryReactor* Propose(grpc::CallbackServerContext* ctx,
                                    const v1::ProposeRequest* request,
                                    v1::Proposal* reply) override;
  grpc::ServerUnaryReactor* ListProposals(grpc::CallbackServerContext* ctx,
                                          const v1::ListProposalsRequest* request,
                                          v1::ListProposalsReply* reply) override;
  grpc::ServerUnaryReactor* GetProposal(grpc::CallbackServerContext* ctx,
                                        const v1::ProposalRef* request,
                                        v1::Proposal* reply) override;
  grpc::ServerUnaryReactor* Approve(grpc::CallbackServerContext* ctx,
                                    const v1::DecideRequest* request, v1::Proposal* reply) override;
  grpc::ServerUnaryReactor* Reject(grpc::CallbackServerContext* ctx,
                                   const v1::DecideRequest* request, v1::Proposal* reply) override;
  grpc::ServerUnaryReactor* AddComment(grpc::CallbackServerContext* ctx,
                                       const v1::CommentRequest* request,
                                       v1::Proposal* reply) override;

 private:
  ServerState& state_;
};

}  // namespace okr

#endif  // OKR_SERVICES_API_REVIEW_SERVICE_H_
