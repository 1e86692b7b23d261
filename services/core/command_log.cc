#include "services/core/command_log.h"

#include <openssl/sha.h>

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "store/codecs.h"
#include "store/keys.h"

namespace okr {

std::string NextLogHash(const std::string& previous, const std::string& command_bytes) {
  const std::string input = previous + command_bytes;
  std::string digest(SHA256_DIGEST_LENGTH, '\0');
  SHA256(reinterpret_cast<const unsigned char*>(input.data()), input.size(),
         reinterpret_cast<unsigned char*>(digest.data()));
  return digest;
}

absl::Status CommandLog::Load() {
  store::AppliedMark mark;
  auto found = db_->GetProto(store::Cf::kMeta, store::kAppliedMarkKey, &mark);
  if (!found.ok()) return found.status();
  std::lock_guard<std::mutex> lock(apply_mu_);
  mark_ = mark;
  std::lock_guard<std::mutex> sync_lock(sync_mu_);
  written_ = synced_ = mark.seq();
  return absl::OkStatus();
}

store::AppliedMark CommandLog::mark() const {
  std::lock_guard<std::mutex> lock(apply_mu_);
  return mark_;
}

absl::Status CommandLog::Run(store::Command command, const ApplyFn& apply) {
  absl::StatusOr<uint64_t> seq = Append(std::move(command), apply);
  if (!seq.ok()) return seq.status();
  return WaitDurable(*seq);
}

absl::StatusOr<uint64_t> CommandLog::Append(store::Command command, const ApplyFn& apply) {
  std::lock_guard<std::mutex> lock(apply_mu_);
  const uint64_t seq = mark_.seq() + 1;
  if (command.seq() != 0 && command.seq() != seq) {
    return absl::FailedPreconditionError(absl::StrCat("command ", command.seq(),
                                                      " is out of order: the log is at ",
                                                      mark_.seq(), "; nothing was applied"));
  }
  command.set_seq(seq);
  Applied applied(db_->NewBatch());
  // Until the batch is written, what the apply staged in memory is dropped on every return.
  struct DiscardUnlessWritten {
    const Staging& staging;
    bool written = false;
    ~DiscardUnlessWritten() {
      if (!written && staging.discard) staging.discard();
    }
  } staged{staging_};
  if (absl::Status s = apply(command, applied); !s.ok()) return s;
  if (applied.batch.count() == 0) return seq - 1;  // nothing to log; what it read, to wait for
  const std::string bytes = command.SerializeAsString();
  store::AppliedMark next;
  next.set_seq(seq);
  next.set_hash(NextLogHash(mark_.hash(), bytes));
  applied.batch.Put(store::Cf::kCommands, store::CommandKey(seq), bytes);
  applied.batch.PutProto(store::Cf::kMeta, store::kAppliedMarkKey, next);
  if (absl::Status s = db_->Write(applied.batch, /*sync=*/false); !s.ok()) return s;
  staged.written = true;
  if (staging_.commit) staging_.commit();
  mark_ = std::move(next);
  {
    std::lock_guard<std::mutex> sync_lock(sync_mu_);
    written_ = seq;
  }
  for (const auto& fn : applied.after_write) fn();
  return seq;
}

absl::Status CommandLog::WaitDurable(uint64_t seq) {
  std::unique_lock<std::mutex> lock(sync_mu_);
  while (synced_ < seq) {
    if (syncing_) {
      synced_cv_.wait(lock);
      continue;
    }
    // This waiter syncs for everyone written so far; those who come meanwhile wait for it
    // and then, if their write came after its sync began, sync once more together.
    syncing_ = true;
    const uint64_t target = written_;
    lock.unlock();
    const absl::Status synced = db_->SyncWal();
    lock.lock();
    syncing_ = false;
    if (synced.ok()) synced_ = std::max(synced_, target);
    synced_cv_.notify_all();
    if (!synced.ok()) return synced;
  }
  return absl::OkStatus();
}

absl::Status CommandLog::ForEach(uint64_t after_seq,
                                 const std::function<bool(const store::Command&)>& fn) const {
  absl::Status damaged;
  absl::Status s =
      db_->ScanRange(store::Cf::kCommands, store::CommandKey(after_seq + 1), "",
                     [&](std::string_view key, std::string_view value) {
                       store::Command command;
                       if (!command.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
                         store::KeyReader reader(key);
                         damaged = absl::DataLossError(absl::StrCat(
                             "the logged command ", reader.I64().value_or(-1), " does not parse"));
                         return false;
                       }
                       return fn(command);
                     });
  if (!s.ok()) return s;
  return damaged;
}

}  // namespace okr
