#include "services/core/history.h"

#include <algorithm>

#include "services/core/access_policy.h"
#include "services/core/history_budget.h"
#include "services/core/history_index.h"
#include "services/core/index_merge.h"
#include "store/codecs.h"

namespace okr {
namespace {

bool Related(const OrgSnapshot& org, const std::string& unit, const std::string& entry_unit) {
  if (entry_unit.empty()) return false;
  return org.IsInSubtreeEver(unit, entry_unit) || org.IsInSubtreeEver(entry_unit, unit);
}

// Audit entries read per MultiGet.
constexpr size_t kHistoryChunk = 128;

// The ranges that hold the query's entries, newest first, and which of its filters they apply
// already.
struct HistoryRanges {
  std::vector<IndexRange> ranges;
  bool unit_applied = false;
  bool metric_applied = false;
};

absl::StatusOr<HistoryRanges> RangesOf(ServerState& state, const OrgSnapshot& org,
                                       const HistoryQuery& query) {
  HistoryRanges out;
  auto indexed = HistoryIndexComplete(state.db());
  if (!indexed.ok()) return indexed.status();
  if (*indexed && !query.unit_id.empty()) {
    // Related units: the unit, every unit ever below it and every unit it was ever below.
    if (auto related = UnitsBelowEver(org, query.unit_id, kMaxMergedRanges)) {
      for (std::string& above : UnitsAboveEver(org, query.unit_id)) {
        related->push_back(std::move(above));
      }
      if (related->size() <= kMaxMergedRanges) {
        for (const std::string& unit : *related) {
          out.ranges.push_back(AuditUnitRange(unit, query.metric_id));
        }
        out.unit_applied = true;
        out.metric_applied = true;
        return out;
      }
    }
  }
  if (*indexed && !query.metric_id.empty()) {
    out.ranges.push_back(AuditMetricRange(query.metric_id));
    out.metric_applied = true;
    return out;
  }
  out.ranges.push_back(AuditRange());
  return out;
}

}  // namespace

absl::StatusOr<HistoryPage> QueryHistory(ServerState& state, const Caller& caller,
                                         const HistoryQuery& query) {
  const std::string& unit = query.unit_id;
  const std::string scope = ScopeUnit(caller, "");
  auto org = state.org();
  if (!unit.empty() && org->Find(unit) == nullptr) {
    return absl::NotFoundError("no unit '" + unit + "'");
  }
  store::ReadSnapshot snapshot(state.db());
  auto ranges = RangesOf(state, *org, query);
  if (!ranges.ok()) return ranges.status();
  // Every position is an audit key, I64(seq), in the audit family and in the index alike.
  IndexMerge newest_first(state.db(), ranges->ranges, query.before_cursor, /*descending=*/true);
  auto matches = [&](const store::AuditRecord& record) {
    if (record.at_unix_micros() < query.since_unix_micros ||
        record.at_unix_micros() > query.until_unix_micros) {
      return false;
    }
    if (!ranges->metric_applied && !query.metric_id.empty() &&
        record.metric_id() != query.metric_id) {
      return false;
    }
    if (!query.actor.empty() && record.actor().find(query.actor) == std::string::npos) {
      return false;
    }
    if (!ranges->unit_applied && !unit.empty() && !Related(*org, unit, record.unit_id())) {
      return false;
    }
    return scope.empty() || org->IsInSubtreeEver(scope, record.unit_id());
  };
  // The page ends at `limit` entries, or before the entry that would take it past
  // `max_bytes` (history_budget.h); `more` says an older matching entry did not fit.
  std::vector<store::AuditRecord> kept;  // newest first
  std::vector<bool> cut;                 // whether kept[i] was cut to fit
  size_t bytes = 0;
  bool more = false;
  bool read_all = false;
  while (!more && !read_all) {
    std::vector<std::string> keys;
    while (keys.size() < kHistoryChunk) {
      auto next = newest_first.Next();
      if (!next.ok()) return next.status();
      if (!next->has_value()) {
        read_all = true;
        break;
      }
      keys.push_back(**std::move(next));
    }
    if (keys.empty()) break;
    auto values = state.db().MultiGet(store::Cf::kAudit, keys);
    if (!values.ok()) return values.status();
    for (const std::optional<std::string>& value : *values) {
      if (!value) continue;
      store::AuditRecord record;
      if (!record.ParseFromString(*value)) continue;
      if (!matches(record)) continue;
      if (kept.size() == query.limit) {
        more = true;
        break;
      }
      const bool was_cut = CutAuditRecord(record);
      const size_t size = AuditReplyBytes(record);
      if (!kept.empty() && bytes + size > query.max_bytes) {
        more = true;
        break;
      }
      bytes += size;
      kept.push_back(std::move(record));
      cut.push_back(was_cut);
    }
  }
  HistoryPage page;
  if (more && !kept.empty()) page.next_cursor = store::AuditKey(kept.back().seq());
  page.entries.reserve(kept.size());
  for (size_t i = kept.size(); i-- > 0;) {
    store::AuditRecord& record = kept[i];
    page.entries.push_back(AuditEntry{
        record.seq(), record.at_unix_micros(), record.actor(), record.action(), record.unit_id(),
        record.metric_id(), record.reason(), std::move(*record.mutable_before_json()),
        std::move(*record.mutable_after_json()), record.plan_version(), cut[i]});
  }
  return page;
}

}  // namespace okr
