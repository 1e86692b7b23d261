// The index of the audit history by unit and metric (audit_index family), so that History
// about a unit or a metric reads that unit's or metric's entries, not the whole history:
//   ('u', unit, seq), ('m', metric, seq) and ('x', unit, metric, seq) -> "" for every entry
//   with that unit or metric; ('v') -> "1" once the index covers every entry.
// ServerState::Audit writes an entry's keys in the batch of the entry itself. A database
// written before the index existed has entries without keys and no 'v': okrd builds the
// index at start (BuildHistoryIndex) and, until then, History reads the whole family.
#ifndef OKR_SERVICES_CORE_HISTORY_INDEX_H_
#define OKR_SERVICES_CORE_HISTORY_INDEX_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "services/core/index_merge.h"
#include "store/db.h"
#include "store/records.pb.h"

namespace okr {

// Adds the index keys of `record` (its seq set) to `batch`.
void IndexAuditEntry(store::Batch& batch, const store::AuditRecord& record);

// True when the index covers every audit entry.
absl::StatusOr<bool> HistoryIndexComplete(const store::Db& db);

// Writes the keys of every audit entry, then 'v'; at once when 'v' is there already. At start,
// before serving.
absl::Status BuildHistoryIndex(store::Db& db);

// The entries about `unit` (and `metric`, when not empty); positions are I64(seq).
IndexRange AuditUnitRange(std::string_view unit, std::string_view metric);
// The entries about `metric`.
IndexRange AuditMetricRange(std::string_view metric);
// Every entry (the audit family itself, whose keys are I64(seq)).
IndexRange AuditRange();

// What a history index key is (verify.cc): nullopt when it is one.
std::optional<std::string> HistoryIndexKeyProblem(std::string_view key);

}  // namespace okr

#endif  // OKR_SERVICES_CORE_HISTORY_INDEX_H_
