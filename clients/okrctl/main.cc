// okrctl: the command-line client of okrd.
#include <CLI/CLI.hpp>
#include <iostream>

#include "clients/okrctl/commands.h"

int main(int argc, char** argv) {
  // --server, --token and --tls-ca are completed from OKR_SERVER, OKR_TOKEN, OKR_CA_FILE and the
  // okrctl context just before a command connects (ResolveConnection in contexts.h).
  okrctl::Context ctx;

  CLI::App app{"okrctl: the command-line client of okrd (okr-cascade)"};
  app.require_subcommand(1);
  app.fallthrough();
  app.add_option("--server", ctx.options.server, "okrd address HOST:PORT (env OKR_SERVER)")
      ->capture_default_str();
  app.add_option("--token", ctx.options.token, "bearer token (env OKR_TOKEN)");
  app.add_option("-o,--output", ctx.options.output, "output format")
      ->check(CLI::IsMember({"table", "json"}))
      ->capture_default_str();
  app.add_option("--tls-ca", ctx.options.tls_ca,
                 "PEM CA certificate: connect with TLS and trust only it (env OKR_CA_FILE, then "
                 "the context's ca-file; a missing or non-PEM file is an error, exit 3)");
  app.add_option("--timeout", ctx.options.timeout_seconds, "call deadline in seconds")
      ->capture_default_str();

  okrctl::AddOrgCommands(app, ctx);
  okrctl::AddMetricCommands(app, ctx);
  okrctl::AddPlanCommands(app, ctx);
  okrctl::AddActualsCommands(app, ctx);
  okrctl::AddProgressCommands(app, ctx);
  okrctl::AddAccessCommands(app, ctx);
  okrctl::AddReviewCommands(app, ctx);
  okrctl::AddExplainCommands(app, ctx);
  okrctl::AddPluginCommands(app, ctx);
  okrctl::AddAlertCommands(app, ctx);
  okrctl::AddVersionCommand(app, ctx);
  okrctl::AddConfigCommands(app, ctx);
  okrctl::AddCompletionCommand(app, ctx);  // last: it walks every command above

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "okrctl: INVALID_ARGUMENT: " << e.what() << "\n";
    std::cerr << "run 'okrctl --help' or 'okrctl COMMAND --help' for usage\n";
    return 2;
  }
  if (!ctx.run) {
    std::cerr << "okrctl: INVALID_ARGUMENT: missing command; run 'okrctl --help'\n";
    return 2;
  }
  return ctx.run();
}
