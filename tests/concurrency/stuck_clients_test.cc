// Client deadlines and cancellation are honoured, and clients that stop reading do not hold
// the server's worker threads: with many more stuck streams than workers, calls still answer.
// Its name starts with Concurrency so that the TSan step runs it against a ThreadSanitizer
// okrd (scripts/ci-sanitizers): the stuck streams exercise the reactors' cancellation paths.
#include <gtest/gtest.h>

#include <chrono>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "tests/fault/fault_client.h"
#include "tests/integration/harness.h"

namespace okr::testing {
namespace {

using fault::Connect;
using fault::Context;

constexpr char kOrg[] =
    "unit_id,parent_id,kind,name,fte,start_date,end_date\n"
    "co,,company,Company,,,\n"
    "t1,co,team,Team,,,\n"
    "g1,t1,group,Group,,,\n"
    "a1,g1,agent,Ann,1.0,,\n";

v1::ProgressRequest CompanyYear() {
  v1::ProgressRequest req;
  req.set_unit_id("co");
  req.set_metric_id("tickets");
  req.set_period("2026");
  return req;
}

TEST(ConcurrencyStuckClients, DeadlinesAndStuckClientsDoNotHoldWorkers) {
  OkrdProcess okrd;
  ASSERT_EQ(okrd.Ctl({"org", "import", okrd.WriteFile("org.csv", kOrg)}).exit_code, 0);
  ASSERT_EQ(
      okrd.Ctl({"metric", "define", "tickets", "--kind", "count", "--direction", "up"}).exit_code,
      0);
  auto channel = Connect(okrd.address());
  const std::string token = okrd.admin_token();
  {
    v1::ProgressReply reply;
    auto ctx = Context(token);
    ctx->set_deadline(std::chrono::system_clock::now() - std::chrono::seconds(1));
    grpc::Status s =
        v1::ProgressService::NewStub(channel)->GetProgress(ctx.get(), CompanyYear(), &reply);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED) << s.error_message();
  }
  // Streams that send one batch and never read the acknowledgement, and never finish; watches
  // that are never read. 40 of each, far more than the worker threads.
  std::vector<std::unique_ptr<grpc::ClientContext>> contexts;
  std::vector<std::unique_ptr<grpc::ClientReaderWriter<v1::IngestRequest, v1::IngestReply>>>
      ingests;
  std::vector<std::unique_ptr<grpc::ClientReader<v1::ProgressReply>>> watches;
  auto actuals = v1::ActualsService::NewStub(channel);
  auto progress = v1::ProgressService::NewStub(channel);
  for (int i = 0; i < 40; ++i) {
    contexts.push_back(Context(token, std::chrono::seconds(120)));
    ingests.push_back(actuals->IngestStream(contexts.back().get()));
    v1::IngestRequest batch;
    v1::ActualEvent* e = batch.add_events();
    e->set_event_id("stuck-" + std::to_string(i));
    e->set_unit_id("a1");
    e->set_metric_id("tickets");
    e->set_date("2026-02-04");
    e->set_value(std::numeric_limits<double>::quiet_NaN());  // rejected: stores nothing
    ingests.back()->Write(batch);
    contexts.push_back(Context(token, std::chrono::seconds(120)));
    watches.push_back(progress->Watch(contexts.back().get(), CompanyYear()));
  }
  const auto started = std::chrono::steady_clock::now();
  for (int i = 0; i < 20; ++i) {
    v1::ListMetricsReply reply;
    grpc::Status s = v1::MetricService::NewStub(channel)->ListMetrics(
        Context(token, std::chrono::seconds(5)).get(), {}, &reply);
    ASSERT_TRUE(s.ok()) << "call " << i << " with stuck clients: " << s.error_message();
  }
  // A generous bound: without the fix the calls wait for their 5 s deadlines and fail above.
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(30));
  // Cancelling them releases everything; the server still answers.
  for (auto& ctx : contexts) ctx->TryCancel();
  for (auto& s : ingests) s->Finish();
  for (auto& w : watches) w->Finish();
  v1::ListMetricsReply reply;
  EXPECT_TRUE(
      v1::MetricService::NewStub(channel)->ListMetrics(Context(token).get(), {}, &reply).ok());
}

}  // namespace
}  // namespace okr::testing
