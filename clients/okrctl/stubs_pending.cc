#include "clients/okrctl/commands.h"

namespace okrctl {
void AddAccessCommands(CLI::App&, Context&) {}
}  // namespace okrctl
