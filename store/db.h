// The okrd database: RocksDB with one column family per concern.
//
// Every write goes through Commit(), which writes one WriteBatch (atomic across column
// families) with the WAL on and sync=true: a write that Commit() acknowledged survives a
// crash or power loss. Reads are point gets and prefix scans, of the latest state or, inside a
// ReadSnapshot, of one point in time.
//
// A full disk (or another storage error) stops writes, not reads: Commit() refuses them
// (RESOURCE_EXHAUSTED for a full disk, see store/write_guard.h) until RetryWrites() resumes
// them, which it does once the disk has room again.
#ifndef OKR_STORE_DB_H_
#define OKR_STORE_DB_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "google/protobuf/message_lite.h"
#include "rocksdb/db.h"
#include "rocksdb/write_batch.h"
#include "store/column_families.h"
#include "store/rocks_log.h"
#include "store/write_guard.h"

namespace okr::store {

// The on-disk schema this build reads and writes. Bump on any incompatible change; an older
// folder is upgraded when opened. 2: roll-ups are derived state, part of them only in the
// rollup_journal family (services/core/rollup_store.h), which an okrd of version 1 ignores.
inline constexpr int kSchemaVersion = 2;

// A set of changes committed atomically by Db::Commit.
class Batch {
 public:
  void Put(Cf cf, std::string_view key, std::string_view value);
  void PutProto(Cf cf, std::string_view key, const google::protobuf::MessageLite& value);
  void Merge(Cf cf, std::string_view key, std::string_view value);
  void Delete(Cf cf, std::string_view key);
  // Deletes every key in [begin, end).
  void DeleteRange(Cf cf, std::string_view begin, std::string_view end);
  size_t count() const { return static_cast<size_t>(batch_.Count()); }
  size_t bytes() const { return batch_.GetDataSize(); }

 private:
  friend class Db;
  explicit Batch(const std::vector<rocksdb::ColumnFamilyHandle*>* handles) : handles_(handles) {}
  rocksdb::ColumnFamilyHandle* handle(Cf cf) const { return (*handles_)[static_cast<size_t>(cf)]; }
  const std::vector<rocksdb::ColumnFamilyHandle*>* handles_;
  rocksdb::WriteBatch batch_;
};

// The few RocksDB sizes worth an operator's choice (okrd --block-cache-mb, --write-buffer-mb,
// --max-wal-mb); everything else is set in Db::Open.
struct DbOptions {
  bool sync = true;  // fsync the WAL on every commit (benchmarks may compare)
  // One LRU cache of SST blocks shared by every column family: what reads keep in memory.
  size_t block_cache_bytes = 256 << 20;
  // Each column family's memtable fills to this before it is flushed to an SST file.
  size_t write_buffer_bytes = 64 << 20;
  // When the WAL files reach this, the column families that hold the oldest are flushed so
  // they can be deleted: the bound on WAL disk use and on the replay after kill -9. 0:
  // RocksDB's default (four times the memtables' total).
  uint64_t max_wal_bytes = 256 << 20;
  // Where RocksDB's warnings and errors go (okrd: its log); unset: dropped. RocksDB keeps no
  // LOG file in the data folder (store/rocks_log.h says why).
  RocksLogSink rocksdb_log = nullptr;
};

class ReadSnapshot;

class Db {
 public:
  // Opens (creating if missing) the database in `dir`. Refuses a database written by a newer
  // schema with FailedPrecondition.
  static absl::StatusOr<std::unique_ptr<Db>> Open(const std::string& dir,
                                                  const DbOptions& options = {});
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  Batch NewBatch() const { return Batch(&handles_); }
  // Writes the batch, or refuses it while writes are refused (WriteRefusal); a write that
  // fails is mapped by store::WriteError (no file path in the message).
  absl::Status Commit(Batch& batch) { return Write(batch, options_.sync); }
  // Like Commit, with the WAL synced or not: an unsynced write is visible to reads at once
  // and survives kill -9 (the WAL is in the OS's cache), but not a power loss until SyncWal.
  // The command log writes unsynced and syncs once for a group of writers.
  absl::Status Write(Batch& batch, bool sync);
  // Makes every write made so far durable (fsync of the WAL). OK at once when the database
  // was opened with sync=false.
  absl::Status SyncWal();
  bool syncs() const { return options_.sync; }

  // OK while the database takes writes; else what a write gets now: RESOURCE_EXHAUSTED when
  // the data folder's disk is full, UNAVAILABLE after another storage error.
  absl::Status WriteRefusal() const { return guard_->Refusal(); }
  // While writes are refused: resumes them (RocksDB flushes its memtables first) when the disk
  // has room for what the memtables hold, at most one attempt every few seconds. Returns
  // WriteRefusal() after. Cheap while writes are taken; okrd calls it every second.
  absl::Status RetryWrites();
  // Background errors RocksDB reported since open (failed writes, flushes, compactions).
  uint64_t background_errors() const { return guard_->errors(); }
  // Free bytes for okrd on the filesystem of the database folder.
  absl::StatusOr<uint64_t> FreeDiskBytes() const;

  // nullopt when the key is absent.
  absl::StatusOr<std::optional<std::string>> Get(Cf cf, std::string_view key) const;
  // false when absent; DataLoss when the stored bytes do not parse.
  absl::StatusOr<bool> GetProto(Cf cf, std::string_view key,
                                google::protobuf::MessageLite* out) const;
  // The values of `keys` in one call (RocksDB's MultiGet: one lookup pass, sorted, instead of
  // a Get each); nullopt where a key is absent.
  absl::StatusOr<std::vector<std::optional<std::string>>> MultiGet(
      Cf cf, const std::vector<std::string>& keys) const;
  // Calls fn(key, value) for every key starting with `prefix`, in key order, until fn
  // returns false.
  absl::Status Scan(Cf cf, std::string_view prefix,
                    const std::function<bool(std::string_view, std::string_view)>& fn) const;
  // Like Scan, over [begin, end).
  absl::Status ScanRange(Cf cf, std::string_view begin, std::string_view end,
                         const std::function<bool(std::string_view, std::string_view)>& fn) const;
  // Like ScanRange, from the last key below `end` (empty: the family's last key) down to
  // `begin`: newest first for keys that grow with a sequence number.
  absl::Status ScanRangeReverse(
      Cf cf, std::string_view begin, std::string_view end,
      const std::function<bool(std::string_view, std::string_view)>& fn) const;

  // An online, consistent copy of the database in `dir` (which must not exist).
  absl::Status Checkpoint(const std::string& dir) const;

  // A RocksDB integer property summed over the column families (for /metrics).
  uint64_t IntProperty(std::string_view name) const;
  // A property of what the column families share, read once: the block cache is one cache
  // for all of them, so its usage summed over the families would count it once per family.
  uint64_t SharedIntProperty(std::string_view name) const;
  // The bytes of the write-ahead log files RocksDB still keeps (0 when it cannot list them).
  uint64_t WalBytes() const;

  rocksdb::DB* raw() const { return db_.get(); }

 private:
  friend class ReadSnapshot;
  Db() = default;
  // Writes the schema version into a new folder; refuses a folder whose version is newer,
  // not a version, or missing while the folder holds records.
  absl::Status CheckSchema();
  // True when no column family holds a record.
  absl::StatusOr<bool> Empty() const;
  // The options of a read on this thread: at its ReadSnapshot of this Db, if one is alive.
  rocksdb::ReadOptions ReadOptionsHere() const;

  DbOptions options_;
  std::string dir_;
  std::shared_ptr<WriteGuard> guard_;                  // also one of RocksDB's listeners
  std::mutex resume_mu_;                               // one RetryWrites attempt at a time
  std::chrono::steady_clock::time_point next_resume_;  // under resume_mu_
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
};

// A point-in-time view for a run of reads. While it is alive, every Get, GetProto, Scan and
// ScanRange that the thread which made it makes on `db` reads the database as it was when it
// was made: a batch committed meanwhile is seen by none of those reads, so a read of several
// keys (a plan row, its children, its holds and its version) is never torn by a write. No lock
// is taken; writers go on. Views nest: an inner one on the same thread keeps the outer one's
// point in time. It must end on the thread that made it, and reads made to decide a write
// (read-modify-write under a writer lock) must not run inside one.
class ReadSnapshot {
 public:
  explicit ReadSnapshot(const Db& db);
  ~ReadSnapshot();
  ReadSnapshot(const ReadSnapshot&) = delete;
  ReadSnapshot& operator=(const ReadSnapshot&) = delete;

  // True when a view of `db` is in force on this thread.
  static bool InForceOn(const Db& db);

 private:
  const Db& db_;
  const rocksdb::Snapshot* snapshot_ = nullptr;  // null when an outer view of db_ is in force
  // This thread's view before this one (of another Db, or none), restored at the end.
  const Db* outer_db_ = nullptr;
  const rocksdb::Snapshot* outer_snapshot_ = nullptr;
};

// Maps a RocksDB status to an absl one, keeping the message.
absl::Status FromRocks(const rocksdb::Status& status, std::string_view what);

}  // namespace okr::store

#endif  // OKR_STORE_DB_H_
