#include "services/core/cells_json.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <string_view>
#include <utility>
#include <vector>

#include "services/domain/calendar.h"

namespace okr {
namespace {

// A whole number that an int64 holds (the cast of anything else is undefined).
bool IsInt64(double v) { return v >= -0x1p63 && v < 0x1p63 && v == std::trunc(v); }

// Whole values as integers (count plans), others as nlohmann writes a double.
void AppendValue(double v, std::string& out) {
  if (IsInt64(v)) {
    char digits[24];
    const auto end = std::to_chars(digits, digits + sizeof digits, static_cast<int64_t>(v)).ptr;
    out.append(digits, end);
    return;
  }
  out += nlohmann::json(v).dump();
}

void AppendString(std::string_view s, std::string& out) { out += nlohmann::json(s).dump(); }

// {"unit": {"YYYY-MM": value, ...}, ...} of the cells kept, units in byte order, months in
// order; a cell listed twice keeps its last value (as an object assigned twice would).
std::string CellsText(const PlanDiff& diff, int year, CellsSide side,
                      const std::vector<bool>& unit_had_plan_by_cell) {
  std::vector<size_t> order(diff.cells.size());
  std::iota(order.begin(), order.end(), 0);
  std::erase_if(order, [&](size_t i) { return !unit_had_plan_by_cell[i]; });
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    const CellChange& x = diff.cells[a];
    const CellChange& y = diff.cells[b];
    if (x.unit_id != y.unit_id) return x.unit_id < y.unit_id;
    return x.month < y.month;
  });
  std::string out;
  out.reserve(order.size() * 16 + 2);
  out += '{';
  const std::string* unit = nullptr;
  for (size_t k = 0; k < order.size(); ++k) {
    const CellChange& cell = diff.cells[order[k]];
    if (k + 1 < order.size()) {
      const CellChange& next = diff.cells[order[k + 1]];
      if (next.unit_id == cell.unit_id && next.month == cell.month) continue;
    }
    if (unit == nullptr || *unit != cell.unit_id) {
      if (unit != nullptr) out += "},";
      AppendString(cell.unit_id, out);
      out += ":{";
      unit = &cell.unit_id;
    } else {
      out += ',';
    }
    out += '"';
    out += MonthText(year, cell.month);
    out += "\":";
    AppendValue(side == CellsSide::kBefore ? cell.before : cell.after, out);
  }
  if (unit != nullptr) out += '}';
  out += '}';
  return out;
}

// {"unit": year figure, ...} of the units kept, in byte order; a unit listed twice keeps its
// last figure.
std::string YearsText(const PlanDiff& diff, CellsSide side) {
  std::vector<std::pair<std::string_view, double>> years;
  years.reserve(diff.units.size());
  for (const UnitChange& unit : diff.units) {
    if (side == CellsSide::kBefore && !unit.had_plan) continue;
    years.emplace_back(unit.unit_id,
                       side == CellsSide::kBefore ? unit.year_before : unit.year_after);
  }
  std::stable_sort(years.begin(), years.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string out = "{";
  for (size_t k = 0; k < years.size(); ++k) {
    if (k + 1 < years.size() && years[k + 1].first == years[k].first) continue;
    if (out.size() > 1) out += ',';
    AppendString(years[k].first, out);
    out += ':';
    AppendValue(years[k].second, out);
  }
  out += '}';
  return out;
}

}  // namespace

std::string CellsJsonText(const PlanDiff& diff, int year, CellsSide side,
                          const nlohmann::json& fields) {
  // Before: a cell counts only if its unit is listed as having had a plan (the last listing
  // of a unit decides, as in a map assigned in order).
  std::vector<bool> kept(diff.cells.size(), true);
  if (side == CellsSide::kBefore) {
    std::vector<std::pair<std::string_view, bool>> had;
    had.reserve(diff.units.size());
    for (const UnitChange& unit : diff.units) had.emplace_back(unit.unit_id, unit.had_plan);
    std::stable_sort(had.begin(), had.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    for (size_t i = 0; i < diff.cells.size(); ++i) {
      const std::string_view unit = diff.cells[i].unit_id;
      auto it = std::upper_bound(had.begin(), had.end(), unit,
                                 [](std::string_view u, const auto& e) { return u < e.first; });
      kept[i] = it != had.begin() && std::prev(it)->first == unit && std::prev(it)->second;
    }
  }
  std::vector<std::pair<std::string, std::string>> members;
  members.emplace_back("cells", CellsText(diff, year, side, kept));
  members.emplace_back("years", YearsText(diff, side));
  for (const auto& [key, value] : fields.items()) {
    if (key == "cells" || key == "years") continue;
    members.emplace_back(key, value.dump());
  }
  std::sort(members.begin(), members.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  size_t size = 2;
  for (const auto& [key, text] : members) size += key.size() + text.size() + 4;
  std::string out;
  out.reserve(size);
  out += '{';
  for (size_t k = 0; k < members.size(); ++k) {
    if (k > 0) out += ',';
    AppendString(members[k].first, out);
    out += ':';
    out += members[k].second;
  }
  out += '}';
  return out;
}

}  // namespace okr
