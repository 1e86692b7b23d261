// okrd's readiness (services/core/health.h): SERVING on a database that takes writes; from
// BeginShutdown on NOT_SERVING "okrd is shutting down", told to the watcher's callback before
// BeginShutdown returns (server.cc turns the gRPC health service NOT_SERVING this way before
// any listener stops); no call after StopWatching. A database that refuses writes is tested
// on a real full disk: tests/unit/store/disk_full_test.cc, tests/fault/disk_full_test.cc.
#include "services/core/health.h"

#include <gtest/gtest.h>

#include <mutex>
#include <vector>

#include "tests/integration/temp_folder.h"

namespace okr {
namespace {

TEST(Readiness, ServingUntilShutdownBeginsAndTheWatcherHearsItFirst) {
  testing::TempFolder folder;
  auto db = store::Db::Open(folder / "db", store::DbOptions{.sync = false});
  ASSERT_TRUE(db.ok()) << db.status();
  Readiness readiness(db->get());
  EXPECT_EQ(readiness.Current(), (HealthState{true, ""}));

  std::mutex mu;
  std::vector<HealthState> told;
  readiness.Watch(
      [&](const HealthState& now) {
        std::lock_guard<std::mutex> lock(mu);
        told.push_back(now);
      },
      std::chrono::milliseconds(10));
  readiness.BeginShutdown();
  {
    std::lock_guard<std::mutex> lock(mu);
    ASSERT_EQ(told.size(), 2u);  // the state at the start, then the change
    EXPECT_EQ(told[0], (HealthState{true, ""}));
    EXPECT_EQ(told[1], (HealthState{false, "okrd is shutting down"}));
  }
  EXPECT_EQ(readiness.Current(), (HealthState{false, "okrd is shutting down"}));
  readiness.StopWatching();
  readiness.BeginShutdown();  // no one is told any more
  std::lock_guard<std::mutex> lock(mu);
  EXPECT_EQ(told.size(), 2u);
}

}  // namespace
}  // namespace okr
