// Order-preserving key encoding: the one place that says how keys are laid out.
//
// A key is a sequence of components; the byte order of encoded keys equals the
// lexicographic order of their component tuples, so RocksDB range scans walk keys in
// tuple order and a prefix of components is a scan prefix.
//
//   string  bytes with 0x00 escaped as 0x00 0xFF, then the terminator 0x00 0x01. The
//           terminator sorts below every escaped or plain byte, so "a" < "a\0" < "ab".
//   int64   8 bytes big-endian with the sign bit flipped, so negatives sort first.
//   int32   4 bytes likewise.
//
// Keys per column family (see column_families.h):
//   units      (unit_id)                       -> UnitRecord
//   metrics    (metric_id)                     -> MetricRecord
//   targets    (metric_id, year, unit_id)      -> TargetRecord
//   plans      (metric_id, year, unit_id)      -> PlanRecord (12 months in one value)
//   holds      (metric_id, year, unit_id, month 0..12) -> HoldRecord
//   events     (event_id)                      -> EventRecord
//   rollups    (unit_id, metric_id, 'd'|'m', yyyymmdd | yyyymm) -> RollupValue (merge)
//   audit      (seq)                           -> AuditRecord
//   tokens     (sha256(token))                 -> TokenRecord
//   proposals  (proposal_id)                   -> ProposalRecord
//   commands   (seq)                           -> Command (core/command_log.h)
//   audit_index ('u' unit | 'm' metric | 'x' unit, metric; seq) -> "" (core/history_index.h)
//   alert_index ('n' | 's', status | 'u', unit; then alert order) -> "" (alert_index.h)
//   rollup_journal (seq)                       -> RollupJournalEntry (core/rollup_store.h)
//   meta       ("schema_version" | "applied" | "rollups_checkpoint" | "counter/<name>") -> varies
#ifndef OKR_STORE_KEYS_H_
#define OKR_STORE_KEYS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace okr::store {

class KeyBuilder {
 public:
  KeyBuilder& Str(std::string_view s);
  KeyBuilder& I64(int64_t v);
  KeyBuilder& I32(int32_t v);
  KeyBuilder& Byte(char c);
  const std::string& key() const { return key_; }
  std::string Release() { return std::move(key_); }

 private:
  std::string key_;
};

// Reads components back in the order they were written; each returns nullopt on malformed
// input (keys from disk are trusted, but the fuzzer feeds anything).
class KeyReader {
 public:
  explicit KeyReader(std::string_view key) : rest_(key) {}
  std::optional<std::string> Str();
  std::optional<int64_t> I64();
  std::optional<int32_t> I32();
  std::optional<char> Byte();
  bool done() const { return rest_.empty(); }

 private:
  std::string_view rest_;
};

// The smallest key greater than every key starting with `prefix` (for upper bounds).
std::string PrefixSuccessor(std::string prefix);

}  // namespace okr::store

#endif  // OKR_STORE_KEYS_H_
