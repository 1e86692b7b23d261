// The command log and Apply: the same log applied to two databases writes the same keys.
//
// Server A sets up its org and metrics and runs operations, all at a fixed clock; its log is
// then replayed with Replay() onto server B, which starts empty, and every key of every column
// family of the two databases is compared.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/asio/thread_pool.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <thread>

#include "services/core/actuals_ops.h"
#include "services/core/apply.h"
#include "services/core/org_ops.h"
#include "services/core/server_state.h"
#include "services/core/token_ops.h"
#include "store/codecs.h"
#include "tests/unit/core/replay_fixture.h"

namespace okr {
namespace {

using ::testing::HasSubstr;

ActualRow Row(std::string id, std::string unit, std::string metric, std::string date,
              std::string value, std::string denominator = "") {
  return ActualRow{0,
                   std::move(id),
                   std::move(unit),
                   std::move(metric),
                   std::move(date),
                   std::move(value),
                   std::move(denominator)};
}

absl::Status Ingest(ReplayServer& server, const std::vector<ActualRow>& rows,
                    IngestResult* out = nullptr) {
  IngestResult ignored;
  return IngestRows(*server.state, rows, /*skip_invalid=*/false, out ? out : &ignored);
}

class CommandReplay : public ::testing::Test {
 protected:
  void SetUp() override {
    SetUpOrg(a_);
    StartEmpty(b_);
  }
  // Replays a_'s whole log onto b_.
  void ReplayAOntoB() { ReplayLog(a_, b_); }

  ReplayServer a_{"a"};
  ReplayServer b_{"b"};
};

TEST_F(CommandReplay, TheSameLogWritesTheSameKeysInBothDatabases) {
  ASSERT_TRUE(Ingest(a_, {Row("e1", "a1", "calls", "2026-03-02", "5"),
                          Row("e2", "a2", "calls", "2026-03-02", "7"),
                          Row("e3", "a1", "csat", "2026-03-03", "4", "5")})
                  .ok());
  IngestResult second;
  // e1 again (a duplicate), e2 corrected to 9 on another day, e4 new.
  ASSERT_TRUE(Ingest(a_,
                     {Row("e1", "a1", "calls", "2026-03-02", "5"),
                      Row("e2", "a2", "calls", "2026-03-09", "9"),
                      Row("e4", "a2", "calls", "2026-04-01", "1")},
                     &second)
                  .ok());
  EXPECT_EQ(second.duplicates, 1);
  EXPECT_EQ(second.corrected, 1);
  EXPECT_EQ(second.accepted, 1);
  // A checkpoints its roll-ups here and once more at the end, B only at the end: where the
  // deltas were folded in must not change what either database holds.
  ASSERT_TRUE(a_.state->rollups().Checkpoint().ok());
  // More than one chunk: 45,000 events are three commands.
  std::vector<ActualRow> many;
  for (int i = 0; i < 45000; ++i) {
    many.push_back(Row("m" + std::to_string(i), i % 2 ? "a1" : "a2", "calls",
                       "2026-05-" + std::to_string(10 + i % 19), "1"));
  }
  ASSERT_TRUE(Ingest(a_, many).ok());
  ASSERT_TRUE(DeleteEvent(*a_.state, Admin(), "e4", "sent twice").ok());
  auto token = CreateToken(*a_.state, Admin(), TokenRequest{Role::kLead, "g1", "lead g1"});
  ASSERT_TRUE(token.ok()) << token.status();
  ASSERT_TRUE(RevokeToken(*a_.state, Admin(), token->record.token_id()).ok());

  // The set-up's 3, then 2 ingests + 3 chunks + delete + create + revoke; the duplicate-only
  // work logs nothing.
  const std::vector<store::Command> log = LogOf(a_);
  ASSERT_EQ(log.size(), 11u);
  for (size_t i = 0; i < log.size(); ++i) EXPECT_EQ(log[i].seq(), i + 1);
  // The secret is never logged.
  ASSERT_TRUE(log[9].has_create_token());
  EXPECT_THAT(log[9].DebugString(), ::testing::Not(HasSubstr(token->secret)));

  ReplayAOntoB();
  ASSERT_TRUE(a_.state->rollups().Checkpoint().ok());
  ASSERT_TRUE(b_.state->rollups().Checkpoint().ok());
  const auto a_keys = a_.AllKeys();
  const auto b_keys = b_.AllKeys();
  EXPECT_EQ(a_keys.size(), b_keys.size());
  EXPECT_TRUE(a_keys == b_keys);
  EXPECT_EQ(a_.state->commands().mark().seq(), 11u);
  EXPECT_EQ(b_.state->commands().mark().hash(), a_.state->commands().mark().hash());
  // And the replayed state reads the same: a1's May calls are its 22,500 events of 1.
  auto sums = ReadActualSums(*b_.state, "a1", "calls", Date{2026, 5, 1}, Date{2026, 5, 31});
  ASSERT_TRUE(sums.ok());
  EXPECT_EQ(sums->value_micros, 22'500'000'000);
  // b_ knows the revoked token as revoked, from its own replay.
  bool revoked = false;
  for (const auto& r : b_.state->tokens().List()) {
    if (r.token_id() == token->record.token_id()) revoked = r.revoked();
  }
  EXPECT_TRUE(revoked);
}

TEST_F(CommandReplay, TheRunningHashIsTheShaChainOfTheLoggedCommands) {
  ASSERT_TRUE(Ingest(a_, {Row("e1", "a1", "calls", "2026-03-02", "5")}).ok());
  ASSERT_TRUE(Ingest(a_, {Row("e2", "a1", "calls", "2026-03-03", "6")}).ok());
  std::string hash;
  for (const store::Command& command : LogOf(a_)) {
    hash = NextLogHash(hash, command.SerializeAsString());
  }
  EXPECT_EQ(hash.size(), 32u);
  EXPECT_EQ(a_.state->commands().mark().hash(), hash);
  // The mark is stored with the commands, and read back by a new log on the same database.
  CommandLog reopened(a_.db.get());
  ASSERT_TRUE(reopened.Load().ok());
  EXPECT_EQ(reopened.mark().seq(), 5u);
  EXPECT_EQ(reopened.mark().hash(), hash);
}

TEST_F(CommandReplay, AReplayedCommandOutOfOrderIsRefusedAndWritesNothing) {
  ASSERT_TRUE(Ingest(a_, {Row("e1", "a1", "calls", "2026-03-02", "5")}).ok());
  ASSERT_TRUE(Ingest(a_, {Row("e2", "a1", "calls", "2026-03-03", "6")}).ok());
  const std::vector<store::Command> log = LogOf(a_);
  const auto before = b_.AllKeys();
  absl::Status s = Replay(*b_.state, log[1]);  // 2 before 1 (b_ is empty)
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
  EXPECT_THAT(s.message(), HasSubstr("command 2 is out of order: the log is at 0"));
  EXPECT_TRUE(b_.AllKeys() == before);
}

TEST_F(CommandReplay, AFailedCommandWritesNothingAndTakesNoSequenceNumber) {
  ASSERT_TRUE(Ingest(a_, {Row("e1", "a1", "calls", "2026-03-02", "5")}).ok());
  const auto before = a_.AllKeys();
  auto missing = DeleteEvent(*a_.state, Admin(), "nope", "");
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(a_.AllKeys() == before);
  ASSERT_TRUE(Ingest(a_, {Row("e2", "a1", "calls", "2026-03-03", "6")}).ok());
  EXPECT_EQ(a_.state->commands().mark().seq(), 5u);
}

TEST_F(CommandReplay, ConcurrentWritersGetContiguousSequenceNumbers) {
  // Four threads of 25 ingests each: 100 commands after the set-up's 3, numbered 4..103 in the
  // order applied.
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        const std::string id = "t" + std::to_string(t) + "-" + std::to_string(i);
        EXPECT_TRUE(Ingest(a_, {Row(id, "a1", "calls", "2026-03-02", "1")}).ok());
      }
    });
  }
  for (auto& thread : threads) thread.join();
  const std::vector<store::Command> log = LogOf(a_);
  ASSERT_EQ(log.size(), 103u);
  for (size_t i = 0; i < log.size(); ++i) EXPECT_EQ(log[i].seq(), i + 1);
  ReplayAOntoB();
  EXPECT_TRUE(a_.AllKeys() == b_.AllKeys());
}

// A first start's admin token is the first command of an empty folder's log: it replays like
// any other, writes no audit entry, and its secret stays in the file alone.
TEST(FirstStart, TheAdminTokenIsAnUnauditedCommandOfTheLog) {
  ReplayServer a("a");
  ReplayServer b("b");
  StartEmpty(a);
  StartEmpty(b);
  const std::string file = a.dir.string() + "-admin.token";
  ASSERT_TRUE(a.tokens
                  ->Load(file,
                         [&](const TokenRegistry::Issued& admin) {
                           return StoreFirstAdminToken(*a.state, admin);
                         })
                  .ok());
  std::string secret;
  std::getline(std::ifstream(file), secret);
  std::filesystem::remove(file);
  const std::vector<store::Command> log = LogOf(a);
  ASSERT_EQ(log.size(), 1u);
  EXPECT_TRUE(log[0].create_token().first_start());
  EXPECT_EQ(log[0].create_token().record().token_id(), "admin");
  EXPECT_EQ(log[0].caller().token_id(), "okrd");
  EXPECT_THAT(log[0].DebugString(), ::testing::Not(HasSubstr(secret)));
  bool audited = false;
  ASSERT_TRUE(a.db->Scan(store::Cf::kAudit, "",
                         [&](std::string_view, std::string_view) {
                           audited = true;
                           return false;
                         })
                  .ok());
  EXPECT_FALSE(audited);

  ReplayLog(a, b);
  EXPECT_TRUE(a.AllKeys() == b.AllKeys());
  // B's registry, loaded from B's database, lets the same secret in.
  TokenRegistry replayed(b.db.get());
  ASSERT_TRUE(replayed.Load(b.dir.string() + "-unused.token").ok());
  auto caller = replayed.Authenticate("Bearer " + secret);
  ASSERT_TRUE(caller.ok()) << caller.status();
  EXPECT_EQ(caller->token_id, "admin");
}

}  // namespace
}  // namespace okr
