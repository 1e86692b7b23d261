// The schema version check when a data folder opens (store/db.cc, CheckSchema): a new folder
// gets this okrd's version; a folder whose version is newer, not a number, not positive, or
// missing while the folder holds records is refused with FAILED_PRECONDITION and no path.
#include <gtest/gtest.h>

#include <string>

#include "store/db.h"
#include "tests/integration/temp_folder.h"

namespace okr::store {
namespace {

constexpr char kSchemaKey[] = "schema_version";

// Writes `key` = `value` into the meta family of the database in `dir`, then closes it.
void PutMeta(const std::string& dir, const std::string& key, const std::string& value) {
  auto db = Db::Open(dir);
  ASSERT_TRUE(db.ok()) << db.status();
  Batch batch = (*db)->NewBatch();
  batch.Put(Cf::kMeta, key, value);
  ASSERT_TRUE((*db)->Commit(batch).ok());
}

void DeleteMeta(const std::string& dir, const std::string& key) {
  auto db = Db::Open(dir);
  ASSERT_TRUE(db.ok()) << db.status();
  Batch batch = (*db)->NewBatch();
  batch.Delete(Cf::kMeta, key);
  ASSERT_TRUE((*db)->Commit(batch).ok());
}

TEST(SchemaVersion, ANewFolderGetsTheVersionAndOpensAgain) {
  testing::TempFolder folder;
  const std::string dir = folder / "db";
  {
    auto db = Db::Open(dir);
    ASSERT_TRUE(db.ok()) << db.status();
    auto stored = (*db)->Get(Cf::kMeta, kSchemaKey);
    ASSERT_TRUE(stored.ok());
    ASSERT_TRUE(stored->has_value());
    EXPECT_EQ(**stored, std::to_string(kSchemaVersion));
  }
  EXPECT_TRUE(Db::Open(dir).ok());
}

TEST(SchemaVersion, AVersionThatIsNoVersionIsRefused) {
  for (const std::string bad : {"abc", "0", "-1", ""}) {
    testing::TempFolder folder;
    const std::string dir = folder / "db";
    PutMeta(dir, kSchemaKey, bad);
    auto db = Db::Open(dir);
    ASSERT_FALSE(db.ok()) << "'" << bad << "'";
    EXPECT_EQ(db.status().code(), absl::StatusCode::kFailedPrecondition) << "'" << bad << "'";
    EXPECT_EQ(db.status().message(),
              "the data folder's schema version is not a version okrd knows (this okrd reads " +
                  std::to_string(kSchemaVersion) + "): the folder is damaged; restore a backup");
  }
}

TEST(SchemaVersion, AVersionOneFolderIsUpgradedToTwo) {
  testing::TempFolder folder;
  const std::string dir = folder / "db";
  PutMeta(dir, kSchemaKey, "1");
  auto db = Db::Open(dir);
  ASSERT_TRUE(db.ok()) << db.status();
  auto stored = (*db)->Get(Cf::kMeta, kSchemaKey);
  ASSERT_TRUE(stored.ok());
  ASSERT_TRUE(stored->has_value());
  EXPECT_EQ(**stored, "2");
}

TEST(SchemaVersion, ANewerVersionIsRefused) {
  testing::TempFolder folder;
  const std::string dir = folder / "db";
  PutMeta(dir, kSchemaKey, std::to_string(kSchemaVersion + 1));
  auto db = Db::Open(dir);
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(db.status().message().find("upgrade okrd"), std::string_view::npos)
      << db.status().message();
}

TEST(SchemaVersion, RecordsWithoutAVersionAreRefused) {
  testing::TempFolder folder;
  const std::string dir = folder / "db";
  {
    auto db = Db::Open(dir);
    ASSERT_TRUE(db.ok());
    Batch batch = (*db)->NewBatch();
    batch.Put(Cf::kUnits, "u1", "a unit");
    ASSERT_TRUE((*db)->Commit(batch).ok());
  }
  DeleteMeta(dir, kSchemaKey);
  auto db = Db::Open(dir);
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(db.status().message(),
            "the data folder holds records but no schema version: it is not an okrd database, or "
            "it is damaged (restore a backup, or start on an empty folder)");
  EXPECT_EQ(db.status().message().find(dir), std::string_view::npos);
}

}  // namespace
}  // namespace okr::store
