// Roll-ups as derived state: the events family is the truth, and every unit's day and month
// aggregates follow from it.
//
// A command that changes roll-ups (an ingested chunk, a deleted event, an org change that
// moves events) does not merge them into the rollups family key by key. Its deltas, summed
// per key (services/core/rollup_deltas.h), are written as one value to the rollup_journal
// family in the command's own batch, and kept in memory as one immutable segment. Every few
// hundred milliseconds a checkpoint folds the segments written since the last one into the
// rollups family, in one batch that also records the last command it holds (meta
// "rollups_checkpoint") and deletes those journal entries. So a command's deltas are in the
// rollups family or in the journal, never both and never neither, whenever the process dies:
// at start (also after kill -9) Load() reads the journal after the checkpoint back into
// segments, and nothing acknowledged is lost or counted twice.
//
// The saving: an ingested event costs its record and a share of one journal value on the
// acknowledged path, not eight memtable inserts; the checkpoint writes each key once for all
// the events of its interval, off that path.
//
// Reads add the segments to the rollups family. A RollupSnapshot fixes both at one point: a
// store::ReadSnapshot of the database, and the segments after the checkpoint that snapshot
// holds, so that a read of several keys is torn neither by a command nor by a checkpoint.
#ifndef OKR_SERVICES_CORE_ROLLUP_STORE_H_
#define OKR_SERVICES_CORE_ROLLUP_STORE_H_

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "services/core/command_log.h"
#include "services/core/rollup_deltas.h"
#include "store/db.h"
#include "store/rollup.h"

namespace okr {

// One command's roll-up deltas, in key order, none zero.
struct RollupSegment {
  uint64_t seq = 0;
  std::vector<std::pair<std::string, store::RollupValue>> deltas;
};

// Called with each roll-up key in a range, in key order, and its value; returns false to stop.
using RollupVisitor = std::function<bool(std::string_view key, const store::RollupValue& value)>;

class RollupStore {
 public:
  explicit RollupStore(store::Db* db) : db_(db) {}

  // Reads the journal after the checkpoint back into memory. Call once, before the first
  // command and the first read.
  absl::Status Load();

  // Inside the Apply of command `seq`: writes `deltas` to the journal in `applied`'s batch,
  // and adds them to what reads see once that batch is written. Call it before queueing
  // anything in `applied.after_write` that reads roll-ups (the watches).
  void Record(uint64_t seq, RollupDeltas deltas, Applied& applied);

  // Every key in [begin, end) whose value (stored plus pending) is not zero: at this thread's
  // RollupSnapshot when one is in force, else at a point in time taken now. Reading inside a
  // plain store::ReadSnapshot is a bug (its point in time is not the roll-ups'): Internal.
  absl::Status ScanRange(std::string_view begin, std::string_view end,
                         const RollupVisitor& fn) const;

  // Folds every segment recorded so far into the rollups family (one unsynced batch: the
  // next synced write, or the WAL flush at a clean stop, makes it durable; a lost checkpoint
  // leaves its journal entries, which Load() reads again). OK at once when none is pending.
  absl::Status Checkpoint();

  // The last command the rollups family holds, and how many commands' deltas wait.
  uint64_t checkpoint_seq() const;
  size_t pending_segments() const;

  // Test only: each checkpoint sleeps this long after building its batch and again after
  // writing it, and logs each pause, so that a crash test can kill okrd inside one (okrd
  // --test-checkpoint-delay-ms).
  void set_test_checkpoint_delay(std::chrono::milliseconds delay) { test_delay_ = delay; }

 private:
  friend class RollupSnapshot;

  // With a test delay: logs rollups.checkpoint_test_pause (the phase) and sleeps.
  void TestPause(std::string_view phase, uint64_t seq) const;

  store::Db* db_;
  std::chrono::milliseconds test_delay_{0};

  mutable std::mutex mu_;
  // The segments after the checkpoint, in sequence order (under mu_). Immutable once added:
  // a snapshot shares the ones it needs, so a checkpoint may drop them meanwhile.
  std::deque<std::shared_ptr<const RollupSegment>> segments_;
  uint64_t checkpoint_seq_ = 0;  // under mu_

  std::mutex checkpoint_mu_;  // one checkpoint at a time
};

// A point in time of the roll-ups and, like the store::ReadSnapshot it holds, of every read
// this thread makes of the database while it is alive. Nests like one: an inner snapshot of the
// same store keeps the outer one's point in time. Take it where a store::ReadSnapshot would
// be taken around reads that include roll-ups (progress, explain, closes, red-lines).
class RollupSnapshot {
 public:
  explicit RollupSnapshot(const RollupStore& store);
  ~RollupSnapshot();
  RollupSnapshot(const RollupSnapshot&) = delete;
  RollupSnapshot& operator=(const RollupSnapshot&) = delete;

  // Every key in [begin, end) with its value at this point in time, in key order; keys whose
  // value is zero are skipped.
  absl::Status ScanRange(std::string_view begin, std::string_view end,
                         const RollupVisitor& fn) const;

 private:
  friend class RollupStore;

  const RollupStore& store_;
  const RollupSnapshot* outer_ = nullptr;  // this thread's view before this one
  bool nested_ = false;                    // an outer view of the same store is in force
  std::optional<store::ReadSnapshot> snapshot_;
  absl::Status status_;  // why the point in time could not be read, if it could not
  std::vector<std::shared_ptr<const RollupSegment>> segments_;
};

// The deltas after the checkpoint that a database's journal holds, summed per key: what a
// reader of the rollups family of a closed database (okrd --verify) must add.
absl::StatusOr<std::map<std::string, store::RollupValue>> JournalAfterCheckpoint(
    const store::Db& db);

}  // namespace okr

#endif  // OKR_SERVICES_CORE_ROLLUP_STORE_H_
