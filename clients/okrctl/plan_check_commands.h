// okrctl plan check: the gaps of a year's plans (services/core/plan_check.h).
#ifndef OKR_CLIENTS_OKRCTL_PLAN_CHECK_COMMANDS_H_
#define OKR_CLIENTS_OKRCTL_PLAN_CHECK_COMMANDS_H_

#include <CLI/CLI.hpp>

#include "clients/okrctl/commands.h"

namespace okrctl {

void AddPlanCheckCommands(CLI::App& app, Context& ctx);

}  // namespace okrctl

#endif  // OKR_CLIENTS_OKRCTL_PLAN_CHECK_COMMANDS_H_
