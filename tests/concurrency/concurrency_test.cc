// Concurrency: cascades, holds, actuals imports (with corrections), review proposals and month
// closes run at once from parallel threads on overlapping subtrees of a real okrd. Afterwards
// the state must be one that some serial order of the acknowledged operations gives:
//   - actual totals of every unit are exactly the sum of the final content of every event;
//   - every plan is whole (each unit's months are the sum of its children's months);
//   - plan versions in the audit history are distinct and grow with the audit sequence, every
//     acknowledged cascade and approval is there with its version, and the current version is
//     the newest one;
//   - every proposal is pending, approved or rejected, and approved ones were applied.
// Also run under ThreadSanitizer (scripts/ci-sanitizers) for the server's own races.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "tests/fault/fault_client.h"
#include "tests/integration/fixtures.h"
#include "tests/integration/harness.h"

namespace okr::testing {
namespace {

using fault::Connect;
using fault::Context;

constexpr char kOrg[] =
    "unit_id,parent_id,kind,name,fte,start_date,end_date\n"
    "co,,company,Company,,,\n"
    "t1,co,team,Team one,,,\n"
    "t2,co,team,Team two,,,\n"
    "g1,t1,group,Group one,,,\n"
    "g2,t1,group,Group two,,,\n"
    "g3,t2,group,Group three,,,\n"
    "a1,g1,agent,A1,1.0,,\n"
    "a2,g1,agent,A2,1.0,,\n"
    "a3,g1,agent,A3,0.5,,\n"
    "a4,g2,agent,A4,1.0,,\n"
    "a5,g2,agent,A5,1.0,,\n"
    "a6,g3,agent,A6,1.0,,\n"
    "a7,g3,agent,A7,0.8,,\n";

const std::vector<std::string> kAgents = {"a1", "a2", "a3", "a4", "a5", "a6", "a7"};
const std::map<std::string, std::vector<std::string>> kChildren = {
    {"co", {"t1", "t2"}},       {"t1", {"g1", "g2"}}, {"t2", {"g3"}},
    {"g1", {"a1", "a2", "a3"}}, {"g2", {"a4", "a5"}}, {"g3", {"a6", "a7"}}};
const std::map<std::string, std::vector<std::string>> kAncestry = {
    {"a1", {"a1", "g1", "t1", "co"}}, {"a2", {"a2", "g1", "t1", "co"}},
    {"a3", {"a3", "g1", "t1", "co"}}, {"a4", {"a4", "g2", "t1", "co"}},
    {"a5", {"a5", "g2", "t1", "co"}}, {"a6", {"a6", "g3", "t2", "co"}},
    {"a7", {"a7", "g3", "t2", "co"}}};

bool Expected(const grpc::Status& s) {
  // Refusals a serial order can give too: a stale proposal, holds that no longer fit.
  return s.ok() || s.error_code() == grpc::StatusCode::FAILED_PRECONDITION ||
         s.error_code() == grpc::StatusCode::NOT_FOUND ||
         s.error_code() == grpc::StatusCode::ABORTED;
}

TEST(Concurrency, ParallelWritersLeaveASerialState) {
  OkrdProcess okrd({"--threads", "4"});
  ASSERT_NO_FATAL_FAILURE(SetUpTicketsPlan(okrd, kOrg, "2026", "100000"));
  const std::string token = okrd.admin_token();
  const std::string lead_json =
      okrd.Ctl({"-o", "json", "token", "create", "--role", "lead", "--unit", "g1"}).out;
  const std::string lead = nlohmann::json::parse(lead_json).at("token");
  auto channel = Connect(okrd.address());

  std::mutex mu;
  std::mutex events_mu;              // importers: the model's order is the server's order
  std::set<int64_t> acked_versions;  // cascades and approvals acknowledged
  std::set<int64_t> approved_proposals;
  std::map<std::string, std::pair<std::string, int64_t>> events;  // id -> (agent, value)
  std::vector<std::string> errors;
  auto unexpected = [&](const std::string& what, const grpc::Status& s) {
    std::lock_guard<std::mutex> lock(mu);
    errors.push_back(what + ": " + std::to_string(s.error_code()) + " " + s.error_message());
  };
  constexpr int kRounds = 25;
  std::vector<std::thread> threads;

  // Cascaders: the whole tree, with changing targets and methods, some from a month on.
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937 rng(100 + t);
      auto stub = v1::TargetService::NewStub(channel);
      for (int i = 0; i < kRounds; ++i) {
        v1::SetTargetRequest set;
        set.set_unit_id("co");
        set.set_metric_id("tickets");
        set.set_year(2026);
        set.set_value(100000 + 1000 * static_cast<int>(rng() % 20));
        v1::Target target;
        grpc::Status s = stub->SetTarget(Context(token).get(), set, &target);
        if (!s.ok()) unexpected("set target", s);
        v1::CascadeRequest req;
        req.set_unit_id("co");
        req.set_metric_id("tickets");
        req.set_year(2026);
        req.set_method(rng() % 2 ? v1::SPLIT_METHOD_EVEN : v1::SPLIT_METHOD_FTE);
        if (rng() % 2) req.set_from_month("2026-0" + std::to_string(2 + rng() % 8));
        v1::CascadeReply reply;
        s = stub->Cascade(Context(token).get(), req, &reply);
        if (s.ok()) {
          std::lock_guard<std::mutex> lock(mu);
          acked_versions.insert(reply.plan_version());
        } else if (!Expected(s)) {
          unexpected("cascade", s);
        }
      }
    });
  }
  // Holds on overlapping units and months, set and cleared.
  threads.emplace_back([&] {
    std::mt19937 rng(7);
    auto stub = v1::TargetService::NewStub(channel);
    for (int i = 0; i < kRounds; ++i) {
      v1::HoldRequest req;
      req.set_unit_id(rng() % 2 ? "g2" : "t2");
      req.set_metric_id("tickets");
      req.set_period("2026-0" + std::to_string(3 + rng() % 6));
      if (rng() % 3 == 0) {
        req.set_clear(true);
      } else {
        req.set_value(2000 + static_cast<int>(rng() % 500));
      }
      v1::HoldReply reply;
      grpc::Status s = stub->Hold(Context(token).get(), req, &reply);
      if (!Expected(s)) unexpected("hold", s);
    }
  });
  // The g1 lead proposes redistributions of its months; the admin approves or rejects them.
  threads.emplace_back([&] {
    std::mt19937 rng(11);
    auto targets = v1::TargetService::NewStub(channel);
    auto review = v1::ReviewService::NewStub(channel);
    for (int i = 0; i < kRounds; ++i) {
      const int month = 3 + static_cast<int>(rng() % 6);
      v1::BreakdownRequest breq;
      breq.set_unit_id("g1");
      breq.set_metric_id("tickets");
      breq.set_year(2026);
      v1::Breakdown breakdown;
      grpc::Status s = targets->GetBreakdown(Context(token).get(), breq, &breakdown);
      if (!s.ok()) {
        unexpected("breakdown", s);
        continue;
      }
      const int64_t total = static_cast<int64_t>(breakdown.months(month - 1));
      v1::ProposeRequest req;
      req.set_kind(v1::PROPOSAL_KIND_REDISTRIBUTE);
      req.set_unit_id("g1");
      req.set_metric_id("tickets");
      req.set_month("2026-0" + std::to_string(month));
      req.set_base_plan_version(breakdown.plan_version());
      const int64_t first = total / 2, second = total / 3;
      (*req.mutable_values())["a1"] = static_cast<double>(first);
      (*req.mutable_values())["a2"] = static_cast<double>(second);
      (*req.mutable_values())["a3"] = static_cast<double>(total - first - second);
      v1::Proposal proposal;
      s = review->Propose(Context(lead).get(), req, &proposal);
      if (!s.ok()) {
        if (!Expected(s)) unexpected("propose", s);
        continue;
      }
      v1::DecideRequest decide;
      decide.set_proposal_id(proposal.proposal_id());
      decide.set_reason("looked at it");
      v1::Proposal decided;
      if (rng() % 4 == 0) {
        s = review->Reject(Context(token).get(), decide, &decided);
      } else {
        s = review->Approve(Context(token).get(), decide, &decided);
        if (s.ok()) {
          std::lock_guard<std::mutex> lock(mu);
          approved_proposals.insert(proposal.proposal_id());
        }
      }
      if (!Expected(s)) unexpected("decide", s);
      // Clear the approved holds again so that later cascades can move g1's months.
      for (const char* agent : {"a1", "a2", "a3"}) {
        v1::HoldRequest clear;
        clear.set_unit_id(agent);
        clear.set_metric_id("tickets");
        clear.set_period(req.month());
        clear.set_clear(true);
        v1::HoldReply hr;
        grpc::Status c = targets->Hold(Context(token).get(), clear, &hr);
        if (!Expected(c)) unexpected("clear", c);
      }
    }
  });
  // Two importers with overlapping event ids: new events, and corrections of each other's.
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937 rng(200 + t);
      auto stub = v1::ActualsService::NewStub(channel);
      for (int i = 0; i < kRounds; ++i) {
        v1::IngestRequest req;
        std::map<std::string, std::pair<std::string, int64_t>> sent;
        for (int k = 0; k < 40; ++k) {
          // Ids shared by both importers: the last acknowledged write of an id wins, so each
          // id's agent is fixed and only its value differs.
          const int n = static_cast<int>(rng() % 300);
          const std::string id = "e" + std::to_string(n);
          if (sent.count(id)) continue;
          const std::string agent = kAgents[n % kAgents.size()];
          const int64_t value = 1 + static_cast<int64_t>(rng() % 50);
          auto* e = req.add_events();
          e->set_event_id(id);
          e->set_unit_id(agent);
          e->set_metric_id("tickets");
          e->set_date("2026-04-" + std::to_string(10 + n % 18));
          e->set_value(static_cast<double>(value));
          sent[id] = {agent, value};
        }
        // Serialise the bookkeeping with the call so the model sees the server's order: the
        // server applies whole batches under one lock, so the last acknowledged one wins.
        std::lock_guard<std::mutex> lock(events_mu);
        v1::IngestReply reply;
        grpc::Status s = stub->Ingest(Context(token).get(), req, &reply);
        if (!s.ok() || reply.rejected() != 0) {
          unexpected("ingest " + reply.ShortDebugString(), s);
          continue;
        }
        for (const auto& [id, content] : sent) events[id] = content;
      }
    });
  }
  // Month closes of the months being re-planned.
  threads.emplace_back([&] {
    auto stub = v1::CloseService::NewStub(channel);
    for (int i = 0; i < kRounds; ++i) {
      v1::ClosePeriodRequest req;
      req.set_month(i % 2 ? "2026-04" : "2026-03");
      v1::ClosePeriodReply reply;
      grpc::Status s = stub->ClosePeriod(Context(token).get(), req, &reply);
      if (!Expected(s)) unexpected("close", s);
    }
  });
  for (auto& t : threads) t.join();
  for (const auto& e : errors) ADD_FAILURE() << e;
  EXPECT_FALSE(acked_versions.empty()) << "no cascade got through";

  // ---- Invariants ----
  std::map<std::string, int64_t> want;
  std::map<std::string, int64_t> want_events;
  for (const auto& [id, content] : events) {
    for (const std::string& unit : kAncestry.at(content.first)) {
      want[unit] += content.second;
      want_events[unit] += 1;
    }
  }
  auto progress = v1::ProgressService::NewStub(channel);
  for (const std::string unit :
       {"co", "t1", "t2", "g1", "g2", "g3", "a1", "a2", "a3", "a4", "a5", "a6", "a7"}) {
    v1::ProgressRequest req;
    req.set_unit_id(unit);
    req.set_metric_id("tickets");
    req.set_period("2026-04");
    req.set_as_of("2026-12-31");
    v1::ProgressReply reply;
    ASSERT_TRUE(progress->GetProgress(Context(token).get(), req, &reply).ok());
    EXPECT_EQ(reply.progress().actual(), static_cast<double>(want[unit])) << unit;
    EXPECT_EQ(reply.progress().events(), want_events[unit]) << unit;
  }

  auto targets = v1::TargetService::NewStub(channel);
  std::map<std::string, std::vector<double>> months;
  int64_t current_version = 0;
  for (const std::string unit :
       {"co", "t1", "t2", "g1", "g2", "g3", "a1", "a2", "a3", "a4", "a5", "a6", "a7"}) {
    v1::BreakdownRequest req;
    req.set_unit_id(unit);
    req.set_metric_id("tickets");
    req.set_year(2026);
    v1::Breakdown reply;
    ASSERT_TRUE(targets->GetBreakdown(Context(token).get(), req, &reply).ok()) << unit;
    months[unit].assign(reply.months().begin(), reply.months().end());
    current_version = reply.plan_version();
  }
  for (const auto& [unit, kids] : kChildren) {
    for (int m = 0; m < 12; ++m) {
      double sum = 0;
      for (const auto& kid : kids) sum += months[kid][m];
      EXPECT_EQ(sum, months[unit][m]) << unit << " month " << m + 1;
    }
  }

  v1::HistoryRequest hreq;
  hreq.set_metric_id("tickets");
  hreq.set_limit(10000);  // the largest page; the older pages follow next_page_token
  std::vector<v1::HistoryReply> pages;
  do {
    v1::HistoryReply& page = pages.emplace_back();
    ASSERT_TRUE(targets->History(Context(token).get(), hreq, &page).ok());
    hreq.set_page_token(page.next_page_token());
  } while (!hreq.page_token().empty());
  std::vector<const v1::AuditEntry*> entries;
  for (const auto& page : pages) {
    for (const auto& e : page.entries()) entries.push_back(&e);
  }
  std::sort(entries.begin(), entries.end(),
            [](const auto* a, const auto* b) { return a->seq() < b->seq(); });
  std::set<int64_t> seqs, versions;
  int64_t last_version = 0;
  for (const auto* e : entries) {
    EXPECT_TRUE(seqs.insert(e->seq()).second) << "audit seq " << e->seq() << " twice";
    if (e->plan_version() == 0) continue;
    EXPECT_TRUE(versions.insert(e->plan_version()).second)
        << "plan version " << e->plan_version() << " twice";
    EXPECT_GT(e->plan_version(), last_version)
        << "plan versions do not follow the audit order at seq " << e->seq();
    last_version = std::max(last_version, e->plan_version());
  }
  for (int64_t v : acked_versions) EXPECT_TRUE(versions.count(v)) << "acked version " << v;
  EXPECT_EQ(current_version, last_version);

  auto review = v1::ReviewService::NewStub(channel);
  v1::ListProposalsReply proposals;
  ASSERT_TRUE(review->ListProposals(Context(token).get(), {}, &proposals).ok());
  for (const auto& p : proposals.proposals()) {
    EXPECT_NE(p.status(), v1::PROPOSAL_STATUS_UNSPECIFIED);
    EXPECT_EQ(p.status() == v1::PROPOSAL_STATUS_APPROVED,
              approved_proposals.count(p.proposal_id()) == 1)
        << p.ShortDebugString();
  }
  // The server still serves and a final serial cascade succeeds (no hold left in a bad state).
  v1::CascadeRequest req;
  req.set_unit_id("co");
  req.set_metric_id("tickets");
  req.set_year(2026);
  v1::CascadeReply reply;
  grpc::Status s = targets->Cascade(Context(token).get(), req, &reply);
  EXPECT_TRUE(Expected(s)) << s.error_message();
}

}  // namespace
}  // namespace okr::testing
