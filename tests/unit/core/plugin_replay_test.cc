// The commands of plugins, closes, alerts, kudos and backups replay to the same keys.
//
// Server A runs the operations (and, where an operation needs a plugin host, which a unit test
// does not have, runs its command with the plugin's outputs made by hand through the same
// Apply function); A's log is then replayed onto B and every key of the two is compared.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "services/core/alerts.h"
#include "services/core/apply.h"
#include "services/core/backup_ops.h"
#include "services/core/kudos.h"
#include "services/core/outcomes.h"
#include "services/core/plugin_admin_ops.h"
#include "services/core/plugin_config_ops.h"
#include "services/core/plugin_ops.h"
#include "store/keys.h"
#include "tests/unit/core/replay_fixture.h"

namespace okr {
namespace {

using ::testing::ElementsAre;

store::LoggedBreach Breach(std::string unit, std::string rule, std::string window_first,
                           std::string lead) {
  store::LoggedBreach b;
  b.set_unit_id(std::move(unit));
  b.set_rule(std::move(rule));
  b.set_severity("warning");
  b.set_figures("4 complaints in 14 days (limit 3)");
  b.set_breach_key("complaints/" + window_first);
  b.set_window_first(std::move(window_first));
  b.set_lead_unit(std::move(lead));
  return b;
}

absl::Status Breaches(ReplayServer& server, const Date& as_of,
                      std::vector<store::LoggedBreach> breaches) {
  std::lock_guard<std::mutex> lock(server.state->alerts_mu);
  return RecordBreaches(*server.state, "redline", "1.0", as_of, std::move(breaches));
}

store::PayoutRecord Payout(std::string unit, double amount) {
  store::PayoutRecord p;
  p.set_unit_id(std::move(unit));
  p.set_month("2026-05");
  p.set_amount(amount);
  p.set_currency("EUR");
  p.set_rule("tier 1");
  p.set_explanation("calls at 104%");
  p.set_plugin("tiered_bonus");
  p.set_plugin_version("1.2.0");
  p.set_config_json("{\"tiers\":[]}");
  return p;
}

// A month close with the results its plugins would have given, through ApplyClosePeriod.
absl::StatusOr<CloseResult> Close(ReplayServer& server, std::vector<store::PayoutRecord> payouts,
                                  std::vector<store::AwardRecord> awards) {
  store::Command command = NewCommand(*server.state, Admin());
  command.mutable_close_period()->set_month("2026-05");
  for (auto& p : payouts) *command.mutable_close_period()->add_payouts() = std::move(p);
  for (auto& a : awards) *command.mutable_close_period()->add_awards() = std::move(a);
  CloseResult out;
  absl::Status s = server.state->commands().Run(
      std::move(command), [&](const store::Command& c, Applied& applied) {
        return ApplyClosePeriod(*server.state, c, applied, &out);
      });
  if (!s.ok()) return s;
  return out;
}

// A plugin config as ConfigurePlugin stores it once the plugin accepted it.
absl::Status Configure(ReplayServer& server, std::string unit, std::string config) {
  store::Command command = NewCommand(*server.state, Admin());
  command.mutable_configure_plugin()->set_plugin("tiered_bonus");
  command.mutable_configure_plugin()->set_unit_id(std::move(unit));
  command.mutable_configure_plugin()->set_config_json(std::move(config));
  return server.state->commands().Run(std::move(command),
                                      [&](const store::Command& c, Applied& applied) {
                                        return ApplyConfigurePlugin(*server.state, c, applied);
                                      });
}

// A plugin loaded into the host: its audit entry.
absl::Status PluginLoaded(ReplayServer& server) {
  store::Command command = NewCommand(*server.state, Admin());
  command.mutable_plugin_change()->set_action("plugin.load");
  command.mutable_plugin_change()->set_plugin("tiered_bonus");
  return server.state->commands().Run(std::move(command),
                                      [&](const store::Command& c, Applied& applied) {
                                        return ApplyPluginChange(*server.state, c, applied);
                                      });
}

// The kinds of `server`'s log after SetUpOrg's commands.
std::vector<store::Command::KindCase> KindsOf(const ReplayServer& server) {
  std::vector<store::Command::KindCase> kinds;
  for (const store::Command& c : LogOf(server)) {
    if (c.seq() > kSetUpCommands) kinds.push_back(c.kind_case());
  }
  return kinds;
}

class PluginReplay : public ::testing::Test {
 protected:
  void SetUp() override {
    SetUpOrg(a_);
    // B starts empty and gets everything, the org included, from A's log. Its clock reads a
    // day later than A's: an Apply that read the clock (not the command's accepted time)
    // would write other keys on B.
    b_.state = std::make_unique<ServerState>(
        b_.db.get(), b_.tokens.get(), &b_.pool,
        Clock{[] { return kNowMicros + 86'400'000'000; }, TimeZone{}});
    StartEmpty(b_);
    backups_ = a_.dir.string() + "-backups";
    std::filesystem::remove_all(backups_);
    std::filesystem::create_directories(backups_);
    a_.state->set_folders("", backups_);
  }
  void TearDown() override { std::filesystem::remove_all(backups_); }

  void ExpectSameKeys() {
    ReplayLog(a_, b_);
    const auto a_keys = a_.AllKeys();
    const auto b_keys = b_.AllKeys();
    EXPECT_EQ(a_keys.size(), b_keys.size());
    EXPECT_TRUE(a_keys == b_keys);
    EXPECT_EQ(b_.state->commands().mark().seq(), a_.state->commands().mark().seq());
    EXPECT_EQ(b_.state->commands().mark().hash(), a_.state->commands().mark().hash());
  }

  ReplayServer a_{"a"};
  ReplayServer b_{"b"};
  std::string backups_;
};

TEST_F(PluginReplay, KudosAlertsClosesConfigsAndBackupsReplayToTheSameKeys) {
  const Caller agent{"tok-a2", Role::kAgent, "a2"};

  // Kudos: the first of the day is K1; the second from the same giver is refused, unlogged.
  auto kudos = GiveKudos(*a_.state, agent, {"a1", "helped with a refund"});
  ASSERT_TRUE(kudos.ok()) << kudos.status();
  EXPECT_EQ(*kudos, "K1");
  EXPECT_EQ(GiveKudos(*a_.state, agent, {"a1", "again"}).status().code(),
            absl::StatusCode::kFailedPrecondition);

  // A red-line breach opens A1 (escalated to g1); the same breach a day later is seen again.
  ASSERT_TRUE(
      Breaches(a_, Date{2026, 6, 14}, {Breach("a1", "complaints", "2026-06-01", "g1")}).ok());
  ASSERT_TRUE(
      Breaches(a_, Date{2026, 6, 15}, {Breach("a1", "complaints", "2026-06-02", "g1")}).ok());
  // With a timeout of 0 the open alert escalates from g1 to t1; acknowledged, it stays.
  ASSERT_TRUE(EscalateAlerts(*a_.state, 0).ok());
  auto acked = SetAlertStatus(*a_.state, Admin(), {"A1", AlertStatus::kAcked, "on it"});
  ASSERT_TRUE(acked.ok()) << acked.status();
  ASSERT_TRUE(EscalateAlerts(*a_.state, 0).ok());  // nothing open: logs nothing
  ASSERT_TRUE(SetAlertStatus(*a_.state, Admin(), {"A1", AlertStatus::kResolved, "coached"}).ok());

  // May closed twice: the second close replaces the first's results and is version 2.
  store::AwardRecord award;
  award.set_unit_id("a2");
  award.set_month("2026-05");
  award.set_award("peer favourite");
  award.set_plugin("recognition");
  award.set_plugin_version("0.3.0");
  auto first = Close(a_, {Payout("a1", 120), Payout("a1", 30), Payout("a2", 80)}, {award});
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->close_version, 1);
  EXPECT_EQ(first->payouts, 3);
  auto second = Close(a_, {Payout("a2", 95)}, {});
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->close_version, 2);
  EXPECT_EQ(second->awards, 0);

  ASSERT_TRUE(Configure(a_, "g1", "{\"tiers\":[1]}").ok());
  ASSERT_TRUE(Configure(a_, "g1", "{\"tiers\":[2]}").ok());  // replaces it: audited before/after
  ASSERT_TRUE(PluginLoaded(a_).ok());
  auto backup = Backup(*a_.state, Admin(), "2026-06-15");
  ASSERT_TRUE(backup.ok()) << backup.status();

  using K = store::Command::KindCase;
  EXPECT_THAT(KindsOf(a_),
              ElementsAre(K::kGiveKudos, K::kRecordBreaches, K::kRecordBreaches, K::kEscalateAlerts,
                          K::kAlertStatus, K::kAlertStatus, K::kClosePeriod, K::kClosePeriod,
                          K::kConfigurePlugin, K::kConfigurePlugin, K::kPluginChange, K::kBackup));

  ExpectSameKeys();

  // What B holds, from its own replay: A1 resolved after one escalation, seen on the 15th.
  auto alerts = LoadAlerts(*b_.state);
  ASSERT_TRUE(alerts.ok());
  ASSERT_EQ(alerts->size(), 1u);
  const store::AlertRecord& alert = alerts->front();
  EXPECT_EQ(alert.alert_id(), "A1");
  EXPECT_TRUE(HasStatus(alert, AlertStatus::kResolved));
  EXPECT_EQ(alert.escalated_to(), "t1");
  EXPECT_EQ(alert.escalation_level(), 1);
  EXPECT_EQ(alert.last_seen(), "2026-06-15");
  EXPECT_EQ(alert.opened_at_unix(), kNowMicros / 1000000);
  EXPECT_EQ(alert.acked_by(), "admin:admin");
  EXPECT_EQ(alert.resolve_note(), "coached");
  // May's results are the second close's only: a2's 95, at version 2.
  auto payouts = LoadPayouts(*b_.state, "2026-05");
  ASSERT_TRUE(payouts.ok());
  ASSERT_EQ(payouts->size(), 1u);
  EXPECT_EQ(payouts->front().unit_id(), "a2");
  EXPECT_EQ(payouts->front().amount(), 95);
  EXPECT_EQ(payouts->front().close_version(), 2);
  auto awards = LoadAwards(*b_.state, "2026-05");
  ASSERT_TRUE(awards.ok());
  EXPECT_TRUE(awards->empty());
  // The kudos and the config are there too.
  EXPECT_EQ(PeerKudosReceived(*b_.state, "2026-06").at("a1"), 1);
  EXPECT_EQ(PluginConfigs(*b_.state)["tiered_bonus"]["g1"], "{\"tiers\":[2]}");
}

TEST_F(PluginReplay, TheAlertsOfOneEvaluationTakeTheSameIdsOnBothSides) {
  ASSERT_TRUE(Breaches(a_, Date{2026, 6, 14},
                       {Breach("a2", "complaints", "2026-06-03", "g1"),
                        Breach("a1", "complaints", "2026-06-01", "g1")})
                  .ok());
  ExpectSameKeys();
  auto alerts = LoadAlerts(*b_.state);
  ASSERT_TRUE(alerts.ok());
  ASSERT_EQ(alerts->size(), 2u);
  EXPECT_EQ((*alerts)[0].alert_id(), "A1");
  EXPECT_EQ((*alerts)[0].unit_id(), "a2");
  EXPECT_EQ((*alerts)[1].alert_id(), "A2");
  EXPECT_EQ((*alerts)[1].unit_id(), "a1");
}

TEST_F(PluginReplay, IndexingWritesOnlyTheMissingEntriesAndLogsNothingWhenNoneIsMissing) {
  // An alert stored before the rule index existed, on both databases alike (not a command).
  store::AlertRecord legacy;
  legacy.set_alert_id("A7");
  legacy.set_unit_id("a1");
  legacy.set_rule("complaints");
  legacy.set_plugin("redline");
  legacy.set_status(static_cast<int>(AlertStatus::kOpen));
  for (ReplayServer* server : {&a_, &b_}) {
    store::Batch batch = server->db->NewBatch();
    batch.PutProto(store::Cf::kAlerts, AlertKey("A7"), legacy);
    ASSERT_TRUE(server->db->Commit(batch).ok());
  }
  ASSERT_TRUE(IndexAlerts(*a_.state).ok());
  ASSERT_TRUE(IndexAlerts(*a_.state).ok());  // all indexed now: nothing to write, nothing logged
  EXPECT_THAT(KindsOf(a_), ElementsAre(store::Command::kIndexAlerts));
  const std::string index_key =
      store::KeyBuilder().Byte('r').Str("redline").Str("a1").Str("complaints").I64(7).Release();
  auto indexed = a_.db->Get(store::Cf::kAlerts, index_key);
  ASSERT_TRUE(indexed.ok());
  ASSERT_TRUE(indexed->has_value());
  EXPECT_EQ(**indexed, "A7");
  ExpectSameKeys();
}

TEST_F(PluginReplay, ARefusedAlertChangeWritesNothingAndIsNotLogged) {
  const auto before = a_.AllKeys();
  auto missing = SetAlertStatus(*a_.state, Admin(), {"A9", AlertStatus::kAcked, ""});
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(GiveKudos(*a_.state, Admin(), {"g1", "a group"}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(a_.AllKeys() == before);
  EXPECT_EQ(a_.state->commands().mark().seq(), kSetUpCommands);
}

}  // namespace
}  // namespace okr
