// The two sides of a plan change's audit entry, as text: {"cells": {unit: {"YYYY-MM":
// value}}, "years": {unit: year figure}} merged with a few fields of the entry's own.
//
// Written straight to a string rather than built as an nlohmann::json tree: the first cascade
// of a metric over 100,000 agents moves 1.2 million cells, and a tree of maps of that size
// cost more than the rest of the cascade (bench/README.md, "The cascade's audit entry"). The
// text is byte for byte what nlohmann's dump() of the same object gives: keys in byte order,
// whole values as integers, other numbers and every string as nlohmann writes them.
#ifndef OKR_SERVICES_CORE_CELLS_JSON_H_
#define OKR_SERVICES_CORE_CELLS_JSON_H_

#include <nlohmann/json.hpp>
#include <string>

#include "services/domain/plan_diff.h"

namespace okr {

enum class CellsSide {
  kBefore,  // only the units that had a plan, with their cells' earlier values
  kAfter,   // every unit of the change, with its cells' new values
};

// One side of `diff` (cells of `year`) and the members of `fields` (an object without "cells"
// or "years"), as one JSON object's text.
std::string CellsJsonText(const PlanDiff& diff, int year, CellsSide side,
                          const nlohmann::json& fields = nlohmann::json::object());

}  // namespace okr

#endif  // OKR_SERVICES_CORE_CELLS_JSON_H_
