#include "store/db.h"

#include <sys/statvfs.h>

#include <filesystem>

#include "absl/strings/numbers.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "rocksdb/filter_policy.h"
#include "rocksdb/table.h"
#include "rocksdb/utilities/checkpoint.h"
#include "store/keys.h"
#include "store/rollup.h"

namespace okr::store {
namespace {

constexpr std::string_view kSchemaKey = "schema_version";
// RetryWrites resumes when the disk has this much more room than the memtables hold (the
// flush that resumes writes also writes a new WAL, MANIFEST and OPTIONS file)...
constexpr uint64_t kResumeMarginBytes = 1 << 20;
// ...and tries again no sooner than this after an attempt that failed.
constexpr auto kResumeRetryInterval = std::chrono::seconds(5);

rocksdb::Slice ToSlice(std::string_view s) { return rocksdb::Slice(s.data(), s.size()); }

// The view this thread's reads use: the Db of its live ReadSnapshot and its RocksDB snapshot.
struct ThreadView {
  const Db* db = nullptr;
  const rocksdb::Snapshot* snapshot = nullptr;
};
thread_local ThreadView current_view;

}  // namespace

ReadSnapshot::ReadSnapshot(const Db& db) : db_(db) {
  if (current_view.db == &db) return;  // nested: the outer view stays in force
  outer_db_ = current_view.db;
  outer_snapshot_ = current_view.snapshot;
  snapshot_ = db.db_->GetSnapshot();
  current_view = ThreadView{&db, snapshot_};
}

ReadSnapshot::~ReadSnapshot() {
  if (snapshot_ == nullptr) return;
  current_view = ThreadView{outer_db_, outer_snapshot_};
  db_.db_->ReleaseSnapshot(snapshot_);
}

bool ReadSnapshot::InForceOn(const Db& db) { return current_view.db == &db; }

rocksdb::ReadOptions Db::ReadOptionsHere() const {
  rocksdb::ReadOptions options;
  if (current_view.db == this) options.snapshot = current_view.snapshot;
  return options;
}

absl::Status FromRocks(const rocksdb::Status& status, std::string_view what) {
  if (status.ok()) return absl::OkStatus();
  std::string message = std::string(what) + ": " + status.ToString();
  if (status.IsNotFound()) return absl::NotFoundError(message);
  if (status.IsCorruption()) return absl::DataLossError(message);
  if (status.IsInvalidArgument()) return absl::InvalidArgumentError(message);
  // RocksDB's message names the file it was writing; ours says what ran out.
  if (status.IsNoSpace())
    return absl::ResourceExhaustedError(std::string(what) + ": the disk is full");
  if (status.IsIOError() && status.ToString().find("lock") != std::string::npos) {
    return absl::FailedPreconditionError(message + " (is another okrd using this folder?)");
  }
  return absl::InternalError(message);
}

void Batch::Put(Cf cf, std::string_view key, std::string_view value) {
  batch_.Put(handle(cf), ToSlice(key), ToSlice(value));
}

void Batch::PutProto(Cf cf, std::string_view key, const google::protobuf::MessageLite& value) {
  // Deterministic: a map field's entries by key. Otherwise they come in the order of the map's
  // hash table, which protobuf seeds at random, and the same command applied to two databases
  // would store different bytes (services/core/apply.h).
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream out(&stream);
    out.SetSerializationDeterministic(true);
    value.SerializeToCodedStream(&out);
  }
  Put(cf, key, bytes);
}

void Batch::Merge(Cf cf, std::string_view key, std::string_view value) {
  batch_.Merge(handle(cf), ToSlice(key), ToSlice(value));
}

void Batch::Delete(Cf cf, std::string_view key) { batch_.Delete(handle(cf), ToSlice(key)); }

void Batch::DeleteRange(Cf cf, std::string_view begin, std::string_view end) {
  batch_.DeleteRange(handle(cf), ToSlice(begin), ToSlice(end));
}

absl::StatusOr<std::unique_ptr<Db>> Db::Open(const std::string& dir, const DbOptions& options) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec)
    return absl::FailedPreconditionError("cannot create data folder " + dir + ": " + ec.message());

  rocksdb::Options db_options;
  db_options.create_if_missing = true;
  db_options.create_missing_column_families = true;
  db_options.IncreaseParallelism(2);
  db_options.max_open_files = 512;
  db_options.max_total_wal_size = options.max_wal_bytes;
  // After a crash the WAL is replayed into memtables that stay in memory, as they were before
  // it, instead of being flushed to new L0 files before Open returns: okrd answers sooner, and
  // the next flush writes them as it would have anyway.
  db_options.avoid_flush_during_recovery = true;
  db_options.info_log = NewRocksLog(options.rocksdb_log);
  auto guard = std::make_shared<WriteGuard>();
  db_options.listeners.push_back(guard);

  rocksdb::BlockBasedTableOptions table;
  table.block_cache = rocksdb::NewLRUCache(options.block_cache_bytes);
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  auto table_factory =
      std::shared_ptr<rocksdb::TableFactory>(rocksdb::NewBlockBasedTableFactory(table));

  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  for (size_t i = 0; i < kCfNames.size(); ++i) {
    rocksdb::ColumnFamilyOptions cf_options(db_options);
    cf_options.table_factory = table_factory;
    cf_options.write_buffer_size = options.write_buffer_bytes;
    if (static_cast<Cf>(i) == Cf::kRollups) {
      cf_options.merge_operator = NewRollupMergeOperator();
      // No max_successive_merges: with it RocksDB looks every merged key up in the memtable
      // before inserting (a sixth of ingestion's CPU in perf). A write's deltas are summed
      // per key already (services/core/rollup_deltas.h), so a chain grows by one operand
      // per write, and flushes and compactions fold them.
    }
    families.emplace_back(std::string(kCfNames[i]), cf_options);
  }

  auto db = std::unique_ptr<Db>(new Db());
  db->options_ = options;
  db->dir_ = dir;
  db->guard_ = std::move(guard);
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s = rocksdb::DB::Open(db_options, dir, families, &db->handles_, &raw);
  if (!s.ok()) return FromRocks(s, "opening " + dir);
  db->db_.reset(raw);
  if (absl::Status schema = db->CheckSchema(); !schema.ok()) return schema;
  return db;
}

Db::~Db() {
  if (db_ == nullptr) return;
  // While writes are refused both would fail, and a WAL sync after a failed WAL append aborts
  // RocksDB 7.8 (WritableFileWriter's assertion): every acknowledged write is synced already.
  if (!guard_->refused()) {
    db_->FlushWAL(/*sync=*/true).PermitUncheckedError();
    db_->Flush(rocksdb::FlushOptions(), handles_).PermitUncheckedError();  // no WAL replay
  }
  for (auto* handle : handles_) db_->DestroyColumnFamilyHandle(handle).PermitUncheckedError();
  db_->Close().PermitUncheckedError();
}

absl::Status Db::CheckSchema() {
  auto stored = Get(Cf::kMeta, kSchemaKey);
  if (!stored.ok()) return stored.status();
  if (!stored->has_value()) {
    // A new folder gets this okrd's version. One that already holds records without a version
    // was not written by okrd, or lost its meta records: refused, never guessed at.
    if (absl::StatusOr<bool> empty = Empty(); !empty.ok() || !*empty) {
      if (!empty.ok()) return empty.status();
      return absl::FailedPreconditionError(
          "the data folder holds records but no schema version: it is not an okrd database, "
          "or it is damaged (restore a backup, or start on an empty folder)");
    }
    Batch batch = NewBatch();
    batch.Put(Cf::kMeta, kSchemaKey, std::to_string(kSchemaVersion));
    return Commit(batch);
  }
  int version = 0;
  if (!absl::SimpleAtoi(**stored, &version) || version < 1) {
    return absl::FailedPreconditionError(
        "the data folder's schema version is not a version okrd knows (this okrd reads " +
        std::to_string(kSchemaVersion) + "): the folder is damaged; restore a backup");
  }
  if (version > kSchemaVersion) {
    return absl::FailedPreconditionError("the data folder has schema version " + **stored +
                                         ", newer than this okrd reads (" +
                                         std::to_string(kSchemaVersion) + "): upgrade okrd");
  }
  if (version < kSchemaVersion) {
    // Every older layout is a subset of this one: the upgrade only records the new version,
    // so that an older okrd refuses the folder from now on.
    Batch batch = NewBatch();
    batch.Put(Cf::kMeta, kSchemaKey, std::to_string(kSchemaVersion));
    return Commit(batch);
  }
  return absl::OkStatus();
}

absl::StatusOr<bool> Db::Empty() const {
  for (size_t i = 0; i < static_cast<size_t>(Cf::kCount); ++i) {
    bool any = false;
    absl::Status scanned = Scan(static_cast<Cf>(i), "", [&](std::string_view, std::string_view) {
      any = true;
      return false;  // one record is enough
    });
    if (!scanned.ok()) return scanned;
    if (any) return false;
  }
  return true;
}

absl::Status Db::Write(Batch& batch, bool sync) {
  // A refused write never reaches RocksDB (which would refuse it too, with a message that
  // names files).
  if (absl::Status refused = guard_->Refusal(); !refused.ok()) return refused;
  rocksdb::WriteOptions write_options;
  write_options.sync = sync && options_.sync;
  const rocksdb::Status written = db_->Write(write_options, &batch.batch_);
  if (!written.ok()) guard_->WriteFailed(written);
  return WriteError(written);
}

absl::Status Db::SyncWal() {
  if (!options_.sync) return absl::OkStatus();
  if (absl::Status refused = guard_->Refusal(); !refused.ok()) return refused;
  const rocksdb::Status synced = db_->SyncWAL();
  if (!synced.ok()) guard_->WriteFailed(synced);
  return WriteError(synced);
}

absl::Status Db::RetryWrites() {
  if (!guard_->refused()) return absl::OkStatus();
  std::unique_lock<std::mutex> lock(resume_mu_, std::try_to_lock);
  if (!lock.owns_lock()) return guard_->Refusal();  // another thread is resuming
  const auto now = std::chrono::steady_clock::now();
  if (now < next_resume_) return guard_->Refusal();
  if (guard_->disk_full()) {
    // The resume flushes the memtables into new files before the WAL they replace goes.
    absl::StatusOr<uint64_t> free = FreeDiskBytes();
    const uint64_t needed = IntProperty("rocksdb.size-all-mem-tables") + kResumeMarginBytes;
    if (!free.ok() || *free < needed) return guard_->Refusal();
  }
  next_resume_ = now + kResumeRetryInterval;
  if (db_->Resume().ok()) guard_->Resumed();
  return guard_->Refusal();
}

absl::StatusOr<uint64_t> Db::FreeDiskBytes() const {
  struct statvfs fs {};
  if (::statvfs(dir_.c_str(), &fs) != 0) {
    return absl::InternalError("cannot read the free space of the data folder's disk");
  }
  return static_cast<uint64_t>(fs.f_bavail) * fs.f_frsize;
}

absl::StatusOr<std::optional<std::string>> Db::Get(Cf cf, std::string_view key) const {
  std::string value;
  rocksdb::Status s =
      db_->Get(ReadOptionsHere(), handles_[static_cast<size_t>(cf)], ToSlice(key), &value);
  if (s.IsNotFound()) return std::optional<std::string>();
  if (!s.ok()) return FromRocks(s, "read");
  return std::optional<std::string>(std::move(value));
}

absl::StatusOr<std::vector<std::optional<std::string>>> Db::MultiGet(
    Cf cf, const std::vector<std::string>& keys) const {
  std::vector<rocksdb::Slice> slices;
  slices.reserve(keys.size());
  for (const std::string& key : keys) slices.push_back(ToSlice(key));
  std::vector<rocksdb::PinnableSlice> values(keys.size());
  std::vector<rocksdb::Status> statuses(keys.size());
  db_->MultiGet(ReadOptionsHere(), handles_[static_cast<size_t>(cf)], keys.size(), slices.data(),
                values.data(), statuses.data());
  std::vector<std::optional<std::string>> out(keys.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    if (statuses[i].IsNotFound()) continue;
    if (!statuses[i].ok()) return FromRocks(statuses[i], "read");
    out[i] = values[i].ToString();
  }
  return out;
}

absl::StatusOr<bool> Db::GetProto(Cf cf, std::string_view key,
                                  google::protobuf::MessageLite* out) const {
  auto value = Get(cf, key);
  if (!value.ok()) return value.status();
  if (!value->has_value()) return false;
  if (!out->ParseFromString(**value)) {
    return absl::DataLossError("stored " + out->GetTypeName() + " does not parse");
  }
  return true;
}

absl::Status Db::Scan(Cf cf, std::string_view prefix,
                      const std::function<bool(std::string_view, std::string_view)>& fn) const {
  const std::string end = PrefixSuccessor(std::string(prefix));
  return ScanRange(cf, prefix, end, fn);
}

absl::Status Db::ScanRange(
    Cf cf, std::string_view begin, std::string_view end,
    const std::function<bool(std::string_view, std::string_view)>& fn) const {
  rocksdb::ReadOptions read_options = ReadOptionsHere();
  rocksdb::Slice upper = ToSlice(end);
  if (!end.empty()) read_options.iterate_upper_bound = &upper;
  std::unique_ptr<rocksdb::Iterator> it(
      db_->NewIterator(read_options, handles_[static_cast<size_t>(cf)]));
  for (it->Seek(ToSlice(begin)); it->Valid(); it->Next()) {
    if (!fn(std::string_view(it->key().data(), it->key().size()),
            std::string_view(it->value().data(), it->value().size()))) {
      break;
    }
  }
  return FromRocks(it->status(), "scan");
}

absl::Status Db::ScanRangeReverse(
    Cf cf, std::string_view begin, std::string_view end,
    const std::function<bool(std::string_view, std::string_view)>& fn) const {
  rocksdb::ReadOptions read_options = ReadOptionsHere();
  rocksdb::Slice lower = ToSlice(begin);
  rocksdb::Slice upper = ToSlice(end);
  read_options.iterate_lower_bound = &lower;
  if (!end.empty()) read_options.iterate_upper_bound = &upper;
  std::unique_ptr<rocksdb::Iterator> it(
      db_->NewIterator(read_options, handles_[static_cast<size_t>(cf)]));
  for (it->SeekToLast(); it->Valid(); it->Prev()) {
    if (!fn(std::string_view(it->key().data(), it->key().size()),
            std::string_view(it->value().data(), it->value().size()))) {
      break;
    }
  }
  return FromRocks(it->status(), "scan");
}

absl::Status Db::Checkpoint(const std::string& dir) const {
  rocksdb::Checkpoint* raw = nullptr;
  rocksdb::Status s = rocksdb::Checkpoint::Create(db_.get(), &raw);
  if (!s.ok()) return FromRocks(s, "checkpoint");
  std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw);
  return FromRocks(checkpoint->CreateCheckpoint(dir), "checkpoint into " + dir);
}

uint64_t Db::SharedIntProperty(std::string_view name) const {
  uint64_t value = 0;
  return db_->GetIntProperty(handles_.front(), ToSlice(name), &value) ? value : 0;
}

uint64_t Db::IntProperty(std::string_view name) const {
  uint64_t total = 0;
  for (auto* handle : handles_) {
    uint64_t value = 0;
    if (db_->GetIntProperty(handle, ToSlice(name), &value)) total += value;
  }
  return total;
}

uint64_t Db::WalBytes() const {
  rocksdb::VectorLogPtr files;
  if (!db_->GetSortedWalFiles(files).ok()) return 0;
  uint64_t total = 0;
  for (const auto& file : files) total += file->SizeFileBytes();
  return total;
}

}  // namespace okr::store
