// The audit history: every change with who, when, what, why, before and after.
#ifndef OKR_SERVICES_CORE_HISTORY_H_
#define OKR_SERVICES_CORE_HISTORY_H_

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/core/history_budget.h"
#include "services/core/server_state.h"

namespace okr {

inline constexpr size_t kDefaultHistoryLimit = 1000;

struct HistoryQuery {
  std::string unit_id;    // empty: any
  std::string metric_id;  // empty: any
  std::string actor;      // a part of the actor; empty: any
  // The entries made within [since, until], both included.
  int64_t since_unix_micros = std::numeric_limits<int64_t>::min();
  int64_t until_unix_micros = std::numeric_limits<int64_t>::max();
  size_t limit = kDefaultHistoryLimit;  // the newest this many are kept
  // A page also ends before the entry that would take its reply past this many bytes; an
  // entry larger on its own is cut (history_budget.h).
  size_t max_bytes = kMaxHistoryPageBytes;
  // A page after the first: the entries older than this cursor (HistoryPage::next_cursor).
  std::string before_cursor;
};

struct AuditEntry {
  int64_t seq = 0;
  int64_t at_unix_micros = 0;
  std::string actor;
  std::string action;
  std::string unit_id;
  std::string metric_id;
  std::string reason;
  std::string before_json;
  std::string after_json;
  int64_t plan_version = 0;
  // Its before/after are too large for a reply and are summaries (SummariseJson).
  bool truncated = false;
};

// A page of history: the newest `limit` entries (older than the cursor), oldest first, or
// fewer when more would not fit in `max_bytes`.
struct HistoryPage {
  std::vector<AuditEntry> entries;
  // Where the next (older) page starts; empty when no older entry matches.
  std::string next_cursor;
};

// With a unit, the entries about the unit, its subtree or its ancestors (a cascade above a
// unit changes its plan too); `scope` (a lead's or agent's unit) limits them to what the
// caller may see. Pages run back in time: the first is the newest entries, and the next
// page holds the entries before them. A unit or metric reads the history index
// (history_index.h), newest first, and stops once the page is full.
absl::StatusOr<HistoryPage> QueryHistory(ServerState& state, const Caller& caller,
                                         const HistoryQuery& query);

}  // namespace okr

#endif  // OKR_SERVICES_CORE_HISTORY_H_
