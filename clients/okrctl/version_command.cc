// okrctl version: this client's version, and the server's from the `okr-server-version`
// header that okrd puts on every answer (services/api/version_header.h). Any answer will
// do, even UNAUTHENTICATED, so it works before a token is set; no answer is an error.
#include <iostream>

#include "clients/okrctl/commands.h"
#include "okr/v1/access.grpc.pb.h"
#include "okr/version.h"

namespace okrctl {

void AddVersionCommand(CLI::App& app, Context& ctx) {
  auto* version = app.add_subcommand("version", "the versions of okrctl and of the server");
  version->callback([&ctx] {
    ctx.Set([](Client& c) {
      okr::v1::TokenInfo reply;
      auto context = c.NewContext();
      grpc::Status status = okr::v1::AccessService::NewStub(c.channel())
                                ->WhoAmI(context.get(), okr::v1::WhoAmIRequest(), &reply);
      const auto& headers = context->GetServerInitialMetadata();
      auto header = headers.find(okr::kServerVersionHeader);
      if (header == headers.end()) {
        std::cout << "okrctl " << okr::kVersion << "\n";
        return status.ok() ? ReportError("UNKNOWN", "the server sent no version")
                           : ReportError(status);
      }
      const std::string server(header->second.data(), header->second.size());
      if (c.json()) {
        PrintJson({{"client", okr::kVersion}, {"server", server}});
      } else {
        std::cout << "okrctl " << okr::kVersion << "\nokrd " << server << "\n";
      }
      return 0;
    });
  });
}

}  // namespace okrctl
