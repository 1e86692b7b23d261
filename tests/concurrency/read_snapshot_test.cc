// store::ReadSnapshot: reads inside it see the database as it was when it was made, whatever
// commits meanwhile; nested views keep the outer point in time; other threads and reads after
// it see the latest state.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "store/db.h"

namespace okr::store {
namespace {

class ReadSnapshotTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("okr-snapshot-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    auto db = Db::Open(dir_.string(), DbOptions{.sync = false});
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = *std::move(db);
  }
  void TearDown() override {
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  void Put(const std::vector<std::pair<std::string, std::string>>& pairs) {
    Batch batch = db_->NewBatch();
    for (const auto& [k, v] : pairs) batch.Put(Cf::kMeta, k, v);
    ASSERT_TRUE(db_->Commit(batch).ok());
  }
  std::string Value(const std::string& key) {
    auto v = db_->Get(Cf::kMeta, key);
    EXPECT_TRUE(v.ok()) << v.status();
    return v.ok() && v->has_value() ? **v : "<absent>";
  }
  std::string ScanText(const std::string& prefix) {
    std::string out;
    EXPECT_TRUE(db_->Scan(Cf::kMeta, prefix,
                          [&](std::string_view k, std::string_view v) {
                            out += std::string(k) + "=" + std::string(v) + ";";
                            return true;
                          })
                    .ok());
    return out;
  }

  std::filesystem::path dir_;
  std::unique_ptr<Db> db_;
};

TEST_F(ReadSnapshotTest, ReadsInsideSeeOnePointInTime) {
  Put({{"t/a", "1"}, {"t/b", "1"}});
  {
    ReadSnapshot snapshot(*db_);
    Put({{"t/a", "2"}, {"t/b", "2"}, {"t/c", "2"}});  // one batch, committed meanwhile
    EXPECT_EQ(Value("t/a"), "1");
    EXPECT_EQ(Value("t/c"), "<absent>");
    EXPECT_EQ(ScanText("t/"), "t/a=1;t/b=1;");
    {
      ReadSnapshot inner(*db_);  // nested: still the outer point in time
      EXPECT_EQ(Value("t/b"), "1");
    }
    EXPECT_EQ(Value("t/b"), "1");  // the inner view's end does not end the outer one
    std::string other_thread;
    std::thread([&] { other_thread = Value("t/a"); }).join();
    EXPECT_EQ(other_thread, "2");  // the view is this thread's only
  }
  EXPECT_EQ(Value("t/a"), "2");
  EXPECT_EQ(ScanText("t/"), "t/a=2;t/b=2;t/c=2;");
}

}  // namespace
}  // namespace okr::store
