// RocksDB properties for /metrics (store/db.h): the block cache is one cache shared by every
// column family, so its figures are read once, not summed over the 14 families.
#include <gtest/gtest.h>

#include "store/db.h"
#include "tests/integration/temp_folder.h"

namespace okr::store {
namespace {

TEST(DbProperties, TheSharedBlockCacheIsCountedOnce) {
  testing::TempFolder folder;
  DbOptions options;
  options.block_cache_bytes = 8 << 20;
  auto db = Db::Open(folder / "db", options);
  ASSERT_TRUE(db.ok()) << db.status();
  EXPECT_EQ((*db)->SharedIntProperty("rocksdb.block-cache-capacity"), 8u << 20);
  // Summed, the one cache is counted once per column family.
  EXPECT_EQ((*db)->IntProperty("rocksdb.block-cache-capacity"),
            static_cast<uint64_t>(kCfNames.size()) * (8u << 20));
}

}  // namespace
}  // namespace okr::store
