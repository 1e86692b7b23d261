#include "services/domain/org_summary.h"

#include <cmath>
#include <map>
#include <utility>

namespace okr {

std::vector<GroupHeadcount> SummarizeGroups(const OrgSnapshot& org, const Date& day) {
  std::map<std::string, GroupHeadcount> groups;  // by unit id
  auto entry = [&](const Unit& unit) -> GroupHeadcount& {
    GroupHeadcount& g = groups[unit.id];
    g.unit_id = unit.id;
    g.name = unit.name;
    return g;
  };
  for (const Unit& unit : org.units()) {
    if (unit.kind == UnitKind::kGroup) entry(unit);
  }
  for (const Unit& unit : org.units()) {
    if (unit.kind != UnitKind::kAgent || !unit.ActiveOn(day)) continue;
    const Unit* parent = org.Find(unit.ParentOn(day));
    if (parent == nullptr) continue;
    GroupHeadcount& g = entry(*parent);
    ++g.agents;
    // Import keeps FTE within (0, 1]: the rounding is exact to the millionth, the sum fits.
    g.fte_micros += std::llround(unit.fte * 1e6);
  }
  std::vector<GroupHeadcount> out;
  out.reserve(groups.size());
  for (auto& [id, g] : groups) out.push_back(std::move(g));
  return out;
}

OrgSnapshot WithUnits(const OrgSnapshot& org, absl::Span<const Unit> changed) {
  std::map<std::string, Unit> merged;
  for (const Unit& unit : org.units()) merged.emplace(unit.id, unit);
  for (const Unit& unit : changed) merged[unit.id] = unit;
  std::vector<Unit> units;
  units.reserve(merged.size());
  for (auto& [id, unit] : merged) units.push_back(std::move(unit));
  return OrgSnapshot(std::move(units));
}

}  // namespace okr
