// Imports are bounded and keep off the worker pool (issue 22): five imports at once, each
// holding the ingest lock for 3 s (okrd's test-only --test-ingest-delay-ms), leave whoami and
// /healthz answering at once, and still all complete, one after the other.
//
// Before, every import took a worker thread and waited on the ingest lock in it: five of them
// filled the four worker threads, and whoami and /healthz (whose HTTP side runs on the same
// pool) waited behind them, 3 s and more.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "tests/integration/build_paths.h"
#include "tests/integration/child_process.h"
#include "tests/integration/fixtures.h"
#include "tests/integration/harness.h"
#include "tests/integration/metrics_scrape.h"
#include "tests/integration/wait_for.h"

namespace okr::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using std::chrono::steady_clock;

TEST(ImportCapacity, ImportsInFlightLeaveSmallCallsAndHealthTheirThreads) {
  const int http_port = FreePort();
  OkrdProcess okrd({"--http-listen", "127.0.0.1:" + std::to_string(http_port),
                    "--test-ingest-delay-ms", "3000"});
  SetUpTickets(okrd,
               "unit_id,parent_id,kind,name,fte\n"
               "co,,company,Co,\n"
               "a1,co,agent,Ann,1.0\n");
  if (HasFatalFailure()) return;

  // Import i brings one event of value i: 1 + 2 + 3 + 4 + 5 = 15 in all.
  std::vector<std::unique_ptr<ChildProcess>> imports;
  for (int i = 1; i <= 5; ++i) {
    const std::string file = okrd.WriteFile("a" + std::to_string(i) + ".csv",
                                            "event_id,unit_id,metric,date,value\ne" +
                                                std::to_string(i) + ",a1,tickets,2026-01-0" +
                                                std::to_string(i) + "," + std::to_string(i) + "\n");
    imports.push_back(std::make_unique<ChildProcess>(
        std::vector<std::string>{OkrctlPath(), "--server", okrd.address(), "--token",
                                 okrd.admin_token(), "actuals", "import", file}));
  }
  std::this_thread::sleep_for(milliseconds(500));  // all five are in okrd now

  // Bounds far above what these take when nothing waits (tens of milliseconds) and below the
  // 3 s one batch holds the lock: they only show that the calls did not queue behind imports.
  auto started = steady_clock::now();
  CommandResult who = okrd.Ctl({"whoami"});
  const auto whoami_took = steady_clock::now() - started;
  EXPECT_EQ(who.exit_code, 0) << who.err;
  EXPECT_LT(whoami_took, milliseconds(2000));
  started = steady_clock::now();
  const std::string health = HttpGet(http_port, "/healthz");
  const auto health_took = steady_clock::now() - started;
  EXPECT_NE(health.find("200"), std::string::npos) << health;
  EXPECT_LT(health_took, milliseconds(2000));
  // The imports still run while that happened: at least three of the five wait their turn.
  int running = 0;
  for (auto& import : imports) running += import->WaitExit(milliseconds(0)).has_value() ? 0 : 1;
  EXPECT_GE(running, 3);

  for (auto& import : imports) {
    std::optional<int> code = import->WaitExit(seconds(60));
    ASSERT_TRUE(code.has_value());
    EXPECT_EQ(*code, 0) << import->Err();
  }
  CommandResult progress = okrd.Ctl({"-o", "json", "progress", "--unit", "co", "--metric",
                                     "tickets", "--period", "2026-01", "--as-of", "2026-01-31"});
  ASSERT_EQ(progress.exit_code, 0) << progress.err;
  EXPECT_EQ(progress.Json().value("actual", -1.0), 15.0) << progress.out;
}

}  // namespace
}  // namespace okr::testing
