// The alert_index family: alerts in id order (A2 before A10, AlertIdLess), for ListAlerts to
// read a page, by status or by unit, without loading every alert:
//   ('n', order) | ('s', status, order) | ('u', unit, order) -> ""
// where order = (alert number, alert id) (ids of another shape last, as text); ('v') -> "1"
// once every alert has its keys. Every write of an alert record goes through PutAlert, which
// writes the record and its keys in one batch; a database written before the index gets its
// keys at start (BuildAlertIndex), and until then ListAlerts reads every alert.
#ifndef OKR_SERVICES_CORE_ALERT_INDEX_H_
#define OKR_SERVICES_CORE_ALERT_INDEX_H_

#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "services/core/index_merge.h"
#include "store/db.h"
#include "store/records.pb.h"

namespace okr {

// Writes `alert` at its key in the alerts family, and its index keys (those of the statuses
// it no longer has are deleted).
void PutAlert(store::Batch& batch, const store::AlertRecord& alert);

// The position of an alert in the index ranges, in list order.
std::string AlertOrder(std::string_view alert_id);
// The alert id at a position; empty when it is not one.
std::string AlertIdAt(std::string_view position);

IndexRange AllAlertsRange();
IndexRange AlertStatusRange(int status);
IndexRange AlertUnitRange(std::string_view unit);

// True when every alert has its index keys.
absl::StatusOr<bool> AlertIndexComplete(const store::Db& db);
// Writes the keys of every alert, then 'v'; at once when 'v' is there. At start, before serving.
absl::Status BuildAlertIndex(store::Db& db);

// What an alert index key is (verify.cc): nullopt when it is one.
std::optional<std::string> AlertIndexKeyProblem(std::string_view key);

}  // namespace okr

#endif  // OKR_SERVICES_CORE_ALERT_INDEX_H_
