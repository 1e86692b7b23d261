// Roll-ups as derived state (services/core/rollup_store.h): what a command records is read at
// once, a checkpoint changes no value anyone reads, a snapshot keeps its point in time across
// commands and checkpoints, and after a crash the journal after the checkpoint is read back
// exactly once.
#include "services/core/rollup_store.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "services/core/rollup_deltas.h"
#include "store/codecs.h"
#include "store/records.pb.h"
#include "tests/integration/temp_folder.h"

namespace okr {
namespace {

// a1 < g1, the calls of 2026-03-02: the keys these tests read.
const std::string kAgentDay = store::RollupDayKey("a1", "calls", 20260302);
const std::string kGroupMonth = store::RollupMonthKey("g1", "calls", 202603);

class RollupStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { Open(); }

  void Open() {
    db_ = *store::Db::Open(folder_ / "db", store::DbOptions{.sync = false});
    rollups_ = std::make_unique<RollupStore>(db_.get());
    ASSERT_TRUE(rollups_->Load().ok());
  }
  // What kill -9 leaves: the database as written, nothing checkpointed at the end.
  void Crash() {
    rollups_.reset();
    db_.reset();
    Open();
  }

  // Command `seq` adds `calls` (one event) to a1's 2026-03-02 under a1 and g1.
  void Record(uint64_t seq, int64_t calls) {
    RollupDeltas deltas;
    ASSERT_TRUE(deltas.Add({"a1", "g1"}, "calls", Date{2026, 3, 2}, {calls, 0, 1}).ok());
    Applied applied(db_->NewBatch());
    rollups_->Record(seq, std::move(deltas), applied);
    ASSERT_TRUE(db_->Write(applied.batch, /*sync=*/false).ok());
    for (const auto& fn : applied.after_write) fn();
  }

  // Every key of [begin, end) as okrd reads it.
  std::map<std::string, store::RollupValue> Read(const std::string& key) {
    std::map<std::string, store::RollupValue> read;
    EXPECT_TRUE(rollups_
                    ->ScanRange(key, key + '\xff',
                                [&](std::string_view k, const store::RollupValue& v) {
                                  read[std::string(k)] = v;
                                  return true;
                                })
                    .ok());
    return read;
  }
  store::RollupValue ReadOne(const std::string& key) {
    auto read = Read(key);
    return read.count(key) ? read[key] : store::RollupValue{};
  }

  size_t JournalEntries() {
    size_t n = 0;
    EXPECT_TRUE(db_->Scan(store::Cf::kRollupJournal, "",
                          [&](std::string_view, std::string_view) {
                            ++n;
                            return true;
                          })
                    .ok());
    return n;
  }

  testing::TempFolder folder_;
  std::unique_ptr<store::Db> db_;
  std::unique_ptr<RollupStore> rollups_;
};

TEST_F(RollupStoreTest, ARecordedCommandIsReadAtOnceAndACheckpointChangesNoValue) {
  Record(1, 5'000'000);
  Record(2, 2'000'000);
  // 5 + 2 calls in two events, at the agent's day and the group's month alike.
  EXPECT_EQ(ReadOne(kAgentDay), (store::RollupValue{7'000'000, 0, 2}));
  EXPECT_EQ(ReadOne(kGroupMonth), (store::RollupValue{7'000'000, 0, 2}));
  EXPECT_EQ(JournalEntries(), 2u);
  // Nothing is in the rollups family before the checkpoint.
  auto stored = db_->Get(store::Cf::kRollups, kAgentDay);
  ASSERT_TRUE(stored.ok());
  EXPECT_FALSE(stored->has_value());

  ASSERT_TRUE(rollups_->Checkpoint().ok());
  EXPECT_EQ(ReadOne(kAgentDay), (store::RollupValue{7'000'000, 0, 2}));
  EXPECT_EQ(ReadOne(kGroupMonth), (store::RollupValue{7'000'000, 0, 2}));
  EXPECT_EQ(JournalEntries(), 0u);
  EXPECT_EQ(rollups_->checkpoint_seq(), 2u);
  EXPECT_EQ(rollups_->pending_segments(), 0u);
  stored = db_->Get(store::Cf::kRollups, kAgentDay);
  ASSERT_TRUE(stored.ok());
  ASSERT_TRUE(stored->has_value());
  EXPECT_EQ(store::RollupValue::Decode(**stored), (store::RollupValue{7'000'000, 0, 2}));
}

TEST_F(RollupStoreTest, ASnapshotKeepsItsPointInTimeAcrossCommandsAndACheckpoint) {
  Record(1, 5'000'000);
  {
    RollupSnapshot before(*rollups_);
    Record(2, 2'000'000);
    ASSERT_TRUE(rollups_->Checkpoint().ok());  // folds both commands in while `before` lives
    Record(3, 1'000'000);
    EXPECT_EQ(ReadOne(kAgentDay), (store::RollupValue{5'000'000, 0, 1}));
  }
  EXPECT_EQ(ReadOne(kAgentDay), (store::RollupValue{8'000'000, 0, 3}));
}

TEST_F(RollupStoreTest, AfterACrashTheJournalAfterTheCheckpointIsReadBackOnce) {
  Record(1, 5'000'000);
  Record(2, 2'000'000);
  ASSERT_TRUE(rollups_->Checkpoint().ok());
  Record(3, 1'000'000);
  Crash();
  EXPECT_EQ(rollups_->checkpoint_seq(), 2u);
  EXPECT_EQ(rollups_->pending_segments(), 1u);
  EXPECT_EQ(ReadOne(kAgentDay), (store::RollupValue{8'000'000, 0, 3}));
  auto journal = JournalAfterCheckpoint(*db_);
  ASSERT_TRUE(journal.ok()) << journal.status();
  // Command 3's only: a day and a month of a1 and of g1, one event of 1 call each.
  ASSERT_EQ(journal->size(), 4u);
  EXPECT_EQ((*journal)[kAgentDay], (store::RollupValue{1'000'000, 0, 1}));
  EXPECT_EQ((*journal)[kGroupMonth], (store::RollupValue{1'000'000, 0, 1}));
  // A second crash before any checkpoint reads the same; a checkpoint then empties the journal.
  Crash();
  EXPECT_EQ(ReadOne(kAgentDay), (store::RollupValue{8'000'000, 0, 3}));
  ASSERT_TRUE(rollups_->Checkpoint().ok());
  Crash();
  EXPECT_EQ(rollups_->pending_segments(), 0u);
  EXPECT_EQ(ReadOne(kAgentDay), (store::RollupValue{8'000'000, 0, 3}));
  EXPECT_EQ(ReadOne(kGroupMonth), (store::RollupValue{8'000'000, 0, 3}));
}

TEST_F(RollupStoreTest, AReadInsideAPlainReadSnapshotIsRefused) {
  Record(1, 5'000'000);
  store::ReadSnapshot plain(*db_);
  absl::Status s =
      rollups_->ScanRange(kAgentDay, kAgentDay + '\xff',
                          [](std::string_view, const store::RollupValue&) { return true; });
  EXPECT_EQ(s.code(), absl::StatusCode::kInternal);
}

}  // namespace
}  // namespace okr
