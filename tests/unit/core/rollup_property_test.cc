// Property: for random events (with duplicates, corrections and agents that move between
// groups), every unit's actual equals the sum, computed independently here, of the final
// values of the events of the agents that sat below it on each event's day.
#include <gtest/gtest.h>

#include <boost/asio/thread_pool.hpp>
#include <filesystem>
#include <map>
#include <random>

#include "services/core/actuals_ops.h"
#include "services/core/org_ops.h"
#include "services/core/server_state.h"
#include "store/rollup.h"

namespace okr {
namespace {

class RollupPropertyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("okr-rollup-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    auto db = store::Db::Open(dir_.string(), store::DbOptions{.sync = false});
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = *std::move(db);
    tokens_ = std::make_unique<TokenRegistry>(db_.get());
    // The events fall anywhere in 2026: the clock reads a day after them all (an actual
    // dated after today is refused).
    state_ =
        std::make_unique<ServerState>(db_.get(), tokens_.get(), &pool_,
                                      Clock::StartingAt(*ParseUtcInstant("2027-01-01T00:00:00Z")));
    ASSERT_TRUE(state_->Load().ok());
    caller_.token_id = "test";
    caller_.role = Role::kAdmin;
  }
  void TearDown() override {
    state_.reset();
    tokens_.reset();
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::filesystem::path dir_;
  boost::asio::thread_pool pool_{1};
  std::unique_ptr<store::Db> db_;
  std::unique_ptr<TokenRegistry> tokens_;
  std::unique_ptr<ServerState> state_;
  Caller caller_;
};

TEST_F(RollupPropertyTest, EveryUnitIsTheSumOfTheAgentsBelowIt) {
  std::mt19937 rng(20261128);
  // co -> t0, t1 -> g0..g3 (two per team) -> 12 agents; a few agents move on 2026-06-01.
  std::vector<Unit> units;
  auto add = [&](std::string id, std::string parent, UnitKind kind) {
    Unit u;
    u.id = std::move(id);
    u.parent_id = std::move(parent);
    u.kind = kind;
    u.name = u.id;
    units.push_back(u);
  };
  add("co", "", UnitKind::kCompany);
  for (int t = 0; t < 2; ++t) add("t" + std::to_string(t), "co", UnitKind::kTeam);
  for (int g = 0; g < 4; ++g)
    add("g" + std::to_string(g), "t" + std::to_string(g / 2), UnitKind::kGroup);
  for (int a = 0; a < 12; ++a) {
    add("a" + std::to_string(a), "g" + std::to_string(a % 4), UnitKind::kAgent);
    if (a % 5 == 0)
      units.back().moves.push_back(Move{Date{2026, 6, 1}, "g" + std::to_string((a + 1) % 4)});
  }
  ASSERT_TRUE(CommitUnits(*state_, units, store::AuditRecord()).ok());
  for (const char* id : {"calls", "csat"}) {
    const Metric metric{id,
                        std::string(id) == "calls" ? MetricKind::kCount : MetricKind::kRatio,
                        Direction::kUp,
                        1.0,
                        "",
                        id};
    ASSERT_TRUE(DefineMetric(*state_, caller_, metric).ok());
  }
  const OrgSnapshot& org = *state_->org();

  // The final content of every event id, as the independent model.
  struct Content {
    std::string agent, metric;
    Date day;
    int64_t value = 0, denominator = 0;
  };
  std::map<std::string, Content> model;
  std::uniform_int_distribution<int> agent_dist(0, 11), day_dist(0, 364), value_dist(0, 50),
      id_dist(0, 399), batch_size(1, 60);
  for (int batch = 0; batch < 40; ++batch) {
    std::vector<ActualRow> rows;
    for (int i = batch_size(rng); i > 0; --i) {
      // Ids repeat: the same content is a duplicate, new content a correction.
      const std::string id = "e" + std::to_string(id_dist(rng));
      Content c;
      auto known = model.find(id);
      if (known != model.end() && rng() % 2 == 0) {
        c = known->second;  // an exact duplicate
      } else {
        c.agent = "a" + std::to_string(agent_dist(rng));
        c.metric = known != model.end() ? known->second.metric : (rng() % 2 ? "calls" : "csat");
        c.day = Date::FromDayNumber(Date{2026, 1, 1}.DayNumber() + day_dist(rng));
        c.value = value_dist(rng);
        c.denominator = c.metric == "csat" ? c.value + 1 + value_dist(rng) : 0;
      }
      model[id] = c;
      rows.push_back({0, id, c.agent, c.metric, c.day.ToString(), std::to_string(c.value),
                      c.denominator ? std::to_string(c.denominator) : ""});
    }
    IngestResult reply;
    ASSERT_TRUE(IngestRows(*state_, rows, false, &reply).ok());
    ASSERT_EQ(reply.rejected, 0) << reply.errors.front();
  }

  for (const Unit& unit : units) {
    for (const char* metric : {"calls", "csat"}) {
      // Each whole month, and ranges whose ends fall mid-month or on month bounds (read from
      // day roll-ups at the ends and month roll-ups between).
      std::vector<std::pair<Date, Date>> ranges;
      for (int month = 1; month <= 12; ++month) {
        ranges.push_back({Date{2026, month, 1}, Date{2026, month, DaysInMonth(2026, month)}});
      }
      for (const auto& range :
           std::vector<std::pair<Date, Date>>{{{2026, 1, 1}, {2026, 12, 31}},
                                              {{2026, 2, 14}, {2026, 5, 3}},
                                              {{2026, 3, 1}, {2026, 3, 15}},
                                              {{2026, 3, 10}, {2026, 3, 31}},
                                              {{2026, 3, 10}, {2026, 3, 20}},
                                              {{2026, 1, 31}, {2026, 2, 1}},
                                              {{2026, 2, 1}, {2026, 4, 30}},
                                              {{2026, 2, 1}, {2026, 4, 29}},
                                              {{2026, 2, 2}, {2026, 4, 30}},
                                              {{2026, 11, 15}, {2026, 12, 31}}}) {
        ranges.push_back(range);
      }
      for (const auto& [first, last] : ranges) {
        const int month = first.month;
        int64_t value = 0, denominator = 0, events = 0;
        for (const auto& [id, c] : model) {
          if (c.metric != metric || c.day < first || c.day > last) continue;
          const auto chain = org.AncestryOn(c.agent, c.day);
          if (std::find(chain.begin(), chain.end(), unit.id) == chain.end()) continue;
          value += c.value * 1'000'000;
          denominator += c.denominator * 1'000'000;
          ++events;
        }
        auto sums = ReadActualSums(*state_, unit.id, metric, first, last);
        ASSERT_TRUE(sums.ok());
        EXPECT_EQ(sums->value_micros, value) << unit.id << " " << metric << " " << month;
        EXPECT_EQ(sums->denominator_micros, denominator) << unit.id << " " << metric;
        EXPECT_EQ(sums->events, events) << unit.id << " " << metric << " " << month;
      }
      // Day by day over a range that crosses months (what a red-line window reads).
      const Date first{2026, 2, 14}, last{2026, 5, 3};
      std::map<int, int64_t> day_value, day_events;
      for (const auto& [id, c] : model) {
        if (c.metric != metric || c.day < first || c.day > last) continue;
        const auto chain = org.AncestryOn(c.agent, c.day);
        if (std::find(chain.begin(), chain.end(), unit.id) == chain.end()) continue;
        day_value[c.day.DayNumber()] += c.value * 1'000'000;
        ++day_events[c.day.DayNumber()];
      }
      auto daily = ReadDailyActualSums(*state_, unit.id, metric, first, last);
      ASSERT_TRUE(daily.ok()) << daily.status();
      for (const auto& [day, sums] : *daily) {
        EXPECT_GE(day, first.DayNumber());
        EXPECT_LE(day, last.DayNumber());
        // A corrected-away day may keep a zero entry; a day with events must match exactly.
        EXPECT_EQ(sums.value_micros, day_value[day]) << unit.id << " " << metric << " " << day;
        EXPECT_EQ(sums.events, day_events[day]) << unit.id << " " << metric << " " << day;
      }
      for (const auto& [day, events] : day_events) {
        EXPECT_TRUE(daily->contains(day)) << unit.id << " " << metric << " day " << day;
      }
    }
  }
}

TEST(RollupKeys, DayKeysGiveBackTheirDate) {
  EXPECT_EQ(store::RollupDayKeyDate(store::RollupDayKey("a1", "calls", 20260214)), 20260214);
  EXPECT_EQ(store::RollupDayKeyDate(store::RollupMonthKey("a1", "calls", 202602)), std::nullopt);
  EXPECT_EQ(store::RollupDayKeyDate("not a key"), std::nullopt);
  const std::string day = store::RollupDayKey("a1", "calls", 20260214);
  EXPECT_EQ(store::RollupDayKeyDate(day.substr(0, day.size() - 1)), std::nullopt);
}

}  // namespace
}  // namespace okr
