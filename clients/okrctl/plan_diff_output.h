// How okrctl shows a PlanDiff (what a cascade or a proposal moves): as JSON, and as a table of
// cells (before -> after, down to agents) followed by each changed unit's year totals.
#ifndef OKR_CLIENTS_OKRCTL_PLAN_DIFF_OUTPUT_H_
#define OKR_CLIENTS_OKRCTL_PLAN_DIFF_OUTPUT_H_

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>

#include "okr/v1/plan.pb.h"

namespace okrctl {

// {"cells": [{"unit", "month", "before", "after", "change"}], "units": [{"unit", "had_plan",
// "year_before", "year_after", "change"}], "cells_changed", "units_changed"}
nlohmann::json PlanDiffJson(const okr::v1::PlanDiff& diff);

// "no cell changes", or the cells table and the year totals table. A cell or year of a unit
// that had no plan shows "-" before.
void PrintPlanDiff(const okr::v1::PlanDiff& diff, std::ostream& out);

// "+900", "-200", "0".
std::string SignedNumber(double value);

}  // namespace okrctl

#endif  // OKR_CLIENTS_OKRCTL_PLAN_DIFF_OUTPUT_H_
