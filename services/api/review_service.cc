#include "services/api/review_service.h"

#include "services/api/convert.h"
#include "services/api/plan_convert.h"
#include "services/api/rpc.h"
#include "services/core/review_ops.h"

namespace okr {
namespace {

// A kind this server does not know (or none) is refused by Propose after its plan checks.
Parsed<ProposalKind> KindOf(v1::ProposalKind kind) {
  switch (kind) {
    case v1::PROPOSAL_KIND_REDISTRIBUTE:
      return ProposalKind::kRedistribute;
    case v1::PROPOSAL_KIND_CHANGE_TARGET:
      return ProposalKind::kChangeTarget;
    default:
      return absl::InvalidArgumentError("kind must be redistribute or change");
  }
}

v1::ProposalKind ToProto(ProposalKind kind) {
  switch (kind) {
    case ProposalKind::kRedistribute:
      return v1::PROPOSAL_KIND_REDISTRIBUTE;
    case ProposalKind::kChangeTarget:
      return v1::PROPOSAL_KIND_CHANGE_TARGET;
  }
  return v1::PROPOSAL_KIND_UNSPECIFIED;
}

v1::ProposalStatus ToProto(ProposalStatus status) {
  switch (status) {
    case ProposalStatus::kPending:
      return v1::PROPOSAL_STATUS_PENDING;
    case ProposalStatus::kApproved:
      return v1::PROPOSAL_STATUS_APPROVED;
    case ProposalStatus::kRejected:
      return v1::PROPOSAL_STATUS_REJECTED;
  }
  return v1::PROPOSAL_STATUS_UNSPECIFIED;
}

void ToProto(const Proposal& p, v1::Proposal* out) {
  out->set_proposal_id(p.proposal_id);
  out->set_kind(ToProto(p.kind));
  out->set_status(ToProto(p.status));
  out->set_unit_id(p.unit_id);
  out->set_metric_id(p.metric_id);
  out->set_month(MonthText(p.year, p.month));
  for (const auto& [unit, value] : p.values) (*out->mutable_values())[unit] = value;
  out->set_reason(p.reason);
  out->set_proposed_by(p.proposed_by);
  out->set_proposed_at(FormatTime(p.proposed_at_unix));
  out->set_base_plan_version(p.base_plan_version);
  out->set_decided_by(p.decided_by);
  if (p.decided_at_unix != 0) out->set_decided_at(FormatTime(p.decided_at_unix));
  out->set_decision_reason(p.decision_reason);
  for (const ProposalComment& c : p.comments) {
    v1::Comment* comment = out->add_comments();
    comment->set_author(c.author);
    comment->set_at(FormatTime(c.at_unix));
    comment->set_text(c.text);
  }
  out->set_unit_name(p.unit_name);
  out->set_proposer_label(p.proposer_label);
  out->set_proposer_unit_id(p.proposer_unit_id);
  out->set_proposer_unit_name(p.proposer_unit_name);
  ToProto(p.changes, p.year, out->mutable_changes());
}

// The reply of an operation that returns a proposal.
absl::Status ReplyProposal(const absl::StatusOr<Proposal>& proposal, v1::Proposal* out) {
  if (!proposal.ok()) return proposal.status();
  ToProto(*proposal, out);
  return absl::OkStatus();
}

ProposalDraft DraftOf(const v1::ProposeRequest& req) {
  ProposalDraft draft;
  draft.kind = KindOf(req.kind());
  draft.unit_id = req.unit_id();
  draft.metric_id = req.metric_id();
  // A bad month is refused by Propose after its unit and metric checks.
  draft.month = ParseYearMonth(req.month());
  draft.values.insert(req.values().begin(), req.values().end());
  draft.reason = req.reason();
  if (req.base_plan_version() != 0) draft.base_plan_version = req.base_plan_version();
  return draft;
}

}  // namespace

grpc::ServerUnaryReactor* ReviewServiceImpl::Propose(grpc::CallbackServerContext* ctx,
                                                     const v1::ProposeRequest* request,
                                                     v1::Proposal* reply) {
  return ServeUnary(state_, ctx, "/okr.v1.ReviewService/Propose", request, reply,
                    [this](const Caller& caller, const v1::ProposeRequest& req, v1::Proposal* out) {
                      return ReplyProposal(okr::Propose(state_, caller, DraftOf(req)), out);
                    });
}

grpc::ServerUnaryReactor* ReviewServiceImpl::ListProposals(grpc::CallbackServerContext* ctx,
                                                           const v1::ListProposalsRequest* request,
                                                           v1::ListProposalsReply* reply) {
  return ServeUnary(state_, ctx, "/okr.v1.ReviewService/ListProposals", request, reply,
                    [this](const Caller& caller, const v1::ListProposalsRequest& req,
                           v1::ListProposalsReply* out) {
                      ProposalFilter filter;
                      filter.unit_id = req.unit_id();
                      auto page = ParsePageRequest("proposals", req.limit(), req.page_token());
                      if (!page.ok()) return page.status();
                      filter.page = *page;
                      switch (req.status()) {
                        case v1::PROPOSAL_STATUS_UNSPECIFIED:
                          break;
                        case v1::PROPOSAL_STATUS_PENDING:
                          filter.status = ProposalStatus::kPending;
                          break;
                        case v1::PROPOSAL_STATUS_APPROVED:
                          filter.status = ProposalStatus::kApproved;
                          break;
                        case v1::PROPOSAL_STATUS_REJECTED:
                          filter.status = ProposalStatus::kRejected;
                          break;
                        default:
                          return absl::OkStatus();  // a status no proposal has: none
                      }
                      auto proposals = okr::ListProposals(state_, caller, filter);
                      if (!proposals.ok()) return proposals.status();
                      for (const Proposal& p : proposals->proposals) {
                        ToProto(p, out->add_proposals());
                      }
                      out->set_next_page_token(PageToken("proposals", proposals->next_cursor));
                      return absl::OkStatus();
                    });
}

grpc::ServerUnaryReactor* ReviewServiceImpl::GetProposal(grpc::CallbackServerContext* ctx,
                                                         const v1::ProposalRef* request,
                                                         v1::Proposal* reply) {
  return ServeUnary(state_, ctx, "/okr.v1.ReviewService/GetProposal", request, reply,
                    [this](const Caller&, const v1::ProposalRef& req, v1::Proposal* out) {
                      return ReplyProposal(okr::GetProposal(state_, req.proposal_id()), out);
                    });
}

grpc::ServerUnaryReactor* ReviewServiceImpl::Approve(grpc::CallbackServerContext* ctx,
                                                     const v1::DecideRequest* request,
                                                     v1::Proposal* reply) {
  return ServeUnary(
      state_, ctx, "/okr.v1.ReviewService/Approve", request, reply,
      [this](const Caller& caller, const v1::DecideRequest& req, v1::Proposal* out) {
        return ReplyProposal(
            Decide(state_, caller, {req.proposal_id(), /*approve=*/true, req.reason()}), out);
      });
}

grpc::ServerUnaryReactor* ReviewServiceImpl::Reject(grpc::CallbackServerContext* ctx,
                                                    const v1::DecideRequest* request,
                                                    v1::Proposal* reply) {
  return ServeUnary(
      state_, ctx, "/okr.v1.ReviewService/Reject", request, reply,
      [this](const Caller& caller, const v1::DecideRequest& req, v1::Proposal* out) {
        return ReplyProposal(
            Decide(state_, caller, {req.proposal_id(), /*approve=*/false, req.reason()}), out);
      });
}

grpc::ServerUnaryReactor* ReviewServiceImpl::AddComment(grpc::CallbackServerContext* ctx,
                                                        const v1::CommentRequest* request,
                                                        v1::Proposal* reply) {
  return ServeUnary(
      state_, ctx, "/okr.v1.ReviewService/AddComment", request, reply,
      [this](const Caller& caller, const v1::CommentRequest& req, v1::Proposal* out) {
        return ReplyProposal(Comment(state_, caller, {req.proposal_id(), req.text()}), out);
      });
}

}  // namespace okr
