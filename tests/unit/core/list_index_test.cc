// The list indexes (history_index.h, alert_index.h) and the paged reads over them: History
// about a unit reads exactly the entries of the unit, its subtree and its ancestors, newest
// page first; a database written before the index reads the same once okrd indexed it at
// start, and the same without the index; ListAlerts by status and by unit in id order.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "services/core/alert_index.h"
#include "services/core/alert_list.h"
#include "services/core/alerts.h"
#include "services/core/history.h"
#include "services/core/history_index.h"
#include "services/core/outcome_list.h"
#include "services/core/outcomes.h"
#include "store/codecs.h"
#include "store/keys.h"
#include "tests/unit/core/replay_fixture.h"

namespace okr {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// co1 > t1 > g1 > {a1, a2}, set in memory only (no audit entry).
void SetOrg(ReplayServer& server) {
  ASSERT_TRUE(server.state->Load().ok());
  std::vector<Unit> units;
  for (auto [id, parent, kind] : std::vector<std::tuple<std::string, std::string, UnitKind>>{
           {"co1", "", UnitKind::kCompany},
           {"t1", "co1", UnitKind::kTeam},
           {"g1", "t1", UnitKind::kGroup},
           {"a1", "g1", UnitKind::kAgent},
           {"a2", "g1", UnitKind::kAgent}}) {
    Unit u;
    u.id = id;
    u.parent_id = parent;
    u.kind = kind;
    u.name = id;
    units.push_back(u);
  }
  server.state->SetOrg(std::make_shared<const OrgSnapshot>(std::move(units)));
}

store::AuditRecord Entry(const std::string& unit, const std::string& metric,
                         const std::string& reason) {
  store::AuditRecord r;
  r.set_actor("admin:admin");
  r.set_action("test");
  r.set_unit_id(unit);
  r.set_metric_id(metric);
  r.set_reason(reason);
  return r;
}

// e1 a1 calls, e2 a2 calls, e3 a1 csat, e4 g1 -, e5 a2 -, e6 a1 calls, e7 - calls.
void WriteEntries(ReplayServer& server) {
  store::Batch batch = server.db->NewBatch();
  for (const auto& [unit, metric, reason] :
       std::vector<std::tuple<std::string, std::string, std::string>>{{"a1", "calls", "e1"},
                                                                      {"a2", "calls", "e2"},
                                                                      {"a1", "csat", "e3"},
                                                                      {"g1", "", "e4"},
                                                                      {"a2", "", "e5"},
                                                                      {"a1", "calls", "e6"},
                                                                      {"", "calls", "e7"}}) {
    server.state->Audit(batch, Entry(unit, metric, reason));
  }
  ASSERT_TRUE(server.db->Commit(batch).ok());
}

struct Page {
  std::vector<std::string> reasons;
  std::string next;
};

Page History(ReplayServer& server, const std::string& unit, const std::string& metric,
             size_t limit = 1000, const std::string& before = "") {
  HistoryQuery query;
  query.unit_id = unit;
  query.metric_id = metric;
  query.limit = limit;
  query.before_cursor = before;
  auto page = QueryHistory(*server.state, Admin(), query);
  EXPECT_TRUE(page.ok()) << page.status();
  Page out;
  if (!page.ok()) return out;
  for (const AuditEntry& e : page->entries) out.reasons.push_back(e.reason);
  out.next = page->next_cursor;
  return out;
}

// The sequence numbers under one index range.
std::vector<int64_t> IndexedSeqs(ReplayServer& server, const IndexRange& range) {
  std::vector<int64_t> seqs;
  EXPECT_TRUE(server.db
                  ->Scan(range.cf, range.prefix,
                         [&](std::string_view key, std::string_view) {
                           store::KeyReader r(key.substr(range.prefix.size()));
                           seqs.push_back(r.I64().value_or(-1));
                           return true;
                         })
                  .ok());
  return seqs;
}

// The queries every history test checks, with what they return (by hand from WriteEntries).
void ExpectHistoryAnswers(ReplayServer& server) {
  // a1: its own entries and those of g1 above it; not a2's, not those without a unit.
  EXPECT_THAT(History(server, "a1", "").reasons, ElementsAre("e1", "e3", "e4", "e6"));
  EXPECT_THAT(History(server, "a1", "calls").reasons, ElementsAre("e1", "e6"));
  // g1: itself and both agents below it.
  EXPECT_THAT(History(server, "g1", "").reasons, ElementsAre("e1", "e2", "e3", "e4", "e5", "e6"));
  EXPECT_THAT(History(server, "", "calls").reasons, ElementsAre("e1", "e2", "e6", "e7"));
  EXPECT_THAT(History(server, "", "").reasons,
              ElementsAre("e1", "e2", "e3", "e4", "e5", "e6", "e7"));
  // Pages of 2 about a1 run back in time: e4 e6, then e1 e3, then none after.
  Page first = History(server, "a1", "", 2);
  EXPECT_THAT(first.reasons, ElementsAre("e4", "e6"));
  ASSERT_FALSE(first.next.empty());
  Page second = History(server, "a1", "", 2, first.next);
  EXPECT_THAT(second.reasons, ElementsAre("e1", "e3"));
  EXPECT_TRUE(second.next.empty());
}

TEST(HistoryIndex, EachEntryIsIndexedByItsUnitAndMetric) {
  ReplayServer server("a");
  SetOrg(server);
  WriteEntries(server);
  // Seqs 1..7 in the order written.
  EXPECT_THAT(IndexedSeqs(server, AuditUnitRange("a1", "")), ElementsAre(1, 3, 6));
  EXPECT_THAT(IndexedSeqs(server, AuditUnitRange("a1", "calls")), ElementsAre(1, 6));
  EXPECT_THAT(IndexedSeqs(server, AuditUnitRange("a2", "")), ElementsAre(2, 5));
  EXPECT_THAT(IndexedSeqs(server, AuditMetricRange("calls")), ElementsAre(1, 2, 6, 7));
  EXPECT_THAT(IndexedSeqs(server, AuditUnitRange("co1", "")), IsEmpty());
}

TEST(HistoryIndex, ReadsTheSameThroughTheIndexAndWithout) {
  ReplayServer server("a");
  SetOrg(server);
  WriteEntries(server);
  // Not marked complete yet (okrd marks it at start): History reads the audit family.
  ASSERT_FALSE(*HistoryIndexComplete(*server.db));
  ExpectHistoryAnswers(server);
  ASSERT_TRUE(BuildHistoryIndex(*server.db).ok());
  ASSERT_TRUE(*HistoryIndexComplete(*server.db));
  ExpectHistoryAnswers(server);
}

TEST(HistoryIndex, EntriesWrittenBeforeTheIndexAreIndexedAtStart) {
  ReplayServer server("a");
  // As an okrd before the index wrote them: the records alone.
  store::Batch batch = server.db->NewBatch();
  const std::vector<std::tuple<std::string, std::string, std::string>> entries = {
      {"a1", "calls", "e1"}, {"a2", "calls", "e2"}, {"a1", "csat", "e3"}, {"g1", "", "e4"},
      {"a2", "", "e5"},      {"a1", "calls", "e6"}, {"", "calls", "e7"}};
  int64_t seq = 0;
  for (const auto& [unit, metric, reason] : entries) {
    store::AuditRecord r = Entry(unit, metric, reason);
    r.set_seq(++seq);
    batch.PutProto(store::Cf::kAudit, store::AuditKey(seq), r);
  }
  ASSERT_TRUE(server.db->Commit(batch).ok());
  SetOrg(server);  // loads the state: the audit sequence goes on from 7
  EXPECT_THAT(IndexedSeqs(server, AuditUnitRange("a1", "")), IsEmpty());
  ASSERT_TRUE(BuildHistoryIndex(*server.db).ok());
  EXPECT_THAT(IndexedSeqs(server, AuditUnitRange("a1", "")), ElementsAre(1, 3, 6));
  ExpectHistoryAnswers(server);
  // A new entry after the build is indexed as it is written.
  store::Batch more = server.db->NewBatch();
  server.state->Audit(more, Entry("a1", "calls", "e8"));
  ASSERT_TRUE(server.db->Commit(more).ok());
  EXPECT_THAT(History(server, "a1", "calls").reasons, ElementsAre("e1", "e6", "e8"));
}

store::AlertRecord AlertOf(const std::string& id, const std::string& unit, AlertStatus status) {
  store::AlertRecord r;
  r.set_alert_id(id);
  r.set_unit_id(unit);
  r.set_status(static_cast<int>(status));
  return r;
}

std::vector<std::string> Ids(const AlertPage& page) {
  std::vector<std::string> ids;
  for (const store::AlertRecord& r : page.alerts) ids.push_back(r.alert_id());
  return ids;
}

AlertPage Alerts(ReplayServer& server, const std::string& unit, AlertStatus status,
                 size_t limit = 1000, const std::string& after = "") {
  AlertQuery query;
  query.unit_id = unit;
  query.status = static_cast<int>(status);
  query.page.limit = limit;
  query.page.after = after;
  auto page = ListAlertsPage(*server.state, Admin(), query);
  EXPECT_TRUE(page.ok()) << page.status();
  return page.ok() ? *page : AlertPage{};
}

void ExpectAlertAnswers(ReplayServer& server) {
  const AlertStatus any = static_cast<AlertStatus>(0);
  // By number: A2 before A10.
  EXPECT_THAT(Ids(Alerts(server, "", any)), ElementsAre("A1", "A2", "A10"));
  EXPECT_THAT(Ids(Alerts(server, "", AlertStatus::kOpen)), ElementsAre("A2"));
  EXPECT_THAT(Ids(Alerts(server, "", AlertStatus::kResolved)), ElementsAre("A1"));
  EXPECT_THAT(Ids(Alerts(server, "a1", any)), ElementsAre("A1", "A10"));
  EXPECT_THAT(Ids(Alerts(server, "g1", AlertStatus::kAcked)), ElementsAre("A10"));
  EXPECT_THAT(Ids(Alerts(server, "a2", AlertStatus::kAcked)), IsEmpty());
  AlertPage first = Alerts(server, "g1", any, 2);
  EXPECT_THAT(Ids(first), ElementsAre("A1", "A2"));
  ASSERT_FALSE(first.next_cursor.empty());
  AlertPage second = Alerts(server, "g1", any, 2, first.next_cursor);
  EXPECT_THAT(Ids(second), ElementsAre("A10"));
  EXPECT_TRUE(second.next_cursor.empty());
}

TEST(AlertIndex, ListsByStatusAndUnitInIdOrder) {
  ReplayServer server("a");
  SetOrg(server);
  store::Batch batch = server.db->NewBatch();
  PutAlert(batch, AlertOf("A1", "a1", AlertStatus::kOpen));
  PutAlert(batch, AlertOf("A2", "a2", AlertStatus::kOpen));
  PutAlert(batch, AlertOf("A10", "a1", AlertStatus::kAcked));
  ASSERT_TRUE(server.db->Commit(batch).ok());
  // A1 resolved: its open key goes, its resolved key comes.
  store::Batch change = server.db->NewBatch();
  PutAlert(change, AlertOf("A1", "a1", AlertStatus::kResolved));
  ASSERT_TRUE(server.db->Commit(change).ok());
  ExpectAlertAnswers(server);  // without the index: every alert read and filtered
  ASSERT_TRUE(BuildAlertIndex(*server.db).ok());
  ASSERT_TRUE(*AlertIndexComplete(*server.db));
  std::vector<std::string> open;
  const IndexRange range = AlertStatusRange(static_cast<int>(AlertStatus::kOpen));
  ASSERT_TRUE(server.db
                  ->Scan(range.cf, range.prefix,
                         [&](std::string_view key, std::string_view) {
                           open.push_back(AlertIdAt(key.substr(range.prefix.size())));
                           return true;
                         })
                  .ok());
  EXPECT_THAT(open, ElementsAre("A2"));
  ExpectAlertAnswers(server);  // through the index
}

// The explanations ("unit/index") of a page of payouts.
std::vector<std::string> Explanations(const OutcomePage<store::PayoutRecord>& page) {
  std::vector<std::string> out;
  for (const store::PayoutRecord& p : page.records) out.push_back(p.explanation());
  return out;
}

OutcomePage<store::PayoutRecord> Payouts(ReplayServer& server, const std::string& unit,
                                         size_t limit, const std::string& after = "") {
  OutcomeQuery query;
  query.month = "2026-05";
  query.unit_id = unit;
  query.page.limit = limit;
  query.page.after = after;
  auto page = ListPayoutsPage(*server.state, Admin(), query);
  EXPECT_TRUE(page.ok()) << page.status();
  return page.ok() ? *page : OutcomePage<store::PayoutRecord>{};
}

TEST(OutcomePaging, PayoutsPageInKeyOrderBySubtreeOrMonth) {
  ReplayServer server("a");
  SetOrg(server);
  store::Batch batch = server.db->NewBatch();
  auto put = [&](const std::string& month, const std::string& unit, int index) {
    store::PayoutRecord p;
    p.set_unit_id(unit);
    p.set_month(month);
    p.set_plugin("bonus");
    p.set_explanation(unit + "/" + std::to_string(index));
    batch.PutProto(store::Cf::kOutcomes, PayoutKey(month, unit, "bonus", index), p);
  };
  put("2026-05", "a1", 0);
  put("2026-05", "a1", 1);
  put("2026-05", "a2", 0);
  put("2026-05", "co1", 0);  // not below g1
  put("2026-06", "a1", 0);   // another month
  ASSERT_TRUE(server.db->Commit(batch).ok());
  // Below g1 (a1, a2, g1: read unit by unit): a1/0 a1/1, then a2/0 and no next page.
  auto first = Payouts(server, "g1", 2);
  EXPECT_THAT(Explanations(first), ElementsAre("a1/0", "a1/1"));
  ASSERT_FALSE(first.next_cursor.empty());
  auto second = Payouts(server, "g1", 2, first.next_cursor);
  EXPECT_THAT(Explanations(second), ElementsAre("a2/0"));
  EXPECT_TRUE(second.next_cursor.empty());
  // The whole month, in key order (a1, a2, co1): a full last page has no next page either.
  auto all_first = Payouts(server, "", 2);
  EXPECT_THAT(Explanations(all_first), ElementsAre("a1/0", "a1/1"));
  auto all_second = Payouts(server, "", 2, all_first.next_cursor);
  EXPECT_THAT(Explanations(all_second), ElementsAre("a2/0", "co1/0"));
  EXPECT_TRUE(all_second.next_cursor.empty());
}

}  // namespace
}  // namespace okr
