// The org tree: units (company, teams, groups, agents) and where each sits over time.
//
// A unit's parent can change on a date (`org move --effective`), so the tree is a function
// of the day: `ParentAt(unit, day)`. Agents are active only between their start and end
// dates (inclusive). OrgSnapshot is immutable once built; the server swaps in a new one
// after every org change, so readers never lock.
#ifndef OKR_SERVICES_DOMAIN_ORG_H_
#define OKR_SERVICES_DOMAIN_ORG_H_

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "absl/status/statusor.h"
#include "services/domain/calendar.h"

namespace okr {

enum class UnitKind { kCompany, kTeam, kGroup, kAgent };

std::string_view UnitKindName(UnitKind kind);
absl::StatusOr<UnitKind> ParseUnitKind(std::string_view text);

// From `effective` on, the unit hangs below `parent_id`.
struct Move {
  Date effective;
  std::string parent_id;
  friend bool operator==(const Move&, const Move&) = default;
};

struct Unit {
  std::string id;
  std::string parent_id;  // the parent before any move; empty for a root
  UnitKind kind = UnitKind::kAgent;
  std::string name;
  double fte = 1.0;
  std::optional<Date> start_date;
  std::optional<Date> end_date;
  std::vector<Move> moves;  // sorted by effective date
  bool deactivated = false;

  // The parent on `day` (after applying the moves effective on or before it).
  const std::string& ParentOn(const Date& day) const;
  // True when the unit (an agent) works on `day`.
  bool ActiveOn(const Date& day) const;

  friend bool operator==(const Unit&, const Unit&) = default;
};

// A read-only view of the whole org, with indexes for walking it.
class OrgSnapshot {
 public:
  OrgSnapshot() = default;
  explicit OrgSnapshot(std::vector<Unit> units);

  const Unit* Find(std::string_view id) const;
  size_t size() const { return units_.size(); }
  const std::vector<Unit>& units() const { return units_; }

  // Every unit that was ever below `id` at any time (direct children), sorted by id.
  const std::vector<std::string>& ChildrenEver(std::string_view id) const;

  // The chain from `id` up to the root on `day`, starting with `id` itself.
  std::vector<std::string> AncestryOn(std::string_view id, const Date& day) const;

  // True when `ancestor` is `id` or above it on any day (used for access checks).
  bool IsInSubtreeEver(std::string_view ancestor, std::string_view id) const;

  // Agents below (or equal to) `id`, ever, sorted by id.
  std::vector<std::string> AgentsBelowEver(std::string_view id) const;

  // The number of days in [first, last] on which agent `agent_id` is active and sits below
  // `ancestor_id` (or is it).
  int ActiveDaysBelow(const Unit& agent, std::string_view ancestor_id, const Date& first,
                      const Date& last) const;

 private:
  std::vector<Unit> units_;  // sorted by id
  std::unordered_map<std::string, size_t> index_;
  std::unordered_map<std::string, std::vector<std::string>> children_ever_;
};

}  // namespace okr

#endif  // OKR_SERVICES_DOMAIN_ORG_H_
