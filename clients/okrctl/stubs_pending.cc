#include "clients/okrctl/commands.h"

namespace okrctl {
void AddActualsCommands(CLI::App&, Context&) {}
void AddProgressCommands(CLI::App&, Context&) {}
void AddAccessCommands(CLI::App&, Context&) {}
}  // namespace okrctl
