#include "services/core/history_index.h"

#include "services/core/log.h"
#include "store/keys.h"

namespace okr {
namespace {

constexpr std::string_view kHistoryIndexDone = "v";

store::KeyBuilder UnitPrefixBuilder(std::string_view unit, std::string_view metric) {
  store::KeyBuilder key;
  if (metric.empty()) {
    key.Byte('u').Str(unit);
  } else {
    key.Byte('x').Str(unit).Str(metric);
  }
  return key;
}

}  // namespace

void IndexAuditEntry(store::Batch& batch, const store::AuditRecord& record) {
  const std::string& unit = record.unit_id();
  const std::string& metric = record.metric_id();
  if (!unit.empty()) {
    batch.Put(store::Cf::kAuditIndex, UnitPrefixBuilder(unit, "").I64(record.seq()).Release(), "");
  }
  if (!metric.empty()) {
    batch.Put(store::Cf::kAuditIndex,
              store::KeyBuilder().Byte('m').Str(metric).I64(record.seq()).Release(), "");
  }
  if (!unit.empty() && !metric.empty()) {
    batch.Put(store::Cf::kAuditIndex, UnitPrefixBuilder(unit, metric).I64(record.seq()).Release(),
              "");
  }
}

absl::StatusOr<bool> HistoryIndexComplete(const store::Db& db) {
  auto done = db.Get(store::Cf::kAuditIndex, kHistoryIndexDone);
  if (!done.ok()) return done.status();
  return done->has_value();
}

absl::Status BuildHistoryIndex(store::Db& db) {
  auto complete = HistoryIndexComplete(db);
  if (!complete.ok()) return complete.status();
  if (*complete) return absl::OkStatus();
  constexpr size_t kEntriesPerBatch = 10000;
  store::Batch batch = db.NewBatch();
  size_t entries = 0;
  absl::Status written;
  absl::Status scanned = db.Scan(store::Cf::kAudit, "", [&](std::string_view, std::string_view v) {
    store::AuditRecord record;
    if (!record.ParseFromArray(v.data(), static_cast<int>(v.size()))) return true;
    IndexAuditEntry(batch, record);
    if (++entries % kEntriesPerBatch == 0) {
      written = db.Commit(batch);
      batch = db.NewBatch();
    }
    return written.ok();
  });
  if (!scanned.ok()) return scanned;
  if (!written.ok()) return written;
  batch.Put(store::Cf::kAuditIndex, kHistoryIndexDone, "1");
  if (absl::Status s = db.Commit(batch); !s.ok()) return s;
  if (entries > 0) {
    Log(LogLevel::kInfo, "history.indexed", {{"entries", entries}});
  }
  return absl::OkStatus();
}

IndexRange AuditUnitRange(std::string_view unit, std::string_view metric) {
  return IndexRange{store::Cf::kAuditIndex, UnitPrefixBuilder(unit, metric).Release()};
}

IndexRange AuditMetricRange(std::string_view metric) {
  return IndexRange{store::Cf::kAuditIndex, store::KeyBuilder().Byte('m').Str(metric).Release()};
}

IndexRange AuditRange() { return IndexRange{store::Cf::kAudit, ""}; }

std::optional<std::string> HistoryIndexKeyProblem(std::string_view key) {
  if (key == kHistoryIndexDone) return std::nullopt;
  store::KeyReader r(key);
  std::optional<char> kind = r.Byte();
  bool ok = false;
  if (kind == 'u' || kind == 'm') {
    ok = r.Str() && r.I64() && r.done();
  } else if (kind == 'x') {
    ok = r.Str() && r.Str() && r.I64() && r.done();
  }
  if (ok) return std::nullopt;
  return "not a history index key ('u', unit, seq), ('m', metric, seq) or ('x', unit, metric, "
         "seq)";
}

}  // namespace okr
