#include "services/core/history.h"

#include <deque>

#include "services/core/access_policy.h"
#include "store/codecs.h"

namespace okr {
namespace {

bool Related(const OrgSnapshot& org, const std::string& unit, const std::string& entry_unit) {
  if (entry_unit.empty()) return false;
  return org.IsInSubtreeEver(unit, entry_unit) || org.IsInSubtreeEver(entry_unit, unit);
}

}  // namespace

absl::StatusOr<std::vector<AuditEntry>> QueryHistory(ServerState& state, const Caller& caller,
                                                     const HistoryQuery& query) {
  const std::string& unit = query.unit_id;
  const std::string scope = ScopeUnit(caller, "");
  auto org = state.org();
  if (!unit.empty() && org->Find(unit) == nullptr) {
    return absl::NotFoundError("no unit '" + unit + "'");
  }
  std::deque<store::AuditRecord> kept;  // the newest `limit` entries
  absl::Status scanned =
      state.db().Scan(store::Cf::kAudit, "", [&](std::string_view, std::string_view value) {
        store::AuditRecord record;
        if (!record.ParseFromArray(value.data(), static_cast<int>(value.size()))) return true;
        if (record.at_unix_micros() < query.since_unix_micros ||
            record.at_unix_micros() > query.until_unix_micros) {
          return true;
        }
        if (!query.metric_id.empty() && record.metric_id() != query.metric_id) return true;
        if (!query.actor.empty() && record.actor().find(query.actor) == std::string::npos) {
          return true;
        }
        if (!unit.empty() && !Related(*org, unit, record.unit_id())) return true;
        if (!scope.empty() && !org->IsInSubtreeEver(scope, record.unit_id())) return true;
        kept.push_back(std::move(record));
        if (kept.size() > query.limit) kept.pop_front();
        return true;
      });
  if (!scanned.ok()) return scanned;
  std::vector<AuditEntry> entries;
  entries.reserve(kept.size());
  for (const store::AuditRecord& record : kept) {
    entries.push_back(AuditEntry{record.seq(), record.at_unix_micros(), record.actor(),
                                 record.action(), record.unit_id(), record.metric_id(),
                                 record.reason(), record.before_json(), record.after_json(),
                                 record.plan_version()});
  }
  return entries;
}

}  // namespace okr
