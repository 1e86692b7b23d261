// Hostile input against a real okrd, through the C++ stubs: for every RPC, requests that are
// empty, oversized (above the server's 16 MiB limit), carry NaN / Inf / negative / huge
// numbers, unknown ids, dates out of range, invalid UTF-8 and very long strings. Each gets
// its documented status code with a message, nothing is written (the audit history, plans,
// actuals, metrics, org, proposals, tokens and plugins are byte-for-byte the same after), and
// the server keeps serving.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "tests/fault/fault_client.h"
#include "tests/integration/fixtures.h"
#include "tests/integration/harness.h"

namespace okr::testing {
namespace {

using fault::Connect;
using fault::Context;
using grpc::StatusCode;

const double kNaN = std::numeric_limits<double>::quiet_NaN();
const double kInf = std::numeric_limits<double>::infinity();
const std::string kBadUtf8 = std::string("a\xff\xfe") + "b";
const std::string kLong(1 << 20, 'x');  // 1 MiB: below the message limit, far above any id

class HostileInput : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(okrd_.Ctl({"org", "import", okrd_.WriteFile("org.csv", kSmallOrg)}).exit_code, 0);
    ASSERT_EQ(okrd_.Ctl({"metric", "define", "tickets", "--kind", "count", "--direction", "up"})
                  .exit_code,
              0);
    ASSERT_EQ(okrd_
                  .Ctl({"metric", "define", "csat", "--kind", "ratio", "--direction", "up",
                        "--scale", "100"})
                  .exit_code,
              0);
    ASSERT_EQ(okrd_
                  .Ctl({"target", "set", "--unit", "co", "--metric", "tickets", "--year", "2026",
                        "--value", "36500"})
                  .exit_code,
              0);
    ASSERT_EQ(
        okrd_.Ctl({"cascade", "--unit", "co", "--metric", "tickets", "--year", "2026"}).exit_code,
        0);
    channel_ = Connect(okrd_.address());
    token_ = okrd_.admin_token();
    v1::IngestRequest req;
    auto* e = req.add_events();
    e->set_event_id("e1");
    e->set_unit_id("a1");
    e->set_metric_id("tickets");
    e->set_date("2026-02-03");
    e->set_value(5);
    v1::IngestReply reply;
    ASSERT_TRUE(
        v1::ActualsService::NewStub(channel_)->Ingest(Context(token_).get(), req, &reply).ok());
    ASSERT_EQ(reply.accepted(), 1u);
    before_ = Snapshot();
  }

  // Everything a write could change, as text.
  std::string Snapshot() {
    std::string out;
    auto add = [&](const grpc::Status& s, const google::protobuf::Message& m) {
      EXPECT_TRUE(s.ok()) << s.error_message();
      out += m.GetDescriptor()->name() + ": " + m.ShortDebugString() + "\n";
    };
    {
      v1::HistoryRequest req;
      v1::HistoryReply reply;
      add(v1::TargetService::NewStub(channel_)->History(Context(token_).get(), req, &reply), reply);
    }
    for (const char* unit : {"co", "t1", "g1"}) {
      v1::BreakdownRequest req;
      req.set_unit_id(unit);
      req.set_metric_id("tickets");
      req.set_year(2026);
      v1::Breakdown reply;
      add(v1::TargetService::NewStub(channel_)->GetBreakdown(Context(token_).get(), req, &reply),
          reply);
    }
    for (const char* metric : {"tickets", "csat"}) {
      v1::ProgressRequest req;
      req.set_unit_id("co");
      req.set_metric_id(metric);
      req.set_period("2026");
      req.set_as_of("2026-12-31");
      req.set_children(true);
      v1::ProgressReply reply;
      add(v1::ProgressService::NewStub(channel_)->GetProgress(Context(token_).get(), req, &reply),
          reply);
    }
    {
      v1::ListMetricsReply reply;
      add(v1::MetricService::NewStub(channel_)->ListMetrics(Context(token_).get(), {}, &reply),
          reply);
    }
    {
      v1::ListSubtreeRequest req;
      req.set_as_of("2026-06-01");
      v1::ListSubtreeReply reply;
      add(v1::OrgService::NewStub(channel_)->ListSubtree(Context(token_).get(), req, &reply),
          reply);
    }
    {
      v1::ListProposalsReply reply;
      add(v1::ReviewService::NewStub(channel_)->ListProposals(Context(token_).get(), {}, &reply),
          reply);
    }
    {
      v1::ListTokensReply reply;
      add(v1::AccessService::NewStub(channel_)->ListTokens(Context(token_).get(), {}, &reply),
          reply);
    }
    {
      v1::ListPluginsReply reply;
      add(v1::PluginService::NewStub(channel_)->ListPlugins(Context(token_).get(), {}, &reply),
          reply);
    }
    {
      v1::ListOutcomesRequest req;
      req.set_month("2026-02");
      v1::ListPayoutsReply payouts;
      add(v1::CloseService::NewStub(channel_)->ListPayouts(Context(token_).get(), req, &payouts),
          payouts);
      v1::ListAlertsReply alerts;
      add(v1::AlertService::NewStub(channel_)->ListAlerts(Context(token_).get(), {}, &alerts),
          alerts);
    }
    return out;
  }

  void TearDown() override {
    if (HasFatalFailure()) return;
    // Nothing was written, and the server still serves.
    EXPECT_EQ(Snapshot(), before_);
  }

  // Expects `code` and a readable message.
  static void Expect(const std::string& what, const grpc::Status& status, StatusCode code) {
    EXPECT_EQ(status.error_code(), code)
        << what << ": got " << status.error_code() << " " << status.error_message().substr(0, 200);
    if (code != StatusCode::OK) {
      EXPECT_FALSE(status.error_message().empty()) << what << ": no message";
      EXPECT_LT(status.error_message().size(), 4096u) << what << ": the message echoes the input";
    }
  }

  // An Ingest of one event that must be refused row by row: OK, rejected, an error listed.
  void ExpectRejected(const std::string& what, v1::ActualEvent event) {
    v1::IngestRequest req;
    *req.add_events() = event;
    v1::IngestReply reply;
    grpc::Status s =
        v1::ActualsService::NewStub(channel_)->Ingest(Context(token_).get(), req, &reply);
    // One outcome: the request is answered OK with this one row rejected and nothing stored.
    ASSERT_TRUE(s.ok()) << what << ": " << s.error_message();
    EXPECT_EQ(reply.accepted() + reply.corrected(), 0u) << what;
    EXPECT_EQ(reply.rejected(), 1u) << what;
    ASSERT_EQ(reply.errors_size(), 1) << what;
    EXPECT_FALSE(reply.errors(0).message().empty()) << what;
    EXPECT_LT(reply.errors(0).message().size(), 4096u) << what;
  }

  static v1::ActualEvent GoodEvent() {
    v1::ActualEvent e;
    e.set_event_id("hostile-1");
    e.set_unit_id("a1");
    e.set_metric_id("tickets");
    e.set_date("2026-02-04");
    e.set_value(3);
    return e;
  }

  OkrdProcess okrd_;
  std::shared_ptr<grpc::Channel> channel_;
  std::string token_;
  std::string before_;
};

TEST_F(HostileInput, NoTokenOrBadTokenIsUnauthenticated) {
  auto stub = v1::MetricService::NewStub(channel_);
  v1::ListMetricsReply reply;
  Expect("no token", stub->ListMetrics(Context("").get(), {}, &reply), StatusCode::UNAUTHENTICATED);
  // (Bytes that are not printable ASCII cannot be sent: the client library refuses them.)
  Expect("bad token", stub->ListMetrics(Context("../../admin.token%00").get(), {}, &reply),
         StatusCode::UNAUTHENTICATED);
  Expect("long token", stub->ListMetrics(Context(std::string(4000, 'k')).get(), {}, &reply),
         StatusCode::UNAUTHENTICATED);
  // Headers above gRPC's 8 KiB metadata limit are refused before any handler runs.
  // (The server may close that connection: its own channel, so later calls are unaffected.)
  Expect("huge token",
         v1::MetricService::NewStub(Connect(okrd_.address()))
             ->ListMetrics(Context(std::string(20000, 'k')).get(), {}, &reply),
         StatusCode::RESOURCE_EXHAUSTED);
}

TEST_F(HostileInput, IngestRowsAreRejectedOneByOne) {
  for (double v : {kNaN, kInf, -kInf, 1e300, -1e300, 1e13}) {
    v1::ActualEvent e = GoodEvent();
    e.set_value(v);
    ExpectRejected("value " + std::to_string(v), e);
  }
  {
    v1::ActualEvent e = GoodEvent();
    e.set_metric_id("csat");
    e.set_value(1);
    e.set_denominator(kNaN);
    ExpectRejected("NaN denominator", e);
    e.set_denominator(-1);
    ExpectRejected("negative denominator", e);
    e.set_denominator(0);
    ExpectRejected("ratio without denominator", e);
  }
  for (const std::string& date :
       {std::string(""), std::string("2026-13-01"), std::string("2026-02-30"),
        std::string("0000-01-01"), std::string("99999-01-01"), std::string("-2026-01-01"),
        std::string("2026-1-1x"), kLong}) {
    v1::ActualEvent e = GoodEvent();
    e.set_date(date);
    ExpectRejected("date " + date.substr(0, 20), e);
  }
  for (const std::string& unit :
       {std::string(""), std::string("nobody"), std::string("co"), kLong}) {
    v1::ActualEvent e = GoodEvent();
    e.set_unit_id(unit);
    ExpectRejected("unit " + unit.substr(0, 20), e);
  }
  for (const std::string& metric : {std::string(""), std::string("nothing"), kLong}) {
    v1::ActualEvent e = GoodEvent();
    e.set_metric_id(metric);
    ExpectRejected("metric " + metric.substr(0, 20), e);
  }
  for (const std::string& id : {std::string(""), kLong}) {
    v1::ActualEvent e = GoodEvent();
    e.set_event_id(id);
    ExpectRejected("event id " + id.substr(0, 20), e);
  }
  // One bad row in a batch: the batch stores nothing.
  {
    v1::IngestRequest req;
    *req.add_events() = GoodEvent();
    v1::ActualEvent bad = GoodEvent();
    bad.set_event_id("hostile-2");
    bad.set_value(kNaN);
    *req.add_events() = bad;
    v1::IngestReply reply;
    ASSERT_TRUE(
        v1::ActualsService::NewStub(channel_)->Ingest(Context(token_).get(), req, &reply).ok());
    EXPECT_EQ(reply.rejected(), 1u);
    EXPECT_EQ(reply.accepted(), 0u) << reply.ShortDebugString();
  }
  // An empty batch: OK, nothing counted.
  {
    v1::IngestReply reply;
    ASSERT_TRUE(
        v1::ActualsService::NewStub(channel_)->Ingest(Context(token_).get(), {}, &reply).ok());
    EXPECT_EQ(reply.ShortDebugString(), "");
  }
}

TEST_F(HostileInput, OversizedMessagesAreResourceExhausted) {
  // Above the server's documented 16 MiB limit, in one event and in many.
  {
    v1::IngestRequest req;
    v1::ActualEvent e = GoodEvent();
    e.set_event_id(std::string(fault::kServerMaxMessageBytes + 1024, 'z'));
    *req.add_events() = e;
    v1::IngestReply reply;
    Expect("17 MiB event id",
           v1::ActualsService::NewStub(channel_)->Ingest(Context(token_).get(), req, &reply),
           StatusCode::RESOURCE_EXHAUSTED);
  }
  {
    v1::IngestRequest req;
    for (int i = 0; i < 180000; ++i) {
      v1::ActualEvent e = GoodEvent();
      e.set_event_id("big-" + std::to_string(i) + std::string(64, 'p'));
      *req.add_events() = e;
    }
    ASSERT_GT(req.ByteSizeLong(), static_cast<size_t>(fault::kServerMaxMessageBytes));
    v1::IngestReply reply;
    Expect("180k events",
           v1::ActualsService::NewStub(channel_)->Ingest(Context(token_).get(), req, &reply),
           StatusCode::RESOURCE_EXHAUSTED);
  }
  {
    // A streamed CSV whose single chunk is above the limit.
    v1::IngestReply reply;
    auto ctx = Context(token_);
    auto writer = v1::ActualsService::NewStub(channel_)->ImportCsv(ctx.get(), &reply);
    v1::CsvChunk chunk;
    chunk.set_data(std::string(fault::kServerMaxMessageBytes + 1, 'x'));
    writer->Write(chunk);
    writer->WritesDone();
    Expect("17 MiB CSV chunk", writer->Finish(), StatusCode::RESOURCE_EXHAUSTED);
  }
  {
    v1::SetTargetRequest req;
    req.set_unit_id("co");
    req.set_metric_id("tickets");
    req.set_year(2026);
    req.set_value(1);
    req.set_reason(std::string(fault::kServerMaxMessageBytes, 'r'));
    v1::Target reply;
    Expect("17 MiB reason",
           v1::TargetService::NewStub(channel_)->SetTarget(Context(token_).get(), req, &reply),
           StatusCode::RESOURCE_EXHAUSTED);
  }
}

TEST_F(HostileInput, Metrics) {
  auto stub = v1::MetricService::NewStub(channel_);
  auto define = [&](const std::string& what, v1::Metric m, StatusCode code) {
    v1::DefineMetricRequest req;
    *req.mutable_metric() = m;
    v1::Metric reply;
    Expect(what, stub->DefineMetric(Context(token_).get(), req, &reply), code);
  };
  define("empty", {}, StatusCode::INVALID_ARGUMENT);
  v1::Metric m;
  m.set_metric_id("m1");
  m.set_kind(v1::METRIC_KIND_COUNT);
  m.set_direction(v1::DIRECTION_UP);
  for (double scale : {kNaN, kInf, -1.0, 1e300}) {
    v1::Metric bad = m;
    bad.set_scale(scale);
    define("scale " + std::to_string(scale), bad, StatusCode::INVALID_ARGUMENT);
  }
  {
    v1::Metric bad = m;
    bad.set_kind(static_cast<v1::MetricKind>(77));
    define("kind 77", bad, StatusCode::INVALID_ARGUMENT);
  }
  {
    v1::Metric bad = m;
    bad.set_kind(v1::METRIC_KIND_RATIO);
    bad.set_metric_id("tickets");
    define("kind change", bad, StatusCode::FAILED_PRECONDITION);
  }
  for (const std::string& id : {kLong, std::string("has space"), std::string("a/b")}) {
    v1::Metric bad = m;
    bad.set_metric_id(id);
    define("id " + id.substr(0, 20), bad, StatusCode::INVALID_ARGUMENT);
  }
  {
    v1::Metric bad = m;
    bad.set_name(kLong);
    define("long name", bad, StatusCode::INVALID_ARGUMENT);
  }
}

TEST_F(HostileInput, Targets) {
  auto stub = v1::TargetService::NewStub(channel_);
  auto set = [&](const std::string& what, v1::SetTargetRequest req, StatusCode code) {
    v1::Target reply;
    Expect(what, stub->SetTarget(Context(token_).get(), req, &reply), code);
  };
  set("empty", {}, StatusCode::INVALID_ARGUMENT);
  v1::SetTargetRequest good;
  good.set_unit_id("co");
  good.set_metric_id("tickets");
  good.set_year(2026);
  good.set_value(1000);
  for (double v : {kNaN, kInf, -kInf, -1.0, 0.5}) {
    v1::SetTargetRequest r = good;
    r.set_value(v);
    set("value " + std::to_string(v), r, StatusCode::INVALID_ARGUMENT);
  }
  for (double v : {1e300, 1.000001e15}) {  // a finite value beyond the 10^15 limit
    v1::SetTargetRequest r = good;
    r.set_value(v);
    set("value " + std::to_string(v), r, StatusCode::OUT_OF_RANGE);
  }
  for (int year : {0, -2026, 1, 99999, std::numeric_limits<int>::max()}) {
    v1::SetTargetRequest r = good;
    r.set_year(year);
    set("year " + std::to_string(year), r, StatusCode::INVALID_ARGUMENT);
  }
  {
    v1::SetTargetRequest r = good;
    for (int i = 0; i < 11; ++i) r.add_seasonality(1);
    set("11 weights", r, StatusCode::INVALID_ARGUMENT);
    r.add_seasonality(kNaN);
    set("NaN weight", r, StatusCode::INVALID_ARGUMENT);
    r.set_seasonality(11, -1);
    set("negative weight", r, StatusCode::INVALID_ARGUMENT);
    r.set_seasonality(11, kInf);
    set("Inf weight", r, StatusCode::INVALID_ARGUMENT);
  }
  for (const std::string& unit : {std::string("nobody"), kLong}) {
    v1::SetTargetRequest r = good;
    r.set_unit_id(unit);
    set("unit " + unit.substr(0, 20), r, StatusCode::NOT_FOUND);
  }
  {
    v1::SetTargetRequest r = good;
    r.set_metric_id("nothing");
    set("unknown metric", r, StatusCode::NOT_FOUND);
  }
}

TEST_F(HostileInput, CascadeHoldBreakdownHistory) {
  auto stub = v1::TargetService::NewStub(channel_);
  auto cascade = [&](const std::string& what, v1::CascadeRequest req, StatusCode code) {
    v1::CascadeReply reply;
    Expect(what, stub->Cascade(Context(token_).get(), req, &reply), code);
  };
  cascade("empty", {}, StatusCode::INVALID_ARGUMENT);
  v1::CascadeRequest good;
  good.set_unit_id("co");
  good.set_metric_id("tickets");
  good.set_year(2026);
  for (const std::string& from :
       {std::string("2026-13"), std::string("2025-03"), std::string("x"), kLong}) {
    v1::CascadeRequest r = good;
    r.set_from_month(from);
    cascade("from " + from.substr(0, 20), r, StatusCode::INVALID_ARGUMENT);
  }
  {
    v1::CascadeRequest r = good;
    r.set_method(static_cast<v1::SplitMethod>(42));
    cascade("method 42", r, StatusCode::INVALID_ARGUMENT);
    r.set_method(v1::SPLIT_METHOD_WEIGHTS);
    cascade("weights without weights", r, StatusCode::INVALID_ARGUMENT);
    (*r.mutable_weights())["t1"] = kNaN;
    cascade("NaN weight", r, StatusCode::INVALID_ARGUMENT);
    (*r.mutable_weights())["t1"] = -1;
    cascade("negative weight", r, StatusCode::INVALID_ARGUMENT);
    r.mutable_weights()->clear();
    (*r.mutable_weights())["ghost"] = 1;
    cascade("unknown child", r, StatusCode::NOT_FOUND);
  }
  {
    v1::CascadeRequest r = good;
    r.set_unit_id("nobody");
    cascade("unknown unit", r, StatusCode::NOT_FOUND);
    r = good;
    r.set_year(3000000);
    cascade("year 3000000", r, StatusCode::INVALID_ARGUMENT);
  }

  auto hold = [&](const std::string& what, v1::HoldRequest req, StatusCode code) {
    v1::HoldReply reply;
    Expect(what, stub->Hold(Context(token_).get(), req, &reply), code);
  };
  hold("empty", {}, StatusCode::INVALID_ARGUMENT);
  v1::HoldRequest h;
  h.set_unit_id("g1");
  h.set_metric_id("tickets");
  h.set_period("2026-03");
  for (double v : {kNaN, kInf, -5.0, 2.5}) {
    v1::HoldRequest r = h;
    r.set_value(v);
    hold("hold " + std::to_string(v), r, StatusCode::INVALID_ARGUMENT);
  }
  {
    v1::HoldRequest r = h;
    r.set_value(1e300);
    hold("hold 1e300", r, StatusCode::OUT_OF_RANGE);
  }
  for (const std::string& p : {std::string("2026-Q1"), std::string("2026-00"),
                               std::string("2026-13"), std::string("26"), kLong}) {
    v1::HoldRequest r = h;
    r.set_value(1);
    r.set_period(p);
    hold("period " + p.substr(0, 20), r, StatusCode::INVALID_ARGUMENT);
  }
  {
    v1::HoldRequest r = h;
    r.set_clear(true);
    hold("clear a hold that is not there", r, StatusCode::NOT_FOUND);
  }

  {
    v1::BreakdownRequest r;
    v1::Breakdown reply;
    Expect("breakdown empty", stub->GetBreakdown(Context(token_).get(), r, &reply),
           StatusCode::INVALID_ARGUMENT);
    r.set_unit_id("a1");
    r.set_metric_id("tickets");
    r.set_year(2031);
    Expect("breakdown without plan", stub->GetBreakdown(Context(token_).get(), r, &reply),
           StatusCode::NOT_FOUND);
    r.set_year(-1);
    Expect("breakdown year -1", stub->GetBreakdown(Context(token_).get(), r, &reply),
           StatusCode::INVALID_ARGUMENT);
  }
  {
    v1::HistoryRequest r;
    v1::HistoryReply reply;
    r.set_since("yesterday");
    Expect("history since garbage", stub->History(Context(token_).get(), r, &reply),
           StatusCode::INVALID_ARGUMENT);
  }
}

TEST_F(HostileInput, ProgressLeaderboardExplain) {
  auto stub = v1::ProgressService::NewStub(channel_);
  v1::ProgressRequest good;
  good.set_unit_id("co");
  good.set_metric_id("tickets");
  good.set_period("2026");
  {
    v1::ProgressReply reply;
    Expect("empty", stub->GetProgress(Context(token_).get(), {}, &reply),
           StatusCode::INVALID_ARGUMENT);
  }
  for (const std::string& p : {std::string("2026-Q5"), std::string("2026-Q0"),
                               std::string("2026-13"), std::string("0"), std::string("x"), kLong}) {
    v1::ProgressRequest r = good;
    r.set_period(p);
    v1::ProgressReply reply;
    Expect("period " + p.substr(0, 20), stub->GetProgress(Context(token_).get(), r, &reply),
           StatusCode::INVALID_ARGUMENT);
  }
  for (const std::string& d :
       {std::string("2026-02-30"), std::string("2026-00-10"), std::string("10000-01-01")}) {
    v1::ProgressRequest r = good;
    r.set_as_of(d);
    v1::ProgressReply reply;
    Expect("as_of " + d, stub->GetProgress(Context(token_).get(), r, &reply),
           StatusCode::INVALID_ARGUMENT);
  }
  {
    v1::ProgressRequest r = good;
    r.set_unit_id("nobody");
    v1::ProgressReply reply;
    Expect("unknown unit", stub->GetProgress(Context(token_).get(), r, &reply),
           StatusCode::NOT_FOUND);
    r = good;
    r.set_metric_id(kLong);
    Expect("long metric", stub->GetProgress(Context(token_).get(), r, &reply),
           StatusCode::NOT_FOUND);
  }
  {
    v1::LeaderboardRequest r;
    v1::LeaderboardReply reply;
    Expect("leaderboard empty", stub->Leaderboard(Context(token_).get(), r, &reply),
           StatusCode::INVALID_ARGUMENT);
    r.set_unit_id("co");
    r.set_metric_id("tickets");
    r.set_period("2026-99");
    Expect("leaderboard period", stub->Leaderboard(Context(token_).get(), r, &reply),
           StatusCode::INVALID_ARGUMENT);
  }
  {
    auto explain = v1::ExplainService::NewStub(channel_);
    v1::ExplainRequest r;
    v1::Explanation reply;
    Expect("explain empty", explain->Explain(Context(token_).get(), r, &reply),
           StatusCode::INVALID_ARGUMENT);
    r.set_unit_id("a1");
    r.set_metric_id("tickets");
    r.set_month("2026-14");
    Expect("explain month", explain->Explain(Context(token_).get(), r, &reply),
           StatusCode::INVALID_ARGUMENT);
    r.set_month("2026-02");
    r.set_unit_id("ghost");
    Expect("explain unknown unit", explain->Explain(Context(token_).get(), r, &reply),
           StatusCode::NOT_FOUND);
  }
}

TEST_F(HostileInput, ReviewCloseAlertsAccessPluginsAdminOrg) {
  auto review = v1::ReviewService::NewStub(channel_);
  {
    v1::Proposal reply;
    Expect("propose empty", review->Propose(Context(token_).get(), {}, &reply),
           StatusCode::INVALID_ARGUMENT);
    v1::ProposeRequest r;
    r.set_kind(v1::PROPOSAL_KIND_REDISTRIBUTE);
    r.set_unit_id("g1");
    r.set_metric_id("tickets");
    r.set_month("2026-03");
    (*r.mutable_values())["a1"] = kNaN;
    (*r.mutable_values())["a2"] = kInf;
    Expect("propose NaN", review->Propose(Context(token_).get(), r, &reply),
           StatusCode::INVALID_ARGUMENT);
    (*r.mutable_values())["a1"] = -1e300;
    (*r.mutable_values())["a2"] = 1e300;
    Expect("propose huge", review->Propose(Context(token_).get(), r, &reply),
           StatusCode::INVALID_ARGUMENT);
    r.set_month("2026-13");
    Expect("propose month", review->Propose(Context(token_).get(), r, &reply),
           StatusCode::INVALID_ARGUMENT);
    v1::ProposalRef ref;
    ref.set_proposal_id(987654321);
    Expect("get unknown", review->GetProposal(Context(token_).get(), ref, &reply),
           StatusCode::NOT_FOUND);
    ref.set_proposal_id(-1);
    Expect("get -1", review->GetProposal(Context(token_).get(), ref, &reply),
           StatusCode::NOT_FOUND);
    v1::DecideRequest d;
    d.set_proposal_id(987654321);
    Expect("approve unknown", review->Approve(Context(token_).get(), d, &reply),
           StatusCode::NOT_FOUND);
    Expect("reject unknown", review->Reject(Context(token_).get(), d, &reply),
           StatusCode::NOT_FOUND);
    v1::CommentRequest c;
    c.set_proposal_id(987654321);
    c.set_text("looks fine");
    Expect("comment unknown", review->AddComment(Context(token_).get(), c, &reply),
           StatusCode::NOT_FOUND);
  }
  auto close = v1::CloseService::NewStub(channel_);
  {
    v1::ClosePeriodRequest r;
    v1::ClosePeriodReply reply;
    Expect("close empty", close->ClosePeriod(Context(token_).get(), r, &reply),
           StatusCode::INVALID_ARGUMENT);
    for (const std::string& m : {std::string("2026-13"), std::string("2026"), kLong}) {
      r.set_month(m);
      Expect("close " + m.substr(0, 20), close->ClosePeriod(Context(token_).get(), r, &reply),
             StatusCode::INVALID_ARGUMENT);
    }
    v1::GiveKudosRequest k;
    v1::GiveKudosReply kr;
    Expect("kudos empty", close->GiveKudos(Context(token_).get(), k, &kr), StatusCode::NOT_FOUND);
    k.set_to_unit_id("ghost");
    Expect("kudos unknown", close->GiveKudos(Context(token_).get(), k, &kr), StatusCode::NOT_FOUND);
  }
  {
    auto alerts = v1::AlertService::NewStub(channel_);
    v1::AlertRef ref;
    v1::Alert reply;
    Expect("ack empty", alerts->AckAlert(Context(token_).get(), ref, &reply),
           StatusCode::NOT_FOUND);
    ref.set_alert_id(kLong);
    Expect("ack unknown", alerts->AckAlert(Context(token_).get(), ref, &reply),
           StatusCode::NOT_FOUND);
    Expect("resolve unknown", alerts->ResolveAlert(Context(token_).get(), ref, &reply),
           StatusCode::NOT_FOUND);
  }
  {
    auto access = v1::AccessService::NewStub(channel_);
    v1::CreateTokenRequest r;
    v1::CreateTokenReply reply;
    Expect("token empty", access->CreateToken(Context(token_).get(), r, &reply),
           StatusCode::INVALID_ARGUMENT);
    r.set_role(v1::ROLE_LEAD);
    Expect("lead without unit", access->CreateToken(Context(token_).get(), r, &reply),
           StatusCode::INVALID_ARGUMENT);
    r.set_unit_id("ghost");
    Expect("lead of unknown unit", access->CreateToken(Context(token_).get(), r, &reply),
           StatusCode::NOT_FOUND);
    r.set_role(static_cast<v1::Role>(99));
    r.set_unit_id("g1");
    Expect("role 99", access->CreateToken(Context(token_).get(), r, &reply),
           StatusCode::INVALID_ARGUMENT);
    v1::RevokeTokenRequest rv;
    v1::TokenInfo info;
    rv.set_token_id("nothing");
    Expect("revoke unknown", access->RevokeToken(Context(token_).get(), rv, &info),
           StatusCode::NOT_FOUND);
  }
  {
    auto plugins = v1::PluginService::NewStub(channel_);
    v1::PluginInfo info;
    v1::LoadPluginRequest load;
    Expect("load empty", plugins->LoadPlugin(Context(token_).get(), load, &info),
           StatusCode::INVALID_ARGUMENT);
    v1::PluginRef ref;
    ref.set_name("ghost");
    Expect("unload unknown", plugins->UnloadPlugin(Context(token_).get(), ref, &info),
           StatusCode::NOT_FOUND);
    Expect("reload unknown", plugins->ReloadPlugin(Context(token_).get(), ref, &info),
           StatusCode::NOT_FOUND);
    v1::ConfigurePluginRequest conf;
    conf.set_name("ghost");
    conf.set_unit_id("co");
    conf.set_config_json("{");
    Expect("configure unknown", plugins->ConfigurePlugin(Context(token_).get(), conf, &info),
           StatusCode::NOT_FOUND);
  }
  {
    auto admin = v1::AdminService::NewStub(channel_);
    v1::BackupRequest r;
    v1::BackupReply reply;
    Expect("backup empty", admin->Backup(Context(token_).get(), r, &reply),
           StatusCode::INVALID_ARGUMENT);
    r.set_dir(okrd_.data_dir());
    Expect("backup onto the data folder, no --backup-dir",
           admin->Backup(Context(token_).get(), r, &reply), StatusCode::FAILED_PRECONDITION);
  }
  {
    auto org = v1::OrgService::NewStub(channel_);
    v1::Unit unit;
    v1::GetUnitRequest g;
    Expect("get unit empty", org->GetUnit(Context(token_).get(), g, &unit),
           StatusCode::INVALID_ARGUMENT);
    g.set_unit_id(kLong);
    Expect("get unit long id", org->GetUnit(Context(token_).get(), g, &unit),
           StatusCode::NOT_FOUND);
    v1::MoveUnitRequest m;
    m.set_unit_id("a1");
    m.set_new_parent_id("ghost");
    m.set_effective("2026-04-01");
    Expect("move under unknown", org->MoveUnit(Context(token_).get(), m, &unit),
           StatusCode::NOT_FOUND);
    m.set_new_parent_id("a2");
    m.set_effective("2026-02-31");
    Expect("move bad date", org->MoveUnit(Context(token_).get(), m, &unit),
           StatusCode::INVALID_ARGUMENT);
    v1::DeactivateUnitRequest d;
    d.set_unit_id("ghost");
    d.set_end_date("2026-05-01");
    Expect("deactivate unknown", org->DeactivateUnit(Context(token_).get(), d, &unit),
           StatusCode::NOT_FOUND);
    // A CSV of garbage: refused with row errors, nothing stored.
    v1::ImportUnitsReply reply;
    auto ctx = Context(token_);
    auto writer = org->ImportUnits(ctx.get(), &reply);
    v1::CsvChunk chunk;
    chunk.set_data("unit_id,parent_id,kind,name,fte,start_date,end_date\nx,co,agent,X,NaN,,\n" +
                   kBadUtf8 + ",co,agent,\"unterminated\n");
    writer->Write(chunk);
    writer->WritesDone();
    // Both rows are refused (a NaN fte; an unterminated quote), as rows: OK with the errors.
    Expect("garbage org CSV", writer->Finish(), StatusCode::OK);
    EXPECT_EQ(reply.rejected(), 2u) << reply.ShortDebugString();
    EXPECT_EQ(reply.errors_size(), 2) << reply.ShortDebugString();
    for (const auto& e : reply.errors()) EXPECT_FALSE(e.message().empty());
    EXPECT_EQ(reply.created() + reply.updated(), 0u) << reply.ShortDebugString();
  }
}

// A string field that is not UTF-8 makes the request unparsable: gRPC refuses it before any
// handler runs (the client library logs an error but sends it). The code gRPC 1.51's callback
// API gives is UNIMPLEMENTED, without a message; nothing is written either way.
TEST_F(HostileInput, InvalidUtf8RequestsDoNotParse) {
  auto expect_unparsable = [](const std::string& what, const grpc::Status& s) {
    EXPECT_EQ(s.error_code(), StatusCode::UNIMPLEMENTED) << what << ": " << s.error_message();
  };
  {
    v1::IngestRequest req;
    v1::ActualEvent e = GoodEvent();
    e.set_unit_id(kBadUtf8);
    *req.add_events() = e;
    v1::IngestReply reply;
    expect_unparsable("ingest", v1::ActualsService::NewStub(channel_)->Ingest(Context(token_).get(),
                                                                              req, &reply));
  }
  {
    v1::DefineMetricRequest req;
    req.mutable_metric()->set_metric_id(kBadUtf8);
    req.mutable_metric()->set_kind(v1::METRIC_KIND_COUNT);
    v1::Metric reply;
    expect_unparsable("metric", v1::MetricService::NewStub(channel_)->DefineMetric(
                                    Context(token_).get(), req, &reply));
  }
  {
    v1::SetTargetRequest req;
    req.set_unit_id("co");
    req.set_metric_id("tickets");
    req.set_year(2026);
    req.set_value(10);
    req.set_reason(kBadUtf8);
    v1::Target reply;
    expect_unparsable("target reason", v1::TargetService::NewStub(channel_)->SetTarget(
                                           Context(token_).get(), req, &reply));
  }
  {
    v1::ProgressRequest req;
    req.set_unit_id("co");
    req.set_metric_id("tickets");
    req.set_period(kBadUtf8);
    v1::ProgressReply reply;
    expect_unparsable("progress", v1::ProgressService::NewStub(channel_)->GetProgress(
                                      Context(token_).get(), req, &reply));
  }
  {
    v1::ClosePeriodRequest req;
    req.set_month(kBadUtf8);
    v1::ClosePeriodReply reply;
    expect_unparsable("close", v1::CloseService::NewStub(channel_)->ClosePeriod(
                                   Context(token_).get(), req, &reply));
  }
}

}  // namespace
}  // namespace okr::testing
