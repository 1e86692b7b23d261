// Streaming calls on /metrics (issue 22, item 2): ImportUnits, ImportCsv, IngestStream, Watch and
// WatchAlerts are counted in okr_grpc_requests_total and the latency histogram like unary
// calls, once per call whatever its number of messages, on every way it ends; and every
// method's OK series is exported at 0 before its first call.
//
// Every expected count below is worked out by hand in the comments.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "tests/fault/fault_client.h"
#include "tests/integration/fixtures.h"
#include "tests/integration/harness.h"
#include "tests/integration/metrics_scrape.h"
#include "tests/integration/wait_for.h"

namespace okr::testing {
namespace {

using fault::Connect;
using fault::Context;

constexpr char kOrg[] =
    "unit_id,parent_id,kind,name,fte,start_date,end_date\n"
    "co,,company,Company,,,\n"
    "g1,co,group,Group,,,\n"
    "a1,g1,agent,Ann,1.0,,\n"
    "a2,g1,agent,Bob,1.0,,\n";

using Samples = std::map<std::string, double>;

// The series' value in a scrape, keyed as ParseSamples keys them (labels sorted, unquoted);
// -1 when the series is absent.
double Sample(const Samples& samples, const std::string& series) {
  auto it = samples.find(series);
  return it == samples.end() ? -1 : it->second;
}

std::string Calls(const std::string& service, const std::string& method, const std::string& code) {
  return "okr_grpc_requests_total{code=" + code + ",method=" + method + ",service=okr.v1." +
         service + "}";
}

std::string Latencies(const std::string& service, const std::string& method) {
  return "okr_grpc_request_duration_seconds_count{method=" + method + ",service=okr.v1." + service +
         "}";
}

class StreamMetricsIT : public ::testing::Test {
 protected:
  StreamMetricsIT()
      : http_port_(FreePort()),
        okrd_({"--http-listen", "127.0.0.1:" + std::to_string(http_port_), "--test-clock-start",
               "2026-03-10T12:00:00Z"}) {}

  Samples Scrape() const { return ScrapeMetrics(http_port_); }

  int http_port_;
  OkrdProcess okrd_;
};

TEST_F(StreamMetricsIT, EveryMethodIsExportedAtZeroBeforeItsFirstCall) {
  const Samples text = Scrape();
  // Nothing has called these yet (the harness's readiness probe calls ListMetrics only).
  for (const auto& [service, method] :
       std::vector<std::pair<std::string, std::string>>{{"OrgService", "ImportUnits"},
                                                        {"ActualsService", "ImportCsv"},
                                                        {"ActualsService", "IngestStream"},
                                                        {"ProgressService", "Watch"},
                                                        {"AlertService", "WatchAlerts"},
                                                        {"OrgService", "GetUnit"},
                                                        {"TargetService", "Cascade"}}) {
    EXPECT_EQ(Sample(text, Calls(service, method, "OK")), 0) << method;
    EXPECT_EQ(Sample(text, Latencies(service, method)), 0) << method;
  }
}

TEST_F(StreamMetricsIT, EachStreamingCallCountsOnceWithItsCode) {
  const Samples s0 = Scrape();
  // One org import: one ImportUnits call.
  ASSERT_NO_FATAL_FAILURE(SetUpTicketsPlan(okrd_, kOrg, "2026", "1200"));
  // One actuals import of 2 rows (sent in one chunk): one ImportCsv call.
  CommandResult imported =
      okrd_.Ctl({"actuals", "import",
                 okrd_.WriteFile("a.csv",
                                 "event_id,unit_id,metric,date,value,denominator\n"
                                 "e1,a1,tickets,2026-03-02,5,\n"
                                 "e2,a2,tickets,2026-03-03,6,\n")});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;

  // One IngestStream call carrying 2 batches: counted once, not per batch.
  auto channel = Connect(okrd_.address());
  const std::string admin = okrd_.admin_token();
  {
    auto ctx = Context(admin);
    auto stream = v1::ActualsService::NewStub(channel)->IngestStream(ctx.get());
    for (const char* id : {"e3", "e4"}) {
      v1::IngestRequest batch;
      v1::ActualEvent* e = batch.add_events();
      e->set_event_id(id);
      e->set_unit_id("a1");
      e->set_metric_id("tickets");
      e->set_date("2026-03-04");
      e->set_value(1);
      ASSERT_TRUE(stream->Write(batch));
      v1::IngestReply reply;
      ASSERT_TRUE(stream->Read(&reply));
      EXPECT_EQ(reply.accepted(), 1u);
    }
    stream->WritesDone();
    const grpc::Status finished = stream->Finish();
    ASSERT_TRUE(finished.ok()) << finished.error_message();
  }
  // One IngestStream with a wrong token: refused at once, UNAUTHENTICATED once.
  {
    auto ctx = Context("okr_not_a_token");
    auto stream = v1::ActualsService::NewStub(channel)->IngestStream(ctx.get());
    stream->WritesDone();
    EXPECT_EQ(stream->Finish().error_code(), grpc::StatusCode::UNAUTHENTICATED);
  }
  // One Watch that the client cancels after its first message: CANCELLED once.
  {
    auto ctx = Context(admin);
    v1::ProgressRequest request;
    request.set_unit_id("co");
    request.set_metric_id("tickets");
    request.set_period("2026");
    auto reader = v1::ProgressService::NewStub(channel)->Watch(ctx.get(), request);
    v1::ProgressReply first;
    ASSERT_TRUE(reader->Read(&first));
    ctx->TryCancel();
    EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::CANCELLED);
  }
  // One WatchAlerts with a wrong token: UNAUTHENTICATED once.
  {
    auto ctx = Context("okr_not_a_token");
    auto reader = v1::AlertService::NewStub(channel)->WatchAlerts(ctx.get(), {});
    v1::Alert alert;
    EXPECT_FALSE(reader->Read(&alert));
    EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::UNAUTHENTICATED);
  }

  // Every call above was recorded before its client saw the status, except the cancelled
  // Watch: okrd learns of the cancel after the client has made it.
  Samples s1;
  EXPECT_TRUE(WaitFor(10,
                      [&] {
                        s1 = Scrape();
                        return Sample(s1, Calls("ProgressService", "Watch", "CANCELLED")) == 1;
                      }))
      << "Watch CANCELLED: " << Sample(s1, Calls("ProgressService", "Watch", "CANCELLED"));
  EXPECT_EQ(Sample(s1, Calls("OrgService", "ImportUnits", "OK")) -
                Sample(s0, Calls("OrgService", "ImportUnits", "OK")),
            1);
  EXPECT_EQ(Sample(s1, Calls("ActualsService", "ImportCsv", "OK")) -
                Sample(s0, Calls("ActualsService", "ImportCsv", "OK")),
            1);
  EXPECT_EQ(Sample(s1, Calls("ActualsService", "IngestStream", "OK")) -
                Sample(s0, Calls("ActualsService", "IngestStream", "OK")),
            1);
  EXPECT_EQ(Sample(s1, Calls("ActualsService", "IngestStream", "UNAUTHENTICATED")), 1);
  EXPECT_EQ(Sample(s1, Calls("AlertService", "WatchAlerts", "UNAUTHENTICATED")), 1);
  // Each call is one latency observation: ImportUnits 1, ImportCsv 1, IngestStream 2 (the good
  // and the refused one), Watch 1, WatchAlerts 1.
  EXPECT_EQ(Sample(s1, Latencies("OrgService", "ImportUnits")), 1);
  EXPECT_EQ(Sample(s1, Latencies("ActualsService", "ImportCsv")), 1);
  EXPECT_EQ(Sample(s1, Latencies("ActualsService", "IngestStream")), 2);
  EXPECT_EQ(Sample(s1, Latencies("ProgressService", "Watch")), 1);
  EXPECT_EQ(Sample(s1, Latencies("AlertService", "WatchAlerts")), 1);
}

}  // namespace
}  // namespace okr::testing
