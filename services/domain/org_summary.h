// What an org import leaves behind, per group: how many agents and how much FTE, so that a
// director can check an HR export against the headcount she expects (`okrctl org import`).
#ifndef OKR_SERVICES_DOMAIN_ORG_SUMMARY_H_
#define OKR_SERVICES_DOMAIN_ORG_SUMMARY_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/types/span.h"
#include "services/domain/calendar.h"
#include "services/domain/org.h"

namespace okr {

struct GroupHeadcount {
  std::string unit_id;
  std::string name;
  int agents = 0;
  // The agents' FTE summed in millionths, so that ten agents of 0.1 make exactly 1.
  int64_t fte_micros = 0;
};

// Every unit of kind group, and every other unit with an agent directly below it, on `day`:
// the agents directly below it that are active on `day` (joiners who have not started and
// leavers who have gone are not counted) and their FTE. Sorted by unit id. A group with
// subgroups counts only its own agents: each agent is counted once, under its parent.
std::vector<GroupHeadcount> SummarizeGroups(const OrgSnapshot& org, const Date& day);

// `org` with `changed` units put in place of the stored ones with the same id (or added).
OrgSnapshot WithUnits(const OrgSnapshot& org, absl::Span<const Unit> changed);

}  // namespace okr

#endif  // OKR_SERVICES_DOMAIN_ORG_SUMMARY_H_
