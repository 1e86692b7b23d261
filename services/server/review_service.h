#ifndef OKR_SERVICES_SERVER_REVIEW_SERVICE_H_
#define OKR_SERVICES_SERVER_REVIEW_SERVICE_H_

#include "okr/v1/review.grpc.pb.h"
#include "services/server/server_state.h"

namespace okr {

// Thin handlers over review_ops.h. The access table lets any token reach Approve, Reject,
// Comment and the reads; who may decide depends on the stored proposal's unit, so
// review_ops checks MayDecide / MayRead once the proposal is loaded.
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

#endif  // OKR_SERVICES_SERVER_REVIEW_SERVICE_H_
