// The org and metric operations: import, move, deactivate, define a metric, and the subtree
// query. They take and return domain types; services/api/org_service.cc and
// metric_service.cc convert to and from okr.v1.
//
// Every change to units goes through CommitUnits, which re-rolls the actuals whose agent now
// sits elsewhere on their day, in the change's own batch (PRODUCT.md "Roll-up").
#ifndef OKR_SERVICES_CORE_ORG_OPS_H_
#define OKR_SERVICES_CORE_ORG_OPS_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "services/core/access_policy.h"
#include "services/core/command_log.h"
#include "services/core/csv_upload.h"
#include "services/core/paging.h"
#include "services/core/parsed_field.h"
#include "services/core/server_state.h"
#include "services/domain/calendar.h"
#include "services/domain/metric.h"
#include "services/domain/org.h"
#include "services/domain/org_summary.h"
#include "store/records.pb.h"

namespace okr {

// What an org import did, or would do on a dry run. With any error nothing is stored.
struct OrgImportResult {
  int created = 0;
  int updated = 0;
  int unchanged = 0;
  int rejected = 0;
  std::vector<std::string> errors;    // "line 7: ..." (services/domain/org_import.h)
  std::vector<std::string> warnings;  // the CSV header's ignored columns
  // The org as the import leaves it, on the server's today; empty when rejected.
  Date groups_as_of;
  std::vector<GroupHeadcount> groups;
};
absl::StatusOr<OrgImportResult> ImportOrg(ServerState& state, const Caller& caller,
                                          const CsvUpload& upload);

// The unit `unit_id`: InvalidArgument when empty, NotFound when there is none.
absl::StatusOr<Unit> GetUnit(ServerState& state, std::string_view unit_id);

// The tree below `unit_id` (within the caller's scope when empty: every root for the
// company-wide), as it stands on `as_of`, depth-first with children by id; `depth` 0 is
// unlimited.
struct SubtreeQuery {
  std::string unit_id;
  Date as_of;
  int depth = 0;
  PageRequest page;
};
struct TreeEntry {
  Unit unit;
  int depth = 0;
  bool active = true;  // an agent employed on as_of; other units always
};
struct SubtreePage {
  std::vector<TreeEntry> entries;
  std::string next_cursor;  // empty on the last page
};
// One page of the tree below `query.unit_id` (every root when empty) as it stands on `as_of`:
// depth first, children by id. A page's cursor is the path of ids from the listed root down
// to its last unit, joined by kSubtreeCursorSeparator: every id character sorts above it, so
// the paths sort in exactly the listing's order, and the next page starts after the cursor
// without listing the units before it again.
inline constexpr char kSubtreeCursorSeparator = ' ';
absl::StatusOr<SubtreePage> ListSubtree(ServerState& state, const Caller& caller,
                                        const SubtreeQuery& query);

// Moves a unit below another from a day on (a later move on the same day replaces it).
// The day comes parsed from the edge; its error is reported after the units' (parsed_field.h).
struct UnitMove {
  std::string unit_id;
  std::string new_parent_id;
  Parsed<Date> effective;
  std::string reason;
};
absl::StatusOr<Unit> MoveUnit(ServerState& state, const Caller& caller, const UnitMove& move);

// Ends a unit on `end_date`, or deactivates it outright when there is none.
struct UnitEnd {
  std::string unit_id;
  Parsed<std::optional<Date>> end_date;
  std::string reason;
};
absl::StatusOr<Unit> DeactivateUnit(ServerState& state, const Caller& caller, const UnitEnd& end);

// Defines a metric or updates one (its kind never changes).
absl::StatusOr<Metric> DefineMetric(ServerState& state, const Caller& caller, const Metric& metric);

// Writes `changed` units and their audit entry in one batch, then publishes the new org: the
// logged command of every change to units (a CommitUnitsCommand by `caller`). The caller holds
// state.org_mu.
absl::Status CommitUnits(ServerState& state, const std::vector<Unit>& changed,
                         store::AuditRecord audit, const Caller& caller = {});

// The changes of the org commands (services/core/apply.h).
absl::Status ApplyCommitUnits(ServerState& state, const store::Command& command, Applied& applied);
absl::Status ApplyDefineMetric(ServerState& state, const store::Command& command, Applied& applied);

}  // namespace okr

#endif  // OKR_SERVICES_CORE_ORG_OPS_H_
