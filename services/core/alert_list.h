// ListAlerts: a page of the alerts a caller may read, in id order, at or below a unit and of
// a status, read from the alert index (alert_index.h).
#ifndef OKR_SERVICES_CORE_ALERT_LIST_H_
#define OKR_SERVICES_CORE_ALERT_LIST_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/core/paging.h"
#include "services/core/server_state.h"
#include "store/records.pb.h"

namespace okr {

struct AlertQuery {
  std::string unit_id;  // at or below it (ever); empty: the caller's scope
  int status = 0;       // AlertStatus; 0: any
  PageRequest page;     // cursors: AlertOrder
};

struct AlertPage {
  std::vector<store::AlertRecord> alerts;  // in id order (AlertIdLess)
  std::string next_cursor;                 // empty on the last page
};

absl::StatusOr<AlertPage> ListAlertsPage(ServerState& state, const Caller& caller,
                                         const AlertQuery& query);

}  // namespace okr

#endif  // OKR_SERVICES_CORE_ALERT_LIST_H_
