// Health that tells (issue 22, item 3): /healthz follows the same readiness as the gRPC health
// service, and shutdown turns it NOT_SERVING first, while okrd still answers (for
// --shutdown-drain-seconds), before it stops taking calls. /livez stays 200 while okrd answers.
// A full disk (writes refused) is tested on a real small disk: tests/fault/disk_full_test.cc.
#include <gtest/gtest.h>
#include <signal.h>

#include <string>

#include "tests/integration/grpc_health.h"
#include "tests/integration/harness.h"
#include "tests/integration/http_client.h"
#include "tests/integration/wait_for.h"

namespace okr::testing {
namespace {

std::string HttpGet(int port, const std::string& target) {
  return Exchange(port,
                  "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
}

class Health : public ::testing::Test {
 protected:
  Health()
      : http_port_(FreePort()),
        okrd_({"--http-listen", "127.0.0.1:" + std::to_string(http_port_),
               "--shutdown-drain-seconds", "3"}) {}

  int http_port_;
  OkrdProcess okrd_;
};

TEST_F(Health, ServingOnBothSidesWhileOkrdRuns) {
  const std::string health = HttpGet(http_port_, "/healthz");
  EXPECT_EQ(StatusOf(health), 200);
  EXPECT_EQ(Body(health), "SERVING\n");
  EXPECT_EQ(GrpcHealth(okrd_.address()), kHealthServing);
  const std::string live = HttpGet(http_port_, "/livez");
  EXPECT_EQ(StatusOf(live), 200);
  EXPECT_EQ(Body(live), "ALIVE\n");
}

TEST_F(Health, ShutdownTurnsBothSidesNotServingWhileOkrdStillAnswers) {
  ASSERT_EQ(::kill(okrd_.pid(), SIGTERM), 0);
  // Within the 3 s drain: NOT_SERVING on both sides, and okrd still answers calls and pages.
  std::string health;
  EXPECT_TRUE(WaitFor(2, [&] {
    health = HttpGet(http_port_, "/healthz");
    return StatusOf(health) == 503;
  })) << health;
  EXPECT_EQ(Body(health), "NOT_SERVING okrd is shutting down\n");
  EXPECT_EQ(GrpcHealth(okrd_.address()), kHealthNotServing);
  EXPECT_EQ(StatusOf(HttpGet(http_port_, "/livez")), 200);
  const CommandResult read = okrd_.Ctl({"metric", "list"});
  EXPECT_EQ(read.exit_code, 0) << read.err;
  // Then it stops, cleanly (Stop's own SIGTERM finds the first one at work).
  okrd_.Stop();
  EXPECT_EQ(okrd_.last_exit_status(), 0);
}

}  // namespace
}  // namespace okr::testing
