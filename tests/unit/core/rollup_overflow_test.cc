// Sums at the int64 limit: the merge operator on a real RocksDB, and ingestion, which refuses
// (OUT_OF_RANGE, nothing of the batch stored) an event that would take any roll-up past it.
//
// Hand arithmetic used below: INT64_MAX = 9,223,372,036,854,775,807 micros
// = 9,223,372,036,854.775807 units = 9 x 1e12 units + 223,372,036,854.775807 units.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/asio/thread_pool.hpp>
#include <cstdint>
#include <filesystem>
#include <limits>

#include "services/core/actuals_ops.h"
#include "services/core/org_ops.h"
#include "services/core/server_state.h"
#include "store/codecs.h"
#include "store/rollup.h"

namespace okr {
namespace {

using ::testing::HasSubstr;

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();

std::filesystem::path TempDir() {
  auto dir = std::filesystem::temp_directory_path() /
             ("okr-overflow-" + std::to_string(::getpid()) + "-" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name());
  std::filesystem::remove_all(dir);
  return dir;
}

TEST(RollupValueAddChecked, RefusesAndLeavesTheValueAsItWasOnOverflow) {
  store::RollupValue v{kMax - 1, 5, 2};
  EXPECT_TRUE(v.AddChecked({1, 0, 0}));
  EXPECT_EQ(v, (store::RollupValue{kMax, 5, 2}));
  EXPECT_FALSE(v.AddChecked({1, 1, 1}));
  EXPECT_EQ(v, (store::RollupValue{kMax, 5, 2}));
  store::RollupValue low{kMin + 1, 0, 0};
  EXPECT_TRUE(low.AddChecked({-1, 0, 0}));
  EXPECT_FALSE(low.AddChecked({-1, 0, 0}));
  EXPECT_EQ(low, (store::RollupValue{kMin, 0, 0}));
  store::RollupValue denominator{0, kMax, 0};
  EXPECT_FALSE(denominator.AddChecked({0, 1, 0}));
  EXPECT_EQ(denominator, (store::RollupValue{0, kMax, 0}));
}

class RollupMergeLimit : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = TempDir();
    auto db = store::Db::Open(dir_.string(), store::DbOptions{.sync = false});
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = *std::move(db);
  }
  void TearDown() override {
    db_.reset();
    std::filesystem::remove_all(dir_);
  }
  // One batch per operand, so that RocksDB keeps them as separate merge operands.
  void Merge(const store::RollupValue& operand) {
    store::Batch batch = db_->NewBatch();
    batch.Merge(store::Cf::kRollups, key_, operand.Encode());
    ASSERT_TRUE(db_->Commit(batch).ok());
  }

  std::filesystem::path dir_;
  std::unique_ptr<store::Db> db_;
  const std::string key_ = store::RollupDayKey("a1", "calls", 20260302);
};

TEST_F(RollupMergeLimit, OperandsSummingExactlyToTheMaximumMergeExactly) {
  Merge({4'000'000'000'000'000'000, 1, 1});
  Merge({4'000'000'000'000'000'000, 2, 1});
  Merge({1'223'372'036'854'775'807, 3, 1});
  auto value = db_->Get(store::Cf::kRollups, key_);
  ASSERT_TRUE(value.ok()) << value.status();
  ASSERT_TRUE(value->has_value());
  EXPECT_EQ(store::RollupValue::Decode(**value), (store::RollupValue{kMax, 6, 3}));
}

TEST_F(RollupMergeLimit, OneMoreOperandFailsTheMergeInsteadOfWrapping) {
  Merge({4'000'000'000'000'000'000, 0, 1});
  Merge({4'000'000'000'000'000'000, 0, 1});
  Merge({1'223'372'036'854'775'807, 0, 1});
  Merge({1, 0, 1});
  auto value = db_->Get(store::Cf::kRollups, key_);
  EXPECT_EQ(value.status().code(), absl::StatusCode::kDataLoss) << value.status();
}

TEST_F(RollupMergeLimit, AnOperandOnAStoredMaximumFailsTheMerge) {
  store::Batch batch = db_->NewBatch();
  batch.Put(store::Cf::kRollups, key_, store::RollupValue{0, kMax, 1}.Encode());
  ASSERT_TRUE(db_->Commit(batch).ok());
  Merge({0, 1, 1});
  auto value = db_->Get(store::Cf::kRollups, key_);
  EXPECT_EQ(value.status().code(), absl::StatusCode::kDataLoss) << value.status();
}

// Ingestion through IngestRows on a real database: two companies (so that an org move can
// carry a total into a unit that cannot hold it).
//   co1 > t1 > g1 > a1, a2        co2 > t2 > g2 > a3
class IngestLimit : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = TempDir();
    auto db = store::Db::Open(dir_.string(), store::DbOptions{.sync = false});
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = *std::move(db);
    tokens_ = std::make_unique<TokenRegistry>(db_.get());
    state_ = std::make_unique<ServerState>(db_.get(), tokens_.get(), &pool_, Clock::System());
    ASSERT_TRUE(state_->Load().ok());
    std::vector<Unit> units;
    auto add = [&](std::string id, std::string parent, UnitKind kind) {
      Unit u;
      u.id = std::move(id);
      u.parent_id = std::move(parent);
      u.kind = kind;
      u.name = u.id;
      units.push_back(u);
    };
    add("co1", "", UnitKind::kCompany);
    add("t1", "co1", UnitKind::kTeam);
    add("g1", "t1", UnitKind::kGroup);
    add("a1", "g1", UnitKind::kAgent);
    add("a2", "g1", UnitKind::kAgent);
    add("co2", "", UnitKind::kCompany);
    add("t2", "co2", UnitKind::kTeam);
    add("g2", "t2", UnitKind::kGroup);
    add("a3", "g2", UnitKind::kAgent);
    ASSERT_TRUE(CommitUnits(*state_, units, store::AuditRecord()).ok());
    Caller caller;
    caller.token_id = "test";
    caller.role = Role::kAdmin;
    for (const char* id : {"calls", "csat"}) {
      const Metric metric{id,
                          std::string(id) == "calls" ? MetricKind::kCount : MetricKind::kRatio,
                          Direction::kUp,
                          1.0,
                          "",
                          id};
      ASSERT_TRUE(DefineMetric(*state_, caller, metric).ok());
    }
  }
  void TearDown() override {
    state_.reset();
    tokens_.reset();
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  absl::Status Ingest(const std::vector<ActualRow>& rows, IngestResult* reply = nullptr) {
    IngestResult ignored;
    return IngestRows(*state_, rows, /*skip_invalid=*/false, reply ? reply : &ignored);
  }
  static ActualRow Calls(std::string id, std::string unit, std::string date, std::string value,
                         int line = 0) {
    return ActualRow{
        line, std::move(id), std::move(unit), "calls", std::move(date), std::move(value), ""};
  }
  // e1..e9 of 1e12 and e10 of the rest: a1's calls on `date` sum exactly to INT64_MAX micros.
  void FillToTheMaximum(const std::string& date = "2026-03-02") {
    std::vector<ActualRow> rows;
    for (int i = 1; i <= 9; ++i) rows.push_back(Calls("e" + std::to_string(i), "a1", date, "1e12"));
    rows.push_back(Calls("e10", "a1", date, "223372036854.775807"));
    IngestResult reply;
    ASSERT_TRUE(Ingest(rows, &reply).ok());
    ASSERT_EQ(reply.accepted, 10);
  }
  ActualSums Sums(const std::string& unit, const std::string& metric, const Date& first,
                  const Date& last) {
    auto sums = ReadActualSums(*state_, unit, metric, first, last);
    EXPECT_TRUE(sums.ok()) << sums.status();
    return sums.ok() ? *sums : ActualSums{-1, -1, -1};
  }
  ActualSums Year2026(const std::string& unit, const std::string& metric = "calls") {
    return Sums(unit, metric, Date{2026, 1, 1}, Date{2026, 12, 31});
  }
  bool Stored(const std::string& event_id) {
    store::EventRecord record;
    auto found = db_->GetProto(store::Cf::kEvents, store::EventKey(event_id), &record);
    EXPECT_TRUE(found.ok());
    return found.ok() && *found;
  }

  std::filesystem::path dir_;
  boost::asio::thread_pool pool_{1};
  std::unique_ptr<store::Db> db_;
  std::unique_ptr<TokenRegistry> tokens_;
  std::unique_ptr<ServerState> state_;
};

TEST_F(IngestLimit, EventsSummingExactlyToTheMaximumAreAcceptedAndExact) {
  FillToTheMaximum();
  const Date day{2026, 3, 2};
  for (const char* unit : {"a1", "g1", "t1", "co1"}) {
    const ActualSums day_sums = Sums(unit, "calls", day, day);
    EXPECT_EQ(day_sums.value_micros, 9'223'372'036'854'775'807) << unit;
    EXPECT_EQ(day_sums.events, 10) << unit;
    EXPECT_EQ(Year2026(unit).value_micros, 9'223'372'036'854'775'807) << unit;
  }
}

TEST_F(IngestLimit, OneMoreMicroIsOutOfRangeNamingItsLineAndNothingIsStored) {
  FillToTheMaximum();
  // a2 has nothing yet; its group, team and company are full.
  absl::Status s = Ingest({Calls("e11", "a2", "2026-03-05", "0.000001", /*line=*/7)});
  EXPECT_EQ(s.code(), absl::StatusCode::kOutOfRange) << s;
  EXPECT_THAT(s.message(), HasSubstr("line 7: event 'e11'"));
  EXPECT_THAT(s.message(), HasSubstr("unit 'g1', metric 'calls', 2026"));
  EXPECT_FALSE(Stored("e11"));
  EXPECT_EQ(Year2026("a2").events, 0);
  EXPECT_EQ(Year2026("co1").value_micros, 9'223'372'036'854'775'807);
  EXPECT_EQ(Year2026("co1").events, 10);
}

TEST_F(IngestLimit, ABatchWithOneEventTooManyStoresNothingEvenAcrossChunks) {
  FillToTheMaximum();
  // More good events than one atomic write takes, then the one that does not fit.
  std::vector<ActualRow> rows;
  for (size_t i = 0; i < kIngestChunkEvents; ++i) {
    rows.push_back(ActualRow{0, "c" + std::to_string(i), "a2", "csat", "2026-03-04", "1", "2"});
  }
  rows.push_back(Calls("e11", "a2", "2026-03-05", "1"));
  absl::Status s = Ingest(rows);
  EXPECT_EQ(s.code(), absl::StatusCode::kOutOfRange) << s;
  EXPECT_THAT(s.message(), HasSubstr("event 'e11'"));
  EXPECT_FALSE(Stored("c0"));
  EXPECT_FALSE(Stored("c19999"));
  EXPECT_EQ(Year2026("co1", "csat").events, 0);
}

TEST_F(IngestLimit, CorrectionsTakeTheOldValueBackBeforeAddingTheNewOne) {
  FillToTheMaximum();
  IngestResult reply;
  // One micro less, then back to the maximum: both fit.
  ASSERT_TRUE(Ingest({Calls("e10", "a1", "2026-03-02", "223372036854.775806")}, &reply).ok());
  EXPECT_EQ(reply.corrected, 1);
  EXPECT_EQ(Year2026("co1").value_micros, 9'223'372'036'854'775'806);
  ASSERT_TRUE(Ingest({Calls("e10", "a1", "2026-03-02", "223372036854.775807")}).ok());
  EXPECT_EQ(Year2026("co1").value_micros, 9'223'372'036'854'775'807);
  // The same value moved to another agent and day: taken off a1, added to a2; still fits.
  ASSERT_TRUE(Ingest({Calls("e10", "a2", "2026-03-09", "223372036854.775807")}).ok());
  EXPECT_EQ(Year2026("a1").value_micros, 9'000'000'000'000'000'000);
  EXPECT_EQ(Year2026("a2").value_micros, 223'372'036'854'775'807);
  EXPECT_EQ(Year2026("co1").value_micros, 9'223'372'036'854'775'807);
  // One micro more than it was: net +1 past the maximum.
  absl::Status s = Ingest({Calls("e10", "a2", "2026-03-09", "223372036854.775808", 3)});
  EXPECT_EQ(s.code(), absl::StatusCode::kOutOfRange) << s;
  EXPECT_THAT(s.message(), HasSubstr("line 3: event 'e10'"));
  EXPECT_EQ(Year2026("a2").value_micros, 223'372'036'854'775'807);
  EXPECT_EQ(Year2026("co1").value_micros, 9'223'372'036'854'775'807);
}

TEST_F(IngestLimit, TheBoundIsTheYearSoThatAYearlyReadFitsToo) {
  // January full, February the rest of the year's room.
  FillToTheMaximum("2026-01-10");
  ASSERT_TRUE(Ingest({Calls("e10", "a1", "2026-02-10", "223372036854.775807")}).ok());
  // March's roll-ups are empty, but the year's actual would not fit.
  absl::Status s = Ingest({Calls("e11", "a1", "2026-03-10", "0.000001")});
  EXPECT_EQ(s.code(), absl::StatusCode::kOutOfRange) << s;
  EXPECT_EQ(Year2026("co1").value_micros, 9'223'372'036'854'775'807);
  // Another year has its own room.
  IngestResult reply;
  ASSERT_TRUE(Ingest({Calls("e12", "a1", "2025-06-01", "1e12")}, &reply).ok());
  EXPECT_EQ(reply.accepted, 1);
}

TEST_F(IngestLimit, AnOrgMoveThatWouldOverflowItsNewUnitsIsRefused) {
  FillToTheMaximum();
  ASSERT_TRUE(Ingest({Calls("e20", "a3", "2026-03-03", "1")}).ok());
  Unit moved = *state_->org()->Find("a3");
  moved.parent_id = "g1";
  absl::Status s = CommitUnits(*state_, {moved}, store::AuditRecord());
  EXPECT_EQ(s.code(), absl::StatusCode::kOutOfRange) << s;
  EXPECT_THAT(s.message(), HasSubstr("unit 'g1', metric 'calls', 2026"));
  EXPECT_EQ(state_->org()->Find("a3")->parent_id, "g2");
  EXPECT_EQ(Year2026("g2").value_micros, 1'000'000);
  EXPECT_EQ(Year2026("co1").value_micros, 9'223'372'036'854'775'807);
}

// The year totals are kept between requests (YearTotalsCache): whatever else lowers a total
// must make the room it frees usable at once.
TEST_F(IngestLimit, TheRoomADeletedEventFreesIsUsableAtOnce) {
  FillToTheMaximum();
  ASSERT_TRUE(DeleteEvent(*state_, Caller{"test", Role::kAdmin, ""}, "e10", "wrong").ok());
  // co1 holds 9e12 now: e10's 223,372,036,854.775807 fits again, and one micro more does not.
  IngestResult reply;
  ASSERT_TRUE(Ingest({Calls("e11", "a2", "2026-03-04", "223372036854.775807")}, &reply).ok());
  EXPECT_EQ(reply.accepted, 1);
  EXPECT_EQ(Year2026("co1").value_micros, 9'223'372'036'854'775'807);
  EXPECT_EQ(Ingest({Calls("e12", "a2", "2026-03-04", "0.000001")}).code(),
            absl::StatusCode::kOutOfRange);
}

TEST_F(IngestLimit, TheRoomAMoveFreesIsUsableAtOnce) {
  FillToTheMaximum();
  // a1 and all its calls go to g2 under co2: co1 is empty again, co2 full.
  Unit moved = *state_->org()->Find("a1");
  moved.parent_id = "g2";
  ASSERT_TRUE(CommitUnits(*state_, {moved}, store::AuditRecord()).ok());
  IngestResult reply;
  ASSERT_TRUE(Ingest({Calls("e11", "a2", "2026-03-04", "1e12")}, &reply).ok());
  EXPECT_EQ(reply.accepted, 1);
  EXPECT_EQ(Year2026("co1").value_micros, 1'000'000'000'000'000'000);
  EXPECT_EQ(Ingest({Calls("e12", "a3", "2026-03-04", "0.000001")}).code(),
            absl::StatusCode::kOutOfRange);
}

}  // namespace
}  // namespace okr
