// Whether the database takes writes, and the one mapping of a failed or refused write to a
// status.
//
// RocksDB stops taking writes when a write or a flush fails (a full disk, an I/O error): it keeps
// a "background error", fails every later write with it and goes on serving reads. WriteGuard
// listens for those errors (it is a RocksDB EventListener of the Db) and keeps the state okrd
// reports: refused or not, and whether for a full disk. RocksDB would resume from a full disk by
// itself only once a whole write buffer (64 MiB) is free; WriteGuard turns that off, and
// Db::RetryWrites resumes as soon as the disk has room for what the memtables hold.
#ifndef OKR_STORE_WRITE_GUARD_H_
#define OKR_STORE_WRITE_GUARD_H_

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string_view>

#include "absl/status/status.h"
#include "rocksdb/listener.h"
#include "rocksdb/status.h"

namespace okr::store {

// What a write refused for a full disk answers: no file path (clients read it), what to do.
inline constexpr char kDiskFullMessage[] =
    "the data folder's disk is full: okrd refuses writes until space is freed (reads go on)";
// What a write refused after another storage error answers; the error itself is in okrd's log.
inline constexpr char kStorageErrorMessage[] =
    "the database refuses writes after a storage error (see okrd's log); okrd retries every "
    "few seconds, and a restart retries at once";

// The status of a write that RocksDB failed or refused: RESOURCE_EXHAUSTED (kDiskFullMessage)
// for a full disk, UNAVAILABLE (kStorageErrorMessage) for another I/O error, INTERNAL for the
// rest. RocksDB's own message, which names files, is never passed on.
absl::Status WriteError(const rocksdb::Status& status);

class WriteGuard final : public rocksdb::EventListener {
 public:
  // OK while writes are taken; else what a write gets (WriteError of the error that stopped
  // them).
  absl::Status Refusal() const;
  bool refused() const { return refused_.load(std::memory_order_acquire); }
  bool disk_full() const;
  // Background errors RocksDB reported since the database opened: failed writes, flushes and
  // compactions, including those that did not stop writes.
  uint64_t errors() const { return errors_.load(std::memory_order_relaxed); }

  // A write failed with `status` (an I/O error stops RocksDB's writes: they are refused from
  // now on, even before RocksDB's listener call is seen).
  void WriteFailed(const rocksdb::Status& status);
  // RocksDB resumed writes (DB::Resume succeeded).
  void Resumed();

  // rocksdb::EventListener. RocksDB calls these on its threads, some with its mutex held: they
  // only set fields.
  void OnErrorRecoveryBegin(rocksdb::BackgroundErrorReason reason, rocksdb::Status error,
                            bool* auto_recovery) override;
  void OnBackgroundError(rocksdb::BackgroundErrorReason reason, rocksdb::Status* error) override;
  void OnErrorRecoveryEnd(const rocksdb::BackgroundErrorRecoveryInfo& info) override;

 private:
  void Refuse(const rocksdb::Status& error);

  mutable std::mutex mu_;
  bool disk_full_ = false;  // under mu_: why writes are refused
  std::atomic<bool> refused_{false};
  std::atomic<uint64_t> errors_{0};
};

}  // namespace okr::store

#endif  // OKR_STORE_WRITE_GUARD_H_
