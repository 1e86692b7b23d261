// okrctl token create | list | revoke, and whoami
#include <iostream>
#include <memory>

#include "clients/okrctl/commands.h"
#include "clients/okrctl/paging_flags.h"
#include "clients/okrctl/table.h"
#include "okr/v1/access.grpc.pb.h"

namespace okrctl {
namespace {

std::string RoleText(okr::v1::Role role) {
  switch (role) {
    case okr::v1::ROLE_ADMIN:
      return "admin";
    case okr::v1::ROLE_DIRECTOR:
      return "director";
    case okr::v1::ROLE_LEAD:
      return "lead";
    case okr::v1::ROLE_AGENT:
      return "agent";
    default:
      return "?";
  }
}

nlohmann::json InfoJson(const okr::v1::TokenInfo& info) {
  return {{"token_id", info.token_id()},     {"role", RoleText(info.role())},
          {"unit", info.unit_id()},          {"label", info.label()},
          {"created_at", info.created_at()}, {"created_by", info.created_by()},
          {"revoked", info.revoked()}};
}

}  // namespace

void AddAccessCommands(CLI::App& app, Context& ctx) {
  CLI::App* token = app.add_subcommand("token", "bearer tokens: create, list, revoke");
  token->require_subcommand(1);
  struct Args {
    std::string role, unit, label, token_id;
  };
  auto a = std::make_shared<Args>();
  auto* create = token->add_subcommand("create", "create a token (printed once)");
  create->add_option("--role", a->role, "admin, director, lead or agent")->required();
  create->add_option("--unit", a->unit, "the unit a lead or agent token is bound to");
  create->add_option("--label", a->label, "a note on whose token it is");
  create->callback([&ctx, a] {
    ctx.Set([a](Client& c) {
      okr::v1::CreateTokenRequest request;
      if (a->role == "admin") {
        request.set_role(okr::v1::ROLE_ADMIN);
      } else if (a->role == "director") {
        request.set_role(okr::v1::ROLE_DIRECTOR);
      } else if (a->role == "lead") {
        request.set_role(okr::v1::ROLE_LEAD);
      } else if (a->role == "agent") {
        request.set_role(okr::v1::ROLE_AGENT);
      } else {
        return ReportError("INVALID_ARGUMENT",
                           "bad role '" + a->role + "': expected admin, director, lead or agent");
      }
      request.set_unit_id(a->unit);
      request.set_label(a->label);
      okr::v1::CreateTokenReply reply;
      auto stub = okr::v1::AccessService::NewStub(c.channel());
      grpc::Status status = stub->CreateToken(c.NewContext().get(), request, &reply);
      if (!status.ok()) return ReportError(status);
      if (c.json()) {
        PrintJson({{"token", reply.token()},
                   {"role", RoleText(reply.info().role())},
                   {"unit", reply.info().unit_id()},
                   {"token_id", reply.info().token_id()}});
      } else {
        std::cout << reply.token() << "\n";
      }
      return 0;
    });
  });

  auto* list = token->add_subcommand("list", "list tokens (never their secrets)");
  auto page = std::make_shared<PageFlags>();
  AddPageFlags(list, *page);
  list->callback([&ctx, page] {
    ctx.Set([page](Client& c) {
      okr::v1::ListTokensRequest request;
      SetPage(request, *page);
      okr::v1::ListTokensReply reply;
      auto stub = okr::v1::AccessService::NewStub(c.channel());
      grpc::Status status = stub->ListTokens(c.NewContext().get(), request, &reply);
      if (!status.ok()) return ReportError(status);
      if (c.json()) {
        nlohmann::json tokens = nlohmann::json::array();
        for (const auto& t : reply.tokens()) tokens.push_back(InfoJson(t));
        PrintJson(WithNextPage({{"tokens", tokens}}, reply.next_page_token()));
        return 0;
      }
      Table table({"ID", "ROLE", "UNIT", "LABEL", "CREATED", "REVOKED"});
      for (const auto& t : reply.tokens()) {
        table.Add({t.token_id(), RoleText(t.role()), t.unit_id(), t.label(), t.created_at(),
                   t.revoked() ? "yes" : ""});
      }
      table.Print(std::cout);
      PrintNextPage(reply.next_page_token());
      return 0;
    });
  });

  auto* revoke = token->add_subcommand("revoke", "revoke a token by its id");
  revoke->add_option("ID", a->token_id, "token id (from token list)")->required();
  revoke->callback([&ctx, a] {
    ctx.Set([a](Client& c) {
      okr::v1::RevokeTokenRequest request;
      request.set_token_id(a->token_id);
      okr::v1::TokenInfo reply;
      auto stub = okr::v1::AccessService::NewStub(c.channel());
      grpc::Status status = stub->RevokeToken(c.NewContext().get(), request, &reply);
      if (!status.ok()) return ReportError(status);
      if (c.json()) {
        PrintJson(InfoJson(reply));
      } else {
        std::cout << "revoked " << reply.token_id() << "\n";
      }
      return 0;
    });
  });

  auto* whoami = app.add_subcommand("whoami", "the role and unit of the current token");
  whoami->callback([&ctx] {
    ctx.Set([](Client& c) {
      okr::v1::TokenInfo reply;
      auto stub = okr::v1::AccessService::NewStub(c.channel());
      grpc::Status status = stub->WhoAmI(c.NewContext().get(), okr::v1::WhoAmIRequest(), &reply);
      if (!status.ok()) return ReportError(status);
      if (c.json()) {
        PrintJson(InfoJson(reply));
      } else {
        std::cout << RoleText(reply.role()) << " " << reply.token_id()
                  << (reply.unit_id().empty() ? "" : " @ " + reply.unit_id()) << "\n";
      }
      return 0;
    });
  });
}

}  // namespace okrctl
