// The org, metric, plan and review commands: one server's log, replayed onto an empty one,
// writes the same keys.
//
// Server A builds its org and metrics through the operations (replay_fixture.h), changes the
// org (an import, a move that moves stored actuals, a deactivation), updates a metric, sets a
// target and holds, cascades, and proposes, comments, approves and rejects; all at a fixed
// clock. Server B starts from an empty database and replays A's log with Replay(); every key
// of every column family of the two databases is compared.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "services/core/actuals_ops.h"
#include "services/core/apply.h"
#include "services/core/org_ops.h"
#include "services/core/plan_ops.h"
#include "services/core/review_ops.h"
#include "store/keys.h"
#include "tests/unit/core/replay_fixture.h"

namespace okr {
namespace {

Caller LeadOf(const std::string& unit) { return Caller{"lead-" + unit, Role::kLead, unit}; }

// The stored month (1..12) of a unit's calls plan of 2026.
double PlannedMonth(ReplayServer& server, const std::string& unit, int month) {
  auto row = LoadPlanRow(*server.state, "calls", 2026, unit);
  EXPECT_TRUE(row.ok() && row->has_value()) << unit;
  return row.ok() && row->has_value() ? (**row)[month - 1] : -1;
}

class PlanReplay : public ::testing::Test {
 protected:
  void SetUp() override {
    SetUpOrg(a_);
    StartEmpty(b_);
  }

  ReplayServer a_{"a"};
  ReplayServer b_{"b"};
};

TEST_F(PlanReplay, OrgPlanAndReviewCommandsReplayOntoAnEmptyDatabase) {
  // The org grows: co1 > t2 > g2 > a3, a4.
  CsvUpload more;
  more.text =
      "unit_id,parent_id,kind,name,fte,start_date,end_date\n"
      "t2,co1,team,t2,,,\n"
      "g2,t2,group,g2,,,\n"
      "a3,g2,agent,a3,,,\n"
      "a4,g2,agent,a4,,,\n";
  auto imported = ImportOrg(*a_.state, Admin(), more);
  ASSERT_TRUE(imported.ok()) << imported.status();
  ASSERT_EQ(imported->created, 4);
  // A dry run changes nothing and logs nothing.
  more.dry_run = true;
  ASSERT_TRUE(ImportOrg(*a_.state, Admin(), more).ok());

  // a1 has actuals in March, and moves to g2 from March 1st: they move with it.
  IngestResult ingested;
  ASSERT_TRUE(IngestRows(*a_.state, {ActualRow{0, "e1", "a1", "calls", "2026-03-02", "5", ""}},
                         /*skip_invalid=*/false, &ingested)
                  .ok());
  ASSERT_EQ(ingested.accepted, 1);
  auto moved = MoveUnit(*a_.state, Admin(), UnitMove{"a1", "g2", Date{2026, 3, 1}, "rebalance"});
  ASSERT_TRUE(moved.ok()) << moved.status();
  auto ended = DeactivateUnit(*a_.state, Admin(), UnitEnd{"a4", std::optional<Date>(), "left"});
  ASSERT_TRUE(ended.ok()) << ended.status();
  ASSERT_TRUE(DefineMetric(*a_.state, Admin(),
                           Metric{"calls", MetricKind::kCount, Direction::kUp, 1.0, "", "Calls"})
                  .ok());

  auto target =
      SetTarget(*a_.state, Admin(), TargetChange{"co1", "calls", 2026, 12000, {}, "plan"});
  ASSERT_TRUE(target.ok()) << target.status();
  auto held = SetHold(
      *a_.state, Admin(),
      HoldChange{"t2", "calls", Period{Period::Kind::kMonth, 2026, 5}, 500, false, "campaign"});
  ASSERT_TRUE(held.ok()) << held.status();
  CascadeRun run;
  run.unit_id = "co1";
  run.metric_id = "calls";
  run.year = 2026;
  run.method = SplitMethod::kWeights;
  run.weights = {{"t1", 2}, {"t2", 1}};
  // A dry run first: nothing is logged.
  run.dry_run = true;
  auto dry = RunCascade(*a_.state, Admin(), run);
  ASSERT_TRUE(dry.ok()) << dry.status();
  EXPECT_EQ(dry->metrics.at(0).plan_version, 0);
  run.dry_run = false;
  auto cascaded = RunCascade(*a_.state, Admin(), run);
  ASSERT_TRUE(cascaded.ok()) << cascaded.status();
  // The target (1), the hold (2), the cascade (3).
  EXPECT_EQ(cascaded->metrics.at(0).plan_version, 3);
  EXPECT_EQ(PlannedMonth(a_, "t2", 5), 500);
  CascadeRun again;
  again.unit_id = "t1";
  again.all_metrics = true;
  again.year = 2026;
  again.from_month = std::make_pair(2026, 6);
  auto recascaded = RunCascade(*a_.state, LeadOf("t1"), again);
  ASSERT_TRUE(recascaded.ok()) << recascaded.status();
  ASSERT_EQ(recascaded->metrics.size(), 1u);
  auto cleared = SetHold(
      *a_.state, Admin(),
      HoldChange{"t2", "calls", Period{Period::Kind::kMonth, 2026, 5}, 0, true, "campaign moved"});
  ASSERT_TRUE(cleared.ok()) << cleared.status();

  // One call of April moves from t2 to t1.
  const double t1_april = PlannedMonth(a_, "t1", 4);
  const double t2_april = PlannedMonth(a_, "t2", 4);
  ASSERT_GT(t2_april, 0);
  ProposalDraft draft;
  draft.kind = ProposalKind::kRedistribute;
  draft.unit_id = "co1";
  draft.metric_id = "calls";
  draft.month = std::make_pair(2026, 4);
  draft.values = {{"t1", t1_april + 1}, {"t2", t2_april - 1}};
  draft.reason = "t1 takes the overflow";
  auto proposed = Propose(*a_.state, Admin(), draft);
  ASSERT_TRUE(proposed.ok()) << proposed.status();
  EXPECT_EQ(proposed->proposal_id, 1);
  ASSERT_TRUE(Comment(*a_.state, LeadOf("t1"), NewComment{1, "agreed"}).ok());
  auto approved = Decide(*a_.state, Admin(), Decision{1, true, ""});
  ASSERT_TRUE(approved.ok()) << approved.status();
  EXPECT_EQ(PlannedMonth(a_, "t1", 4), t1_april + 1);
  // Deciding it again fails, and logs nothing.
  EXPECT_EQ(Decide(*a_.state, Admin(), Decision{1, false, "no"}).status().code(),
            absl::StatusCode::kFailedPrecondition);

  ProposalDraft change;
  change.kind = ProposalKind::kChangeTarget;
  change.unit_id = "g2";
  change.metric_id = "calls";
  change.month = std::make_pair(2026, 7);
  change.values = {{"g2", PlannedMonth(a_, "g2", 7)}};
  change.reason = "same again";
  auto second = Propose(*a_.state, LeadOf("g2"), change);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->proposal_id, 2);
  ASSERT_TRUE(Decide(*a_.state, Admin(), Decision{2, false, "not now"}).ok());

  // The log, by hand: the set-up's import and two metrics, then every change above once; the
  // dry runs and the failed decision log nothing.
  const std::vector<store::Command> log = LogOf(a_);
  const std::vector<store::Command::KindCase> expected = {
      store::Command::kCommitUnits,    store::Command::kDefineMetric,
      store::Command::kDefineMetric,   store::Command::kCommitUnits,  // import t2...
      store::Command::kIngestActuals,  store::Command::kCommitUnits,  // move a1
      store::Command::kCommitUnits,                                   // deactivate a4
      store::Command::kDefineMetric,                                  // update calls
      store::Command::kSetTarget,      store::Command::kSetHold,
      store::Command::kCascade,        store::Command::kCascade,
      store::Command::kSetHold,  // clear
      store::Command::kPropose,        store::Command::kCommentProposal,
      store::Command::kDecideProposal, store::Command::kPropose,
      store::Command::kDecideProposal,
  };
  ASSERT_EQ(log.size(), expected.size());
  for (size_t i = 0; i < log.size(); ++i) {
    EXPECT_EQ(log[i].seq(), i + 1);
    EXPECT_EQ(log[i].kind_case(), expected[i]) << "command " << i + 1;
  }
  EXPECT_EQ(log[5].commit_units().audit().action(), "org.move");
  EXPECT_EQ(log[6].commit_units().audit().action(), "org.deactivate");
  EXPECT_TRUE(log[15].decide_proposal().approve());
  EXPECT_FALSE(log[17].decide_proposal().approve());

  ReplayLog(a_, b_);
  const auto a_keys = a_.AllKeys();
  const auto b_keys = b_.AllKeys();
  EXPECT_EQ(a_keys.size(), b_keys.size());
  for (const auto& [key, value] : a_keys) {
    auto it = b_keys.find(key);
    if (it == b_keys.end()) {
      ADD_FAILURE() << "b lacks family " << key.first << " key " << absl::CHexEscape(key.second);
    } else if (it->second != value) {
      ADD_FAILURE() << "b differs at family " << key.first << " key "
                    << absl::CHexEscape(key.second);
    }
  }
  EXPECT_TRUE(a_keys == b_keys);
  EXPECT_EQ(b_.state->commands().mark().hash(), a_.state->commands().mark().hash());

  // What B holds in memory came through the log too: the org, the metric, the versions.
  ASSERT_NE(b_.state->org()->Find("a1"), nullptr);
  EXPECT_EQ(b_.state->org()->Find("a1")->ParentOn(Date{2026, 3, 1}), "g2");
  EXPECT_TRUE(b_.state->org()->Find("a4")->deactivated);
  EXPECT_EQ(b_.state->FindMetric("calls")->name, "Calls");
  EXPECT_EQ(b_.state->PlanVersion("calls", 2026), a_.state->PlanVersion("calls", 2026));
  // a1's March call rolls up under g2 on B as on A.
  auto sums = ReadActualSums(*b_.state, "g2", "calls", Date{2026, 3, 1}, Date{2026, 3, 31});
  ASSERT_TRUE(sums.ok());
  EXPECT_EQ(sums->value_micros, 5'000'000);
}

TEST_F(PlanReplay, ARecordWithAMapIsStoredWithTheSameBytesEveryTime) {
  // Protobuf seeds a map's hash table at random: two equal plan rows, each with many weights,
  // are stored with the same bytes only if their entries are written in key order.
  store::PlanRecord one;
  store::PlanRecord two;
  for (int i = 0; i < 40; ++i) {
    (*one.mutable_weights())["u" + std::to_string(i)] = i;
    (*two.mutable_weights())["u" + std::to_string(i)] = i;
  }
  store::Batch batch = a_.db->NewBatch();
  batch.PutProto(store::Cf::kPlans, "one", one);
  batch.PutProto(store::Cf::kPlans, "two", two);
  ASSERT_TRUE(a_.db->Commit(batch).ok());
  auto stored_one = a_.db->Get(store::Cf::kPlans, "one");
  auto stored_two = a_.db->Get(store::Cf::kPlans, "two");
  ASSERT_TRUE(stored_one.ok() && stored_one->has_value());
  ASSERT_TRUE(stored_two.ok() && stored_two->has_value());
  EXPECT_EQ(**stored_one, **stored_two);
}

TEST_F(PlanReplay, ARefusedPlanChangeWritesNothingAndLogsNothing) {
  const auto before = a_.AllKeys();
  // No target to cascade, a hold to clear that is not there, a proposal that is not there.
  CascadeRun run;
  run.unit_id = "co1";
  run.metric_id = "calls";
  run.year = 2026;
  EXPECT_EQ(RunCascade(*a_.state, Admin(), run).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(SetHold(*a_.state, Admin(),
                    HoldChange{"t1", "calls", Period{Period::Kind::kYear, 2026, 0}, 0, true, ""})
                .status()
                .code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(Decide(*a_.state, Admin(), Decision{7, true, ""}).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(Comment(*a_.state, Admin(), NewComment{7, "hello"}).status().code(),
            absl::StatusCode::kNotFound);
  // A metric's kind never changes.
  EXPECT_EQ(DefineMetric(*a_.state, Admin(),
                         Metric{"calls", MetricKind::kRatio, Direction::kUp, 1.0, "", "calls"})
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(a_.AllKeys() == before);
  EXPECT_EQ(a_.state->commands().mark().seq(), kSetUpCommands);
  // And the next change takes the next version and sequence number.
  ASSERT_TRUE(SetTarget(*a_.state, Admin(), TargetChange{"co1", "calls", 2026, 100, {}, ""}).ok());
  EXPECT_EQ(a_.state->commands().mark().seq(), kSetUpCommands + 1);
  EXPECT_EQ(a_.state->PlanVersion("calls", 2026), 1);
}

}  // namespace
}  // namespace okr
