#include "store/write_guard.h"

#include "store/db.h"

namespace okr::store {
namespace {

bool IsSpaceError(const rocksdb::Status& status) {
  return status.IsNoSpace() ||
         (status.IsIOError() && status.subcode() == rocksdb::Status::SubCode::kSpaceLimit);
}

}  // namespace

absl::Status WriteError(const rocksdb::Status& status) {
  if (status.ok()) return absl::OkStatus();
  if (IsSpaceError(status)) return absl::ResourceExhaustedError(kDiskFullMessage);
  if (status.IsIOError()) return absl::UnavailableError(kStorageErrorMessage);
  return FromRocks(status, "write");
}

absl::Status WriteGuard::Refusal() const {
  if (!refused()) return absl::OkStatus();
  std::lock_guard<std::mutex> lock(mu_);
  return disk_full_ ? absl::ResourceExhaustedError(kDiskFullMessage)
                    : absl::UnavailableError(kStorageErrorMessage);
}

bool WriteGuard::disk_full() const {
  std::lock_guard<std::mutex> lock(mu_);
  return refused() && disk_full_;
}

void WriteGuard::Refuse(const rocksdb::Status& error) {
  std::lock_guard<std::mutex> lock(mu_);
  // A full disk explains the refusal until writes resume; another error does not replace it
  // (RocksDB keeps the most severe one, and space must come back either way).
  if (!refused() || !disk_full_) disk_full_ = IsSpaceError(error);
  refused_.store(true, std::memory_order_release);
}

void WriteGuard::WriteFailed(const rocksdb::Status& status) {
  if (status.IsIOError()) Refuse(status);
}

void WriteGuard::Resumed() {
  std::lock_guard<std::mutex> lock(mu_);
  disk_full_ = false;
  refused_.store(false, std::memory_order_release);
}

void WriteGuard::OnErrorRecoveryBegin(rocksdb::BackgroundErrorReason /*reason*/,
                                      rocksdb::Status /*error*/, bool* auto_recovery) {
  // RocksDB's own recovery from a full disk waits for a whole write buffer of free space and,
  // while it waits, refuses a manual DB::Resume (Busy): Db::RetryWrites resumes instead.
  *auto_recovery = false;
}

void WriteGuard::OnBackgroundError(rocksdb::BackgroundErrorReason /*reason*/,
                                   rocksdb::Status* error) {
  errors_.fetch_add(1, std::memory_order_relaxed);
  // A soft error (e.g. a compaction without space) stops compactions, not writes.
  if (error->severity() >= rocksdb::Status::Severity::kHardError) Refuse(*error);
}

void WriteGuard::OnErrorRecoveryEnd(const rocksdb::BackgroundErrorRecoveryInfo& info) {
  if (info.new_bg_error.ok()) Resumed();
}

}  // namespace okr::store
