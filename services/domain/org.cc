#include "services/domain/org.h"

#include <algorithm>
#include <set>

#include "absl/status/status.h"

namespace okr {

std::string_view UnitKindName(UnitKind kind) {
  switch (kind) {
    case UnitKind::kCompany:
      return "company";
    case UnitKind::kTeam:
      return "team";
    case UnitKind::kGroup:
      return "group";
    case UnitKind::kAgent:
      return "agent";
  }
  return "agent";
}

absl::StatusOr<UnitKind> ParseUnitKind(std::string_view text) {
  if (text == "company") return UnitKind::kCompany;
  if (text == "team") return UnitKind::kTeam;
  if (text == "group") return UnitKind::kGroup;
  if (text == "agent") return UnitKind::kAgent;
  return absl::InvalidArgumentError("bad kind '" + std::string(text) +
                                    "': expected company, team, group or agent");
}

const std::string& Unit::ParentOn(const Date& day) const {
  const std::string* parent = &parent_id;
  for (const Move& move : moves) {
    if (move.effective <= day) parent = &move.parent_id;
  }
  return *parent;
}

bool Unit::ActiveOn(const Date& day) const {
  if (deactivated) return false;
  if (start_date && day < *start_date) return false;
  if (end_date && day > *end_date) return false;
  return true;
}

OrgSnapshot::OrgSnapshot(std::vector<Unit> units) : units_(std::move(units)) {
  std::sort(units_.begin(), units_.end(), [](const Unit& a, const Unit& b) { return a.id < b.id; });
  index_.reserve(units_.size());
  for (size_t i = 0; i < units_.size(); ++i) index_.emplace(units_[i].id, i);
  for (const Unit& unit : units_) {
    std::set<std::string> parents;
    if (!unit.parent_id.empty()) parents.insert(unit.parent_id);
    for (const Move& move : unit.moves) parents.insert(move.parent_id);
    for (const std::string& parent : parents) children_ever_[parent].push_back(unit.id);
  }
  // units_ is sorted by id, so every children list is already sorted.
}

const Unit* OrgSnapshot::Find(std::string_view id) const {
  auto it = index_.find(std::string(id));
  return it == index_.end() ? nullptr : &units_[it->second];
}

const std::vector<std::string>& OrgSnapshot::ChildrenEver(std::string_view id) const {
  static const std::vector<std::string> kNone;
  auto it = children_ever_.find(std::string(id));
  return it == children_ever_.end() ? kNone : it->second;
}

std::vector<std::string> OrgSnapshot::AncestryOn(std::string_view id, const Date& day) const {
  std::vector<std::string> chain;
  const Unit* unit = Find(id);
  while (unit != nullptr && chain.size() <= units_.size()) {
    chain.push_back(unit->id);
    const std::string& parent = unit->ParentOn(day);
    if (parent.empty()) break;
    unit = Find(parent);
  }
  return chain;
}

bool OrgSnapshot::IsInSubtreeEver(std::string_view ancestor, std::string_view id) const {
  // Breadth-first over every parent the unit ever had; the org is acyclic on any day, and
  // the visited set guards against a cycle formed across different days.
  std::vector<std::string> frontier{std::string(id)};
  std::set<std::string> seen;
  while (!frontier.empty()) {
    std::string current = std::move(frontier.back());
    frontier.pop_back();
    if (current == ancestor) return true;
    if (!seen.insert(current).second) continue;
    const Unit* unit = Find(current);
    if (unit == nullptr) continue;
    if (!unit->parent_id.empty()) frontier.push_back(unit->parent_id);
    for (const Move& move : unit->moves) frontier.push_back(move.parent_id);
  }
  return false;
}

std::vector<std::string> OrgSnapshot::AgentsBelowEver(std::string_view id) const {
  std::vector<std::string> agents;
  std::set<std::string> seen;
  std::vector<std::string> stack{std::string(id)};
  while (!stack.empty()) {
    std::string current = std::move(stack.back());
    stack.pop_back();
    if (!seen.insert(current).second) continue;
    const Unit* unit = Find(current);
    if (unit == nullptr) continue;
    if (unit->kind == UnitKind::kAgent) agents.push_back(current);
    for (const std::string& child : ChildrenEver(current)) stack.push_back(child);
  }
  std::sort(agents.begin(), agents.end());
  return agents;
}

int OrgSnapshot::ActiveDaysBelow(const Unit& agent, std::string_view ancestor_id, const Date& first,
                                 const Date& last) const {
  int days = 0;
  for (int d = first.DayNumber(); d <= last.DayNumber(); ++d) {
    const Date day = Date::FromDayNumber(d);
    if (!agent.ActiveOn(day)) continue;
    if (agent.id == ancestor_id) {
      ++days;
      continue;
    }
    for (const std::string& up : AncestryOn(agent.id, day)) {
      if (up == ancestor_id) {
        ++days;
        break;
      }
    }
  }
  return days;
}

}  // namespace okr
