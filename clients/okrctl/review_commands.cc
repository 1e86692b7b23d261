// okrctl review propose | list | show | approve | reject | comment
#include <iostream>
#include <memory>
#include <sstream>

#include "clients/okrctl/commands.h"
#include "clients/okrctl/paging_flags.h"
#include "clients/okrctl/plan_diff_output.h"
#include "clients/okrctl/table.h"
#include "okr/v1/review.grpc.pb.h"

namespace okrctl {
namespace {

std::string StatusText(okr::v1::ProposalStatus s) {
  switch (s) {
    case okr::v1::PROPOSAL_STATUS_PENDING:
      return "pending";
    case okr::v1::PROPOSAL_STATUS_APPROVED:
      return "approved";
    case okr::v1::PROPOSAL_STATUS_REJECTED:
      return "rejected";
    default:
      return "?";
  }
}

std::string KindText(okr::v1::ProposalKind k) {
  return k == okr::v1::PROPOSAL_KIND_CHANGE_TARGET ? "change" : "redistribute";
}

// Who proposed, for people: "Maria (Group one)", or the actor id when the token has no label.
std::string ProposerText(const okr::v1::Proposal& p) {
  std::string who = p.proposer_label().empty() ? p.proposed_by() : p.proposer_label();
  if (!p.proposer_unit_name().empty()) {
    who += " (" + p.proposer_unit_name() + ")";
  } else if (!p.proposer_unit_id().empty()) {
    who += " (" + p.proposer_unit_id() + ")";
  }
  return who;
}

// The proposed cells, before -> after: "a1 3100->4000, a2 3100->2200".
std::string ValuesText(const okr::v1::Proposal& p) {
  std::string text;
  for (const auto& [unit, value] : p.values()) {
    std::string before = "?";
    for (const auto& cell : p.changes().cells()) {
      if (cell.unit_id() == unit && cell.month() == p.month()) before = FormatNumber(cell.before());
    }
    // A value equal to the stored one moves no cell.
    if (before == "?") before = FormatNumber(value);
    if (!text.empty()) text += ", ";
    text += unit + " " + before + "->" + FormatNumber(value);
  }
  return text;
}

nlohmann::json ProposalJson(const okr::v1::Proposal& p) {
  nlohmann::json values = nlohmann::json::object();
  for (const auto& [k, v] : p.values()) values[k] = Number(v);
  nlohmann::json comments = nlohmann::json::array();
  for (const auto& c : p.comments()) {
    comments.push_back({{"author", c.author()}, {"at", c.at()}, {"text", c.text()}});
  }
  return {{"id", p.proposal_id()},
          {"kind", KindText(p.kind())},
          {"status", StatusText(p.status())},
          {"unit", p.unit_id()},
          {"metric", p.metric_id()},
          {"month", p.month()},
          {"values", values},
          {"reason", p.reason()},
          {"proposed_by", p.proposed_by()},
          {"proposed_at", p.proposed_at()},
          {"base_plan_version", p.base_plan_version()},
          {"decided_by", p.decided_by()},
          {"decided_at", p.decided_at()},
          {"decision_reason", p.decision_reason()},
          {"comments", comments},
          {"unit_name", p.unit_name()},
          {"proposer",
           {{"actor", p.proposed_by()},
            {"label", p.proposer_label()},
            {"unit", p.proposer_unit_id()},
            {"unit_name", p.proposer_unit_name()}}},
          {"changes", PlanDiffJson(p.changes())}};
}

int PrintProposal(const Client& c, const okr::v1::Proposal& p) {
  if (c.json()) {
    PrintJson(ProposalJson(p));
    return 0;
  }
  std::cout << "proposal #" << p.proposal_id() << " (" << KindText(p.kind()) << ", "
            << StatusText(p.status()) << ") " << p.metric_id() << " " << p.month() << " of "
            << p.unit_id();
  if (!p.unit_name().empty()) std::cout << " (" << p.unit_name() << ")";
  std::cout << "\n  proposed: " << ValuesText(p) << "\n";
  if (!p.reason().empty()) std::cout << "  why: " << p.reason() << "\n";
  std::cout << "  by " << ProposerText(p) << " [" << p.proposed_by() << "] at " << p.proposed_at()
            << " (plan version " << p.base_plan_version() << ")\n";
  if (!p.decided_by().empty()) {
    std::cout << "  " << StatusText(p.status()) << " by " << p.decided_by() << " at "
              << p.decided_at();
    if (!p.decision_reason().empty()) std::cout << ": " << p.decision_reason();
    std::cout << "\n";
  }
  for (const auto& cm : p.comments()) {
    std::cout << "  comment by " << cm.author() << " at " << cm.at() << ": " << cm.text() << "\n";
  }
  // Every cell approval moves (or moved), the siblings that absorb the change included.
  std::cout << "\n"
            << (p.status() == okr::v1::PROPOSAL_STATUS_APPROVED ? "approved: " : "if approved: ");
  PrintPlanDiff(p.changes(), std::cout);
  return 0;
}

}  // namespace

void AddReviewCommands(CLI::App& app, Context& ctx) {
  CLI::App* review = app.add_subcommand("review", "monthly review: propose, approve, reject");
  review->require_subcommand(1);

  struct ProposeArgs {
    std::string unit, metric, month, set, reason;
    double value = 0;
    int64_t base = 0;
  };
  auto p = std::make_shared<ProposeArgs>();
  auto* propose = review->add_subcommand(
      "propose", "propose a redistribution among children (--set) or a new target (--value)");
  propose->add_option("--unit", p->unit, "your unit")->required();
  propose->add_option("--metric", p->metric, "metric")->required();
  propose->add_option("--month", p->month, "YYYY-MM")->required();
  auto* set = propose->add_option("--set", p->set, "children's values CHILD=V,... (same total)");
  auto* value = propose->add_option("--value", p->value, "the unit's new month target");
  set->excludes(value);
  propose->add_option("--reason", p->reason, "why");
  propose->add_option("--base-version", p->base,
                      "the plan version you looked at (from breakdown); default: current");
  propose->callback([&ctx, p, set, value] {
    const bool has_set = set->count() > 0, has_value = value->count() > 0;
    ctx.Set([p, has_set, has_value](Client& c) {
      okr::v1::ProposeRequest request;
      request.set_unit_id(p->unit);
      request.set_metric_id(p->metric);
      request.set_month(p->month);
      request.set_reason(p->reason);
      request.set_base_plan_version(p->base);
      if (has_set) {
        request.set_kind(okr::v1::PROPOSAL_KIND_REDISTRIBUTE);
        std::stringstream in(p->set);
        std::string pair;
        while (std::getline(in, pair, ',')) {
          const size_t eq = pair.find('=');
          try {
            if (eq == std::string::npos) throw std::invalid_argument(pair);
            (*request.mutable_values())[pair.substr(0, eq)] = std::stod(pair.substr(eq + 1));
          } catch (const std::exception&) {
            return ReportError("INVALID_ARGUMENT", "bad --set item '" + pair + "'");
          }
        }
      } else if (has_value) {
        request.set_kind(okr::v1::PROPOSAL_KIND_CHANGE_TARGET);
        (*request.mutable_values())[p->unit] = p->value;
      } else {
        return ReportError("INVALID_ARGUMENT", "propose needs --set CHILD=V,... or --value V");
      }
      okr::v1::Proposal reply;
      auto stub = okr::v1::ReviewService::NewStub(c.channel());
      grpc::Status status = stub->Propose(c.NewContext().get(), request, &reply);
      return status.ok() ? PrintProposal(c, reply) : ReportError(status);
    });
  });

  struct ListArgs {
    std::string status, unit;
    PageFlags page;
  };
  auto l = std::make_shared<ListArgs>();
  auto* list = review->add_subcommand("list", "proposals you may see");
  list->add_option("--status", l->status, "pending, approved or rejected")
      ->check(CLI::IsMember({"pending", "approved", "rejected"}));
  list->add_option("--unit", l->unit, "at or below this unit");
  AddPageFlags(list, l->page);
  list->callback([&ctx, l] {
    ctx.Set([l](Client& c) {
      okr::v1::ListProposalsRequest request;
      if (l->status == "pending") request.set_status(okr::v1::PROPOSAL_STATUS_PENDING);
      if (l->status == "approved") request.set_status(okr::v1::PROPOSAL_STATUS_APPROVED);
      if (l->status == "rejected") request.set_status(okr::v1::PROPOSAL_STATUS_REJECTED);
      request.set_unit_id(l->unit);
      SetPage(request, l->page);
      okr::v1::ListProposalsReply reply;
      auto stub = okr::v1::ReviewService::NewStub(c.channel());
      grpc::Status status = stub->ListProposals(c.NewContext().get(), request, &reply);
      if (!status.ok()) return ReportError(status);
      if (c.json()) {
        nlohmann::json all = nlohmann::json::array();
        for (const auto& p : reply.proposals()) all.push_back(ProposalJson(p));
        PrintJson(WithNextPage({{"proposals", all}}, reply.next_page_token()));
        return 0;
      }
      Table table(
          {"ID", "STATUS", "KIND", "UNIT", "METRIC", "MONTH", "PROPOSED", "CELLS", "BY", "REASON"});
      table.AlignRight({0, 7});
      for (const auto& p : reply.proposals()) {
        table.Add({std::to_string(p.proposal_id()), StatusText(p.status()), KindText(p.kind()),
                   p.unit_id(), p.metric_id(), p.month(), ValuesText(p),
                   std::to_string(p.changes().cells_size()), ProposerText(p), p.reason()});
      }
      table.Print(std::cout);
      PrintNextPage(reply.next_page_token());
      return 0;
    });
  });

  struct DecideArgs {
    int64_t id = 0;
    std::string reason;
  };
  auto add_decision = [&](const char* name, const char* help, bool approve, bool need_reason) {
    auto d = std::make_shared<DecideArgs>();
    auto* cmd = review->add_subcommand(name, help);
    cmd->add_option("ID", d->id, "proposal id")->required();
    auto* reason = cmd->add_option("--reason", d->reason, "why");
    if (need_reason) reason->required();
    cmd->callback([&ctx, d, approve] {
      ctx.Set([d, approve](Client& c) {
        okr::v1::DecideRequest request;
        request.set_proposal_id(d->id);
        request.set_reason(d->reason);
        okr::v1::Proposal reply;
        auto stub = okr::v1::ReviewService::NewStub(c.channel());
        grpc::Status status = approve ? stub->Approve(c.NewContext().get(), request, &reply)
                                      : stub->Reject(c.NewContext().get(), request, &reply);
        return status.ok() ? PrintProposal(c, reply) : ReportError(status);
      });
    });
  };
  add_decision("approve", "approve a proposal: its values become holds and are applied", true,
               false);
  add_decision("reject", "reject a proposal with a reason", false, true);

  auto s = std::make_shared<DecideArgs>();
  auto* show = review->add_subcommand("show", "one proposal with its comments");
  show->add_option("ID", s->id, "proposal id")->required();
  show->callback([&ctx, s] {
    ctx.Set([s](Client& c) {
      okr::v1::ProposalRef request;
      request.set_proposal_id(s->id);
      okr::v1::Proposal reply;
      auto stub = okr::v1::ReviewService::NewStub(c.channel());
      grpc::Status status = stub->GetProposal(c.NewContext().get(), request, &reply);
      return status.ok() ? PrintProposal(c, reply) : ReportError(status);
    });
  });

  auto cm = std::make_shared<DecideArgs>();
  auto* comment = review->add_subcommand("comment", "comment on a proposal");
  comment->add_option("ID", cm->id, "proposal id")->required();
  comment->add_option("--text", cm->reason, "the comment")->required();
  comment->callback([&ctx, cm] {
    ctx.Set([cm](Client& c) {
      okr::v1::CommentRequest request;
      request.set_proposal_id(cm->id);
      request.set_text(cm->reason);
      okr::v1::Proposal reply;
      auto stub = okr::v1::ReviewService::NewStub(c.channel());
      grpc::Status status = stub->AddComment(c.NewContext().get(), request, &reply);
      return status.ok() ? PrintProposal(c, reply) : ReportError(status);
    });
  });
}

}  // namespace okrctl
