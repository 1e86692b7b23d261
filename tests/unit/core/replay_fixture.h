// A server on a temp folder at a fixed clock, for tests that apply the same commands to two
// databases and compare them (command_replay_test.cc and the tests of each area's commands).
#ifndef OKR_TESTS_UNIT_CORE_REPLAY_FIXTURE_H_
#define OKR_TESTS_UNIT_CORE_REPLAY_FIXTURE_H_

#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/asio/thread_pool.hpp>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "services/core/apply.h"
#include "services/core/org_ops.h"
#include "services/core/server_state.h"
#include "store/rollup.h"

namespace okr {

// 2026-06-15 12:00:00 UTC.
constexpr int64_t kNowMicros = 1'781'524'800'000'000;

struct ReplayServer {
  explicit ReplayServer(const std::string& name) {
    dir = std::filesystem::temp_directory_path() /
          ("okr-replay-" + std::to_string(::getpid()) + "-" + name + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir);
    db = *store::Db::Open(dir.string(), store::DbOptions{.sync = false});
    tokens = std::make_unique<TokenRegistry>(db.get());
    state = std::make_unique<ServerState>(db.get(), tokens.get(), &pool,
                                          Clock{[] { return kNowMicros; }, TimeZone{}});
  }
  ~ReplayServer() {
    state.reset();
    tokens.reset();
    db.reset();
    std::filesystem::remove_all(dir);
  }

  // Every key of every column family, as (family, key) -> value. A roll-up of zero counts as
  // absent, as it reads (services/core/rollup_store.h): whether a checkpoint wrote it first
  // and a later command took it back to zero depends on when checkpoints ran.
  std::map<std::pair<int, std::string>, std::string> AllKeys() const {
    std::map<std::pair<int, std::string>, std::string> keys;
    for (int cf = 0; cf < static_cast<int>(store::Cf::kCount); ++cf) {
      EXPECT_TRUE(
          db->Scan(static_cast<store::Cf>(cf), "", [&](std::string_view k, std::string_view v) {
              if (static_cast<store::Cf>(cf) == store::Cf::kRollups &&
                  store::RollupValue::Decode(v) == store::RollupValue{}) {
                return true;
              }
              keys[{cf, std::string(k)}] = std::string(v);
              return true;
            }).ok());
    }
    return keys;
  }

  std::filesystem::path dir;
  boost::asio::thread_pool pool{1};
  std::unique_ptr<store::Db> db;
  std::unique_ptr<TokenRegistry> tokens;
  std::unique_ptr<ServerState> state;
};

inline Caller Admin() { return Caller{"admin", Role::kAdmin, ""}; }

// A server that has loaded its (empty) database: where another's log is replayed.
inline void StartEmpty(ReplayServer& server) { ASSERT_TRUE(server.state->Load().ok()); }

// co1 > t1 > g1 > a1, a2; metrics calls (count) and csat (ratio), through the operations, so
// that they are the first kSetUpCommands commands of the server's log (an org import, two
// metric definitions) and a server replaying it starts empty.
inline constexpr size_t kSetUpCommands = 3;
inline void SetUpOrg(ReplayServer& server) {
  StartEmpty(server);
  CsvUpload org;
  org.text =
      "unit_id,parent_id,kind,name,fte,start_date,end_date\n"
      "co1,,company,co1,,,\n"
      "t1,co1,team,t1,,,\n"
      "g1,t1,group,g1,,,\n"
      "a1,g1,agent,a1,,,\n"
      "a2,g1,agent,a2,,,\n";
  auto imported = ImportOrg(*server.state, Admin(), org);
  ASSERT_TRUE(imported.ok()) << imported.status();
  ASSERT_TRUE(imported->errors.empty()) << imported->errors.front();
  ASSERT_EQ(imported->created, 5);
  ASSERT_TRUE(DefineMetric(*server.state, Admin(),
                           Metric{"calls", MetricKind::kCount, Direction::kUp, 1.0, "", "calls"})
                  .ok());
  ASSERT_TRUE(DefineMetric(*server.state, Admin(),
                           Metric{"csat", MetricKind::kRatio, Direction::kUp, 1.0, "", "csat"})
                  .ok());
  ASSERT_EQ(server.state->commands().mark().seq(), kSetUpCommands);
}

// Every command of `server`'s log, in order.
inline std::vector<store::Command> LogOf(const ReplayServer& server) {
  std::vector<store::Command> log;
  EXPECT_TRUE(server.state->commands()
                  .ForEach(0,
                           [&](const store::Command& c) {
                             log.push_back(c);
                             return true;
                           })
                  .ok());
  return log;
}

// Replays `from`'s whole log onto `to`.
inline void ReplayLog(const ReplayServer& from, ReplayServer& to) {
  for (const store::Command& command : LogOf(from)) {
    absl::Status s = Replay(*to.state, command);
    ASSERT_TRUE(s.ok()) << "command " << command.seq() << ": " << s;
  }
}

}  // namespace okr

#endif  // OKR_TESTS_UNIT_CORE_REPLAY_FIXTURE_H_
