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
  // Completes `options` from the okrctl context where no flag or environment variable gave a
  // value (contexts.h); 0, or the exit code after printing why not. Set by AddConfigCommands.
  std::function<int()> apply_context;

  // Sets `action` as the command to run, with a client connected per the global flags.
  void Set(std::function<int(Client&)> action) {
    run = [this, action = std::move(action)] {
      if (apply_context) {
        if (const int code = apply_context(); code != 0) return code;
      }
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
// `config set-context | use-context | get-contexts | ...` and the global --context flag; call
// after the global flags are added. The config commands need no server.
void AddConfigCommands(CLI::App& app, Context& ctx);
// `completion bash`: a bash completion script generated from the whole command tree; call last.
void AddCompletionCommand(CLI::App& app, Context& ctx);

}  // namespace okrctl

#endif  // OKR_CLIENTS_OKRCTL_COMMANDS_H_
