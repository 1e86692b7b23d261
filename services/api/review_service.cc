#include "services/api/review_service.h"

#include "services/api/rpc.h"
#include "services/core/review_ops.h"

namespace okr {

grpc::ServerUnaryReactor* ReviewServiceImpl::Propose(grpc::CallbackServerContext* ctx,
                                                     const v1::ProposeRequest* request,
                                                     v1::Proposal* reply) {
  return ServeUnary(state_, ctx, "/okr.v1.ReviewService/Propose", request, reply,
                    [this](const Caller& caller, const auto& req, auto* out) {
                      return okr::Propose(state_, caller, req, out);
                    });
}

grpc::ServerUnaryReactor* ReviewServiceImpl::ListProposals(grpc::CallbackServerContext* ctx,
                                                           const v1::ListProposalsRequest* request,
                                                           v1::ListProposalsReply* reply) {
  return ServeUnary(state_, ctx, "/okr.v1.ReviewService/ListProposals", request, reply,
                    [this](const Caller& caller, const auto& req, auto* out) {
                      return okr::ListProposals(state_, caller, req, out);
                    });
}

grpc::ServerUnaryReactor* ReviewServiceImpl::GetProposal(grpc::CallbackServerContext* ctx,
                                                         const v1::ProposalRef* request,
                                                         v1::Proposal* reply) {
  return ServeUnary(state_, ctx, "/okr.v1.ReviewService/GetProposal", request, reply,
                    [this](const Caller&, const v1::ProposalRef& req, auto* out) {
                      return okr::GetProposal(state_, req.proposal_id(), out);
                    });
}

grpc::ServerUnaryReactor* ReviewServiceImpl::Approve(grpc::CallbackServerContext* ctx,
                                                     const v1::DecideRequest* request,
                                                     v1::Proposal* reply) {
  return ServeUnary(state_, ctx, "/okr.v1.ReviewService/Approve", request, reply,
                    [this](const Caller& caller, const auto& req, auto* out) {
                      return Decide(state_, caller, req, /*approve=*/true, out);
                    });
}

grpc::ServerUnaryReactor* ReviewServiceImpl::Reject(grpc::CallbackServerContext* ctx,
                                                    const v1::DecideRequest* request,
                                                    v1::Proposal* reply) {
  return ServeUnary(state_, ctx, "/okr.v1.ReviewService/Reject", request, reply,
                    [this](const Caller& caller, const auto& req, auto* out) {
                      return Decide(state_, caller, req, /*approve=*/false, out);
                    });
}

grpc::ServerUnaryReactor* ReviewServiceImpl::AddComment(grpc::CallbackServerContext* ctx,
                                                        const v1::CommentRequest* request,
                                                        v1::Proposal* reply) {
  return ServeUnary(state_, ctx, "/okr.v1.ReviewService/AddComment", request, reply,
                    [this](const Caller& caller, const auto& req, auto* out) {
                      return Comment(state_, caller, req, out);
                    });
}

}  // namespace okr
