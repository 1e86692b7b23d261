// ListPayouts and ListAwards: a page of a month's payouts or awards that a caller may read, in
// key order (unit, plugin, index; outcomes.h). A small subtree is read unit by unit (its keys
// are grouped by unit), a large one by the month's range, filtered.
#ifndef OKR_SERVICES_CORE_OUTCOME_LIST_H_
#define OKR_SERVICES_CORE_OUTCOME_LIST_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/core/paging.h"
#include "services/core/server_state.h"
#include "store/records.pb.h"

namespace okr {

struct OutcomeQuery {
  std::string month;    // YYYY-MM, validated by the caller
  std::string unit_id;  // at or below it (ever); empty: the caller's scope
  PageRequest page;     // cursors: the key after the month's prefix
};

template <typename Record>
struct OutcomePage {
  std::vector<Record> records;
  std::string next_cursor;  // empty on the last page
};

absl::StatusOr<OutcomePage<store::PayoutRecord>> ListPayoutsPage(ServerState& state,
                                                                 const Caller& caller,
                                                                 const OutcomeQuery& query);
absl::StatusOr<OutcomePage<store::AwardRecord>> ListAwardsPage(ServerState& state,
                                                               const Caller& caller,
                                                               const OutcomeQuery& query);

}  // namespace okr

#endif  // OKR_SERVICES_CORE_OUTCOME_LIST_H_
