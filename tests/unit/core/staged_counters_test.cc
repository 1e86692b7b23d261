// Counters and audit sequence numbers drawn by a command that fails are not used up: memory
// never runs ahead of the database, so the next command draws what a replay of the log draws.
#include <gtest/gtest.h>

#include "services/core/apply.h"
#include "services/core/kudos.h"
#include "tests/unit/core/replay_fixture.h"

namespace okr {
namespace {

// Draws the kudos counter and an audit sequence number into the batch, then fails: what a
// command's apply does when it finds a problem after drawing its ids.
absl::Status DrawThenFail(ServerState& state) {
  return state.commands().Run(
      NewCommand(state, Admin()), [&](const store::Command& c, Applied& applied) {
        state.NextCounter(applied.batch, "kudos");
        state.Audit(applied.batch, NewAudit(c, "kudos.give", "a1"));
        return absl::FailedPreconditionError("found a problem after drawing");
      });
}

TEST(StagedCounters, AFailedApplyDrawsNothingAndTheNextCommandMatchesTheReplay) {
  ReplayServer a("a");
  ReplayServer b("b");
  SetUpOrg(a);
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  EXPECT_EQ(DrawThenFail(*a.state).code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(DrawThenFail(*a.state).code(), absl::StatusCode::kFailedPrecondition);
  // The failed commands are not logged, and the first kudos is still K1 (it was K3).
  EXPECT_EQ(a.state->commands().mark().seq(), kSetUpCommands);
  const Caller agent{"tok-a2", Role::kAgent, "a2"};
  auto kudos = GiveKudos(*a.state, agent, {"a1", "helped with a refund"});
  ASSERT_TRUE(kudos.ok()) << kudos.status();
  EXPECT_EQ(*kudos, "K1");

  // B replays A's log; the two hold the same keys, audit entries (their sequence numbers, and
  // the kudos record under K1) included.
  StartEmpty(b);
  ReplayLog(a, b);
  EXPECT_EQ(a.AllKeys(), b.AllKeys());
}

TEST(StagedCounters, ACommittedCommandKeepsWhatItDrew) {
  ReplayServer a("a");
  SetUpOrg(a);
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  const Caller agent{"tok-a2", Role::kAgent, "a2"};
  ASSERT_EQ(*GiveKudos(*a.state, agent, {"a1", "one"}), "K1");
  EXPECT_EQ(DrawThenFail(*a.state).code(), absl::StatusCode::kFailedPrecondition);
  // K1 stays drawn; the failed draw between is not: the next is K2.
  const Caller other{"tok-a1", Role::kAgent, "a1"};
  ASSERT_EQ(*GiveKudos(*a.state, other, {"a2", "two"}), "K2");
}

}  // namespace
}  // namespace okr
