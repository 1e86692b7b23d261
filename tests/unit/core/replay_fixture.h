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

  // Every key of every column family, as (family, key) -> value.
  std::map<std::pair<int, std::string>, std::string> AllKeys() const {
    std::map<std::pair<int, std::string>, std::string> keys;
    for (int cf = 0; cf < static_cast<int>(store::Cf::kCount); ++cf) {
      EXPECT_TRUE(
          db->Scan(static_cast<store::Cf>(cf), "", [&](std::string_view k, std::string_view v) {
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

// co1 > t1 > g1 > a1, a2; metrics calls (count) and csat (ratio). Not through commands yet.
inline void SetUpOrg(ReplayServer& server) {
  ASSERT_TRUE(server.state->Load().ok());
  std::vector<Unit> units;
  auto add = [&](std::string id, std::string parent, UnitKind kind) {
    Unit u;
    u.id = id;
    u.parent_id = std::move(parent);
    u.kind = kind;
    u.name = std::move(id);
    units.push_back(u);
  };
  add("co1", "", UnitKind::kCompany);
  add("t1", "co1", UnitKind::kTeam);
  add("g1", "t1", UnitKind::kGroup);
  add("a1", "g1", UnitKind::kAgent);
  add("a2", "g1", UnitKind::kAgent);
  ASSERT_TRUE(CommitUnits(*server.state, units, store::AuditRecord()).ok());
  ASSERT_TRUE(DefineMetric(*server.state, Admin(),
                           Metric{"calls", MetricKind::kCount, Direction::kUp, 1.0, "", "calls"})
                  .ok());
  ASSERT_TRUE(DefineMetric(*server.state, Admin(),
                           Metric{"csat", MetricKind::kRatio, Direction::kUp, 1.0, "", "csat"})
                  .ok());
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
