// okrctl's command groups. Each Add*Commands registers its subcommands on the app; the chosen
// one stores its action in Context::run, which main() calls after parsing.
#ifndef OKR_CLIENTS_OKRCTL_COMMANDS_H_
#define OKR_CLIENTS_OKRCTL_COMMANDS_H_

#include <CLI/CLI.hpp>
#include <functional>
#include <string>

#include "clients/okrctl/client.h"

namespace okrctl {

struct Context {
  GlobalOptions options;
  std::function<int()> run;

  // Sets `action` as the command to run, with a client connected per the global flags.
  void Set(std::function<int(Client&)> action) {
    run = [this, action = std::move(action)] {
      Client client(options);
      return action(client);
    };
  }
};

void AddOrgCommands(CLI::App& app, Context& ctx);
void AddMetricCommands(CLI::App& app, Context& ctx);
void AddPlanCommands(CLI::App& app, Context& ctx);
void AddActualsCommands(CLI::App& app, Context& ctx);
void AddProgressCommands(CLI::App& app, Context& ctx);
void AddAccessCommands(CLI::App& app, Context& ctx);
void AddReviewCommands(CLI::App& app, Context& ctx);
void AddExplainCommands(CLI::App& app, Context& ctx);
void AddPluginCommands(CLI::App& app, Context& ctx);
void AddVersionCommand(CLI::App& app, Context& ctx);
// `plugin config`: the effective config of plugins at a unit (a subcommand of `plugin`).
void AddPluginConfigCommand(CLI::App& plugin, Context& ctx);
void AddAlertCommands(CLI::App& app, Context& ctx);  // and kudos

}  // namespace okrctl

#endif  // OKR_CLIENTS_OKRCTL_COMMANDS_H_
