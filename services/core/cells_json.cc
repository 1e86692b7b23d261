#include "services/core/cells_json.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <optional>
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

// As nlohmann writes a string: most ids are printable ASCII with nothing to escape.
void AppendString(std::string_view s, std::string& out) {
  const bool plain = std::all_of(
      s.begin(), s.end(), [](char c) { return c >= 0x20 && c < 0x7f && c != '"' && c != '\\'; });
  if (!plain) {
    out += nlohmann::json(s).dump();
    return;
  }
  out += '"';
  out += s;
  out += '"';
}

// {"unit": {"YYYY-MM": value, ...}, ...} of the cells kept, units in byte order, months in
// order; a cell listed twice keeps its last value (as an object assigned twice would). A
// diff lists a unit's cells together, so it is the units' runs that are sorted, not the cells.
std::string CellsText(const PlanDiff& diff, int year, CellsSide side,
                      const std::vector<bool>& kept) {
  struct Run {
    std::string_view unit;
    size_t begin, end;  // into diff.cells
  };
  std::vector<Run> runs;
  for (size_t i = 0; i < diff.cells.size(); ++i) {
    if (!kept[i]) continue;
    const std::string_view unit = diff.cells[i].unit_id;
    if (!runs.empty() && runs.back().end == i && runs.back().unit == unit) {
      runs.back().end = i + 1;
    } else {
      runs.push_back({unit, i, i + 1});
    }
  }
  std::stable_sort(runs.begin(), runs.end(),
                   [](const Run& a, const Run& b) { return a.unit < b.unit; });
  std::array<std::string, 12> month_keys;
  for (int m = 1; m <= 12; ++m) month_keys[m - 1] = "\"" + MonthText(year, m) + "\":";
  std::string out;
  out.reserve(runs.size() * 16 + (diff.cells.size()) * 14 + 2);
  out += '{';
  for (size_t r = 0; r < runs.size();) {
    // The runs of one unit, merged month by month: the last listing of a month wins.
    std::array<std::optional<double>, 12> months;
    size_t next = r;
    for (; next < runs.size() && runs[next].unit == runs[r].unit; ++next) {
      for (size_t i = runs[next].begin; i < runs[next].end; ++i) {
        const CellChange& cell = diff.cells[i];
        if (cell.month < 1 || cell.month > 12) continue;
        months[cell.month - 1] = side == CellsSide::kBefore ? cell.before : cell.after;
      }
    }
    if (r > 0) out += ',';
    AppendString(runs[r].unit, out);
    out += ":{";
    bool first = true;
    for (int m = 0; m < 12; ++m) {
      if (!months[m]) continue;
      if (!first) out += ',';
      first = false;
      out += month_keys[m];
      AppendValue(*months[m], out);
    }
    out += '}';
    r = next;
  }
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
