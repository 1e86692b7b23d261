// The command log: the one door through which every mutation reaches the database.
//
// A mutation is a store::Command (what was asked, by whom, when it was accepted, the ids
// assigned before it ran). Run() applies commands one at a time, in the order of their
// sequence numbers: the apply function reads the state and fills a batch; the batch also
// writes the command itself under its sequence number and the log's new AppliedMark (the
// sequence and a running sha256 of the log), so the database always says exactly which
// commands it holds. Applying the same log to the same starting state writes the same keys
// (services/core/apply.h), which is what lets a replica follow another.
//
// Durability is a group commit: the batch is written to RocksDB (visible at once, in the
// WAL in the OS's cache) while the log's lock is held, which is a memtable insert, and the
// WAL is fsynced after the lock is released, once for every writer that queued meanwhile.
// Run() returns when its batch is durable: an acknowledged command survives a power loss.
#ifndef OKR_SERVICES_CORE_COMMAND_LOG_H_
#define OKR_SERVICES_CORE_COMMAND_LOG_H_

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "store/db.h"
#include "store/records.pb.h"

namespace okr {

// What applying one command produced: the changes, and what to do in memory once they are
// written (caches, watches), which a failed write must not do.
struct Applied {
  explicit Applied(store::Batch batch) : batch(std::move(batch)) {}
  store::Batch batch;
  std::vector<std::function<void()>> after_write;
};

class CommandLog {
 public:
  // Fills `applied` from the state and the command, or fails, writing nothing. Runs under
  // the log's lock: it must not take a lock that is held while Run is called.
  using ApplyFn = std::function<absl::Status(const store::Command&, Applied&)>;

  explicit CommandLog(store::Db* db) : db_(db) {}

  // What the state stages in memory while a command applies (counters and the audit sequence,
  // ServerState): `commit` makes it current once the command's batch is written, before the
  // after_write closures; `discard` drops it when the apply fails, writes nothing or the
  // write fails, so memory never runs ahead of the database. Set once, before the first Run.
  struct Staging {
    std::function<void()> commit;
    std::function<void()> discard;
  };
  void set_staging(Staging staging) { staging_ = std::move(staging); }

  // Reads the AppliedMark. Call once, before the first Run.
  absl::Status Load();

  // Applies `command` with `apply` and writes its changes, the command and the new mark in
  // one batch; returns once that batch is durable. A command that changes nothing is not
  // logged (and returns once everything before it is durable, since it may have read it). A
  // command that carries a sequence number (a log being replayed) must be the next one.
  absl::Status Run(store::Command command, const ApplyFn& apply);

  // Run in two halves, for a caller that holds a lock of its own around the command: Append
  // returns once the batch is written (visible to reads, not yet durable) with the sequence
  // to wait for; WaitDurable, called after the caller's lock is released, returns once it is
  // durable, so that writers queued behind that lock share the fsync. Nothing may be
  // acknowledged before WaitDurable returns.
  absl::StatusOr<uint64_t> Append(store::Command command, const ApplyFn& apply);
  // Blocks until every write up to `seq` is durable: the first waiter syncs the WAL for all.
  absl::Status WaitDurable(uint64_t seq);

  // The last applied sequence number and the running hash after it.
  store::AppliedMark mark() const;

  // Every logged command after `after_seq`, in order, until fn returns false.
  absl::Status ForEach(uint64_t after_seq,
                       const std::function<bool(const store::Command&)>& fn) const;

 private:
  store::Db* db_;
  Staging staging_;

  mutable std::mutex apply_mu_;  // one command applied at a time, in sequence order
  store::AppliedMark mark_;      // under apply_mu_

  std::mutex sync_mu_;
  std::condition_variable synced_cv_;
  uint64_t written_ = 0;  // the last sequence written to RocksDB, under sync_mu_
  uint64_t synced_ = 0;   // the last sequence known durable, under sync_mu_
  bool syncing_ = false;  // a waiter is syncing the WAL, under sync_mu_
};

// The running hash after `command_bytes`: sha256(previous || command_bytes).
std::string NextLogHash(const std::string& previous, const std::string& command_bytes);

}  // namespace okr

#endif  // OKR_SERVICES_CORE_COMMAND_LOG_H_
