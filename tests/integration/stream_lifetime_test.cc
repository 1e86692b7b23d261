// Streams end when their right to run ends (issue 22): revoking a token ends that token's
// open watches at once with UNAUTHENTICATED (and no other watch), and SIGTERM ends every watch
// at once with UNAVAILABLE instead of leaving them to gRPC's 5 s shutdown deadline.
//
// okrctl's exit code is the gRPC status code: UNAUTHENTICATED is 16, UNAVAILABLE is 14.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "tests/integration/build_paths.h"
#include "tests/integration/child_process.h"
#include "tests/integration/fixtures.h"
#include "tests/integration/harness.h"
#include "tests/integration/wait_for.h"

namespace okr::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr char kOrg[] =
    "unit_id,parent_id,kind,name,fte\n"
    "co,,company,Co,\n"
    "g1,co,group,G1,\n"
    "a1,g1,agent,Ann,1.0\n";

class StreamLifetime : public ::testing::Test {
 protected:
  void SetUp() override { SetUpTickets(okrd_, kOrg); }

  // A new lead token of g1: {"token": secret, "token_id": id, ...}.
  nlohmann::json LeadToken() {
    CommandResult r =
        okrd_.Ctl({"-o", "json", "token", "create", "--role", "lead", "--unit", "g1"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.exit_code == 0 ? r.Json() : nlohmann::json::object();
  }

  // `okrctl progress --watch` of g1 with `token`, capped by /usr/bin/timeout should the test
  // die; returns once its first document has arrived.
  std::unique_ptr<ChildProcess> Watch(const std::string& token) {
    auto watch = std::make_unique<ChildProcess>(std::vector<std::string>{
        "/usr/bin/timeout", "60", OkrctlPath(), "--server", okrd_.address(), "--token", token, "-o",
        "json", "progress", "--unit", "g1", "--metric", "tickets", "--period", "2026-01", "--as-of",
        "2026-01-15", "--watch"});
    EXPECT_TRUE(WaitFor(10, [&] { return !watch->JsonLines().empty(); })) << watch->Err();
    return watch;
  }

  OkrdProcess okrd_;
};

TEST_F(StreamLifetime, RevokingATokenEndsItsWatchesAtOnceAndNoOthers) {
  const nlohmann::json doomed = LeadToken();
  const std::string doomed_id = doomed.value("token_id", "");
  ASSERT_FALSE(doomed_id.empty()) << doomed.dump();
  auto revoked_watch = Watch(doomed.value("token", ""));
  auto other_watch = Watch(LeadToken().value("token", ""));

  ASSERT_EQ(okrd_.Ctl({"token", "revoke", doomed_id}).exit_code, 0);
  // Ended at once: well before any deadline of gRPC's (bounded only so a failure ends).
  std::optional<int> code = revoked_watch->WaitExit(seconds(10));
  ASSERT_TRUE(code.has_value()) << "the revoked token's watch still runs";
  EXPECT_EQ(*code, 16) << revoked_watch->Err();
  EXPECT_NE(revoked_watch->Err().find("revoked"), std::string::npos) << revoked_watch->Err();
  // The other token's watch goes on, and still receives: an import pushes a document.
  EXPECT_FALSE(other_watch->WaitExit(milliseconds(300)).has_value()) << other_watch->Err();
  const size_t before = other_watch->JsonLines().size();
  ASSERT_EQ(okrd_
                .Ctl({"actuals", "import",
                      okrd_.WriteFile("a.csv",
                                      "event_id,unit_id,metric,date,value\n"
                                      "e1,a1,tickets,2026-01-02,5\n")})
                .exit_code,
            0);
  EXPECT_TRUE(WaitFor(10, [&] { return other_watch->JsonLines().size() > before; }));
}

TEST_F(StreamLifetime, ShutdownEndsWatchesAtOnceWithUnavailable) {
  auto watch = Watch(okrd_.admin_token());
  const auto stopping = std::chrono::steady_clock::now();
  okrd_.Stop();  // SIGTERM, and waits for okrd to exit
  const auto stopped = std::chrono::steady_clock::now() - stopping;
  std::optional<int> code = watch->WaitExit(seconds(10));
  ASSERT_TRUE(code.has_value());
  EXPECT_EQ(*code, 14) << watch->Err();
  EXPECT_NE(watch->Err().find("shutting down"), std::string::npos) << watch->Err();
  // gRPC's own deadline for in-flight calls is 5 s: an open watch no longer waits it out.
  EXPECT_LT(stopped, seconds(4));
  okrd_.Start();
}

}  // namespace
}  // namespace okr::testing
