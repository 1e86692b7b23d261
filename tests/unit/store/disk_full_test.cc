// A full disk (store/write_guard.h, store/db.cc): writes are refused with RESOURCE_EXHAUSTED
// and no file path, reads go on, closing does not abort (RocksDB 7.8 did, in its LOG writer and
// in a WAL sync after a failed append), and writes resume once space returns. The disk is a
// small tmpfs (root only; skipped otherwise).
#include <gtest/gtest.h>

#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

#include "store/db.h"
#include "tests/fault/small_disk.h"

namespace okr::store {
namespace {

using okr::testing::SmallDisk;

// 16 values of 4 KiB that do not compress (a full disk must come from the bytes written).
void AddIncompressible(Batch& batch, int n) {
  for (int i = 0; i < 16; ++i) {
    std::string value(4096, '\0');
    uint32_t x = static_cast<uint32_t>(n * 16 + i) * 2654435761u + 1;
    for (char& c : value) {
      x ^= x << 13;
      x ^= x >> 17;
      x ^= x << 5;
      c = static_cast<char>(x);
    }
    batch.Put(Cf::kEvents, "fill/" + std::to_string(n) + "/" + std::to_string(i), value);
  }
}

// Commits filler batches until one fails; returns its status and how many were acknowledged.
absl::Status FillUntilRefused(Db& db, int* acknowledged) {
  for (int n = 0; n < 100000; ++n) {
    Batch batch = db.NewBatch();
    AddIncompressible(batch, n);
    absl::Status s = db.Commit(batch);
    if (!s.ok()) return s;
    *acknowledged = n + 1;
  }
  return absl::OkStatus();
}

TEST(WriteError, ANoSpaceErrorIsResourceExhaustedWithoutThePath) {
  const absl::Status s =
      WriteError(rocksdb::Status::NoSpace("While appending to file: /srv/okr/db/000004.log"));
  EXPECT_EQ(s.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(s.message(), kDiskFullMessage);
}

TEST(WriteError, AnotherIoErrorIsUnavailableWithoutThePath) {
  const absl::Status s =
      WriteError(rocksdb::Status::IOError("While fsync: /srv/okr/db/000004.log"));
  EXPECT_EQ(s.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(s.message(), kStorageErrorMessage);
}

TEST(WriteGuard, AHardErrorRefusesWritesASoftOneDoesNotAndARecoveryEndsIt) {
  WriteGuard guard;
  rocksdb::Status soft(rocksdb::Status::NoSpace("compaction"), rocksdb::Status::kSoftError);
  guard.OnBackgroundError(rocksdb::BackgroundErrorReason::kCompaction, &soft);
  EXPECT_TRUE(guard.Refusal().ok());
  rocksdb::Status hard(rocksdb::Status::NoSpace("wal"), rocksdb::Status::kHardError);
  guard.OnBackgroundError(rocksdb::BackgroundErrorReason::kWriteCallback, &hard);
  EXPECT_EQ(guard.Refusal().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_TRUE(guard.disk_full());
  EXPECT_EQ(guard.errors(), 2u);
  bool auto_recovery = true;
  guard.OnErrorRecoveryBegin(rocksdb::BackgroundErrorReason::kWriteCallback, hard, &auto_recovery);
  EXPECT_FALSE(auto_recovery);  // Db::RetryWrites resumes, not RocksDB's own recovery
  guard.OnErrorRecoveryEnd({hard, rocksdb::Status::OK()});
  EXPECT_TRUE(guard.Refusal().ok());
}

class DiskFull : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!disk_.ok()) GTEST_SKIP() << "needs root to mount a tmpfs: " << disk_.error();
    ASSERT_TRUE(disk_.Fill(6 << 20));  // 6 MiB for the database
  }
  DbOptions Options() {
    DbOptions options;
    options.rocksdb_log = [this](std::string_view level, std::string_view line) {
      std::lock_guard<std::mutex> lock(mu_);
      rocksdb_lines_.push_back(std::string(level) + " " + std::string(line));
    };
    return options;
  }
  std::vector<std::string> RocksLines() {
    std::lock_guard<std::mutex> lock(mu_);
    return rocksdb_lines_;
  }

  SmallDisk disk_{24};
  std::mutex mu_;
  std::vector<std::string> rocksdb_lines_;
};

TEST_F(DiskFull, WritesAreRefusedReadsGoOnAndWritesResumeWhenSpaceReturns) {
  const std::string dir = disk_ / "db";
  {
    auto db = Db::Open(dir, Options());
    ASSERT_TRUE(db.ok()) << db.status();
    Batch first = (*db)->NewBatch();
    first.Put(Cf::kMeta, "before", "1");
    ASSERT_TRUE((*db)->Commit(first).ok());

    int acknowledged = 0;
    const absl::Status refused = FillUntilRefused(**db, &acknowledged);
    EXPECT_EQ(refused.code(), absl::StatusCode::kResourceExhausted) << refused;
    EXPECT_EQ(refused.message(), kDiskFullMessage);
    EXPECT_GT(acknowledged, 0);
    // RocksDB's own error line reached the sink; it wrote no LOG file.
    EXPECT_FALSE(std::filesystem::exists(dir + "/LOG"));
    bool told = false;
    for (const std::string& line : RocksLines()) {
      told = told || line.find("No space left on device") != std::string::npos;
    }
    EXPECT_TRUE(told);

    // Refused from now on, before RocksDB; reads go on.
    EXPECT_EQ((*db)->WriteRefusal().code(), absl::StatusCode::kResourceExhausted);
    Batch again = (*db)->NewBatch();
    again.Put(Cf::kMeta, "during", "1");
    EXPECT_EQ((*db)->Commit(again).code(), absl::StatusCode::kResourceExhausted);
    auto before = (*db)->Get(Cf::kMeta, "before");
    ASSERT_TRUE(before.ok());
    EXPECT_EQ(before->value_or(""), "1");
    EXPECT_EQ((*db)->RetryWrites().code(), absl::StatusCode::kResourceExhausted);  // still full

    disk_.RemoveFiller();
    EXPECT_TRUE((*db)->RetryWrites().ok());
    EXPECT_TRUE((*db)->WriteRefusal().ok());
    Batch after = (*db)->NewBatch();
    after.Put(Cf::kMeta, "after", "1");
    EXPECT_TRUE((*db)->Commit(after).ok());
    EXPECT_EQ((*db)->background_errors(), 1u);  // the one failed WAL append
  }
  // Every acknowledged write is there after a reopen; the refused ones are not.
  auto db = Db::Open(dir);
  ASSERT_TRUE(db.ok()) << db.status();
  for (const char* key : {"before", "after"}) {
    auto value = (*db)->Get(Cf::kMeta, key);
    ASSERT_TRUE(value.ok());
    EXPECT_EQ(value->value_or(""), "1") << key;
  }
  auto during = (*db)->Get(Cf::kMeta, "during");
  ASSERT_TRUE(during.ok());
  EXPECT_FALSE(during->has_value());
}

TEST_F(DiskFull, ClosingWhileFullKeepsEveryAcknowledgedWrite) {
  const std::string dir = disk_ / "db";
  int acknowledged = 0;
  {
    auto db = Db::Open(dir, Options());
    ASSERT_TRUE(db.ok()) << db.status();
    EXPECT_EQ(FillUntilRefused(**db, &acknowledged).code(), absl::StatusCode::kResourceExhausted);
  }  // closes while refused: no abort
  disk_.RemoveFiller();
  auto db = Db::Open(dir);
  ASSERT_TRUE(db.ok()) << db.status();
  int found = 0;
  ASSERT_TRUE((*db)
                  ->Scan(Cf::kEvents, "fill/",
                         [&](std::string_view, std::string_view value) {
                           found += value.size() == 4096 ? 1 : 0;
                           return true;
                         })
                  .ok());
  EXPECT_EQ(found, acknowledged * 16);
}

}  // namespace
}  // namespace okr::store
