// okrd's RocksDB sizes are the operator's (issue 22): --block-cache-mb, --write-buffer-mb and
// --max-wal-mb reach RocksDB, as its own OPTIONS file and /metrics say, and a size outside its
// range stops okrd with the flag named.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "tests/integration/harness.h"
#include "tests/integration/metrics_scrape.h"

namespace okr::testing {
namespace {

// The newest OPTIONS-<n> file RocksDB wrote in the database folder.
std::string NewestOptionsFile(const std::string& db_dir) {
  std::string newest;
  uint64_t newest_number = 0;
  for (const auto& entry : std::filesystem::directory_iterator(db_dir)) {
    const std::string name = entry.path().filename();
    if (name.rfind("OPTIONS-", 0) != 0) continue;
    const uint64_t number = std::stoull(name.substr(8));
    if (newest.empty() || number > newest_number) {
      newest = entry.path();
      newest_number = number;
    }
  }
  std::ifstream in(newest);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(StoreSizes, TheFlagsReachRocksDb) {
  const int port = FreePort();
  OkrdProcess okrd({"--http-listen", "127.0.0.1:" + std::to_string(port), "--block-cache-mb", "8",
                    "--write-buffer-mb", "3", "--max-wal-mb", "40"});
  const std::string options = NewestOptionsFile(okrd.data_dir() + "/db");
  // 3 MiB = 3,145,728 bytes; 40 MiB = 41,943,040 bytes.
  EXPECT_NE(options.find("write_buffer_size=3145728\n"), std::string::npos) << options;
  EXPECT_NE(options.find("max_total_wal_size=41943040\n"), std::string::npos) << options;
  // 8 MiB = 8,388,608 bytes.
  EXPECT_EQ(ScrapeMetrics(port).at("okr_rocksdb_block_cache_capacity_bytes"), 8388608);
}

TEST(StoreSizes, ASizeOutsideItsRangeStopsOkrdNamingTheFlag) {
  CommandResult r =
      RunCommand({OkrdPath(), "--data-dir", "/tmp/okr-store-sizes-never-made", "--listen",
                  "127.0.0.1:0", "--no-plugins", "--write-buffer-mb", "0"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("--write-buffer-mb 0 is outside 1..4096"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists("/tmp/okr-store-sizes-never-made/db"));
}

}  // namespace
}  // namespace okr::testing
