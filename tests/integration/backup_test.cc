// Backup: `okrctl admin backup NAME` takes an online RocksDB checkpoint under --backup-dir while
// okrd serves (an ingest runs throughout), and `okrd --data-dir DIR` starts from it with everything
// in place: org, metrics, plans and their versions, the audit history, tokens, and actuals that are
// a consistent prefix of the batches (every batch acknowledged before the backup began, and no half
// batch).
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "tests/fault/fault_client.h"
#include "tests/integration/fixtures.h"
#include "tests/integration/harness.h"
#include "tests/integration/temp_folder.h"

namespace okr::testing {
namespace {

using fault::Connect;
using fault::Context;

constexpr char kOrg[] =
    "unit_id,parent_id,kind,name,fte,start_date,end_date\n"
    "co,,company,Company,,,\n"
    "g1,co,group,Group one,,,\n"
    "g2,co,group,Group two,,,\n"
    "a1,g1,agent,Ann,1.0,,\n"
    "a2,g1,agent,Bob,1.0,,\n"
    "a3,g2,agent,Cid,0.5,,\n";

constexpr int kEventsPerBatch = 25;

v1::IngestRequest Batch(int b) {
  v1::IngestRequest req;
  for (int i = 0; i < kEventsPerBatch; ++i) {
    auto* e = req.add_events();
    e->set_event_id("b" + std::to_string(b) + "-" + std::to_string(i));
    e->set_unit_id(i % 3 == 0 ? "a1" : i % 3 == 1 ? "a2" : "a3");
    e->set_metric_id("tickets");
    e->set_date("2026-03-" + std::string(i % 28 + 1 < 10 ? "0" : "") + std::to_string(i % 28 + 1));
    e->set_value(1 + (b + i) % 5);
  }
  return req;
}

int64_t BatchSum(int b) {
  int64_t s = 0;
  for (int i = 0; i < kEventsPerBatch; ++i) s += 1 + (b + i) % 5;
  return s;
}

v1::ProgressReply ProgressOf(const std::shared_ptr<grpc::Channel>& channel,
                             const std::string& token) {
  v1::ProgressRequest req;
  req.set_unit_id("co");
  req.set_metric_id("tickets");
  req.set_period("2026");
  req.set_as_of("2026-12-31");
  v1::ProgressReply reply;
  grpc::Status s =
      v1::ProgressService::NewStub(channel)->GetProgress(Context(token).get(), req, &reply);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return reply;
}

std::string Plans(const std::shared_ptr<grpc::Channel>& channel, const std::string& token) {
  std::string out;
  for (const char* unit : {"co", "g1", "g2", "a1", "a2", "a3"}) {
    v1::BreakdownRequest req;
    req.set_unit_id(unit);
    req.set_metric_id("tickets");
    req.set_year(2026);
    v1::Breakdown reply;
    grpc::Status s =
        v1::TargetService::NewStub(channel)->GetBreakdown(Context(token).get(), req, &reply);
    EXPECT_TRUE(s.ok()) << unit << ": " << s.error_message();
    out += reply.ShortDebugString() + "\n";
  }
  v1::HistoryReply history;
  EXPECT_TRUE(
      v1::TargetService::NewStub(channel)->History(Context(token).get(), {}, &history).ok());
  out += history.ShortDebugString() + "\n";
  v1::ListTokensReply tokens;
  EXPECT_TRUE(
      v1::AccessService::NewStub(channel)->ListTokens(Context(token).get(), {}, &tokens).ok());
  out += tokens.ShortDebugString() + "\n";
  v1::ListMetricsReply metrics;
  EXPECT_TRUE(
      v1::MetricService::NewStub(channel)->ListMetrics(Context(token).get(), {}, &metrics).ok());
  out += metrics.ShortDebugString() + "\n";
  return out;
}

TEST(Backup, OnlineCheckpointWhileIngestingRestoresEverything) {
  TempFolder backups;
  OkrdProcess live({"--backup-dir", backups.path()});
  ASSERT_NO_FATAL_FAILURE(SetUpTicketsPlan(live, kOrg, "2026", "73000"));
  ASSERT_EQ(live.Ctl({"hold", "--unit", "g2", "--metric", "tickets", "--period", "2026-05",
                      "--value", "1000"})
                .exit_code,
            0);
  ASSERT_EQ(live.Ctl({"cascade", "--unit", "co", "--metric", "tickets", "--year", "2026", "--from",
                      "2026-05"})
                .exit_code,
            0);
  const std::string token = live.admin_token();
  auto channel = Connect(live.address());
  const std::string lead = live.Ctl({"-o", "json", "token", "create", "--role", "lead", "--unit",
                                     "g1", "--label", "lead"})
                               .out;

  // Ingest batches one after another while the backup runs.
  std::atomic<int> acked{0};
  std::atomic<bool> stop{false};
  std::thread ingest([&] {
    auto stub = v1::ActualsService::NewStub(channel);
    for (int b = 0; !stop && b < 5000; ++b) {
      v1::IngestReply reply;
      grpc::Status s = stub->Ingest(Context(token).get(), Batch(b), &reply);
      if (!s.ok() || reply.accepted() != static_cast<uint32_t>(kEventsPerBatch)) {
        ADD_FAILURE() << "batch " << b << ": " << s.error_message() << reply.ShortDebugString();
        return;
      }
      acked = b + 1;
    }
  });
  while (acked < 20) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  const int acked_before = acked.load();
  // Plans, history and tokens as they are when the backup is taken (ingest changes none).
  const std::string live_plans = Plans(channel, token);
  CommandResult r = live.Ctl({"-o", "json", "admin", "backup", "snapshot"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string backup_dir = r.Json().at("dir");
  EXPECT_EQ(backup_dir, backups / "snapshot");
  const int acked_after_backup = acked.load();
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  stop = true;
  ingest.join();
  EXPECT_GT(acked.load(), acked_after_backup) << "the server kept serving writes";
  EXPECT_TRUE(std::filesystem::exists(backup_dir + "/db/CURRENT"));

  // A second backup into the same folder is refused; the live server is unharmed.
  r = live.Ctl({"admin", "backup", "snapshot"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("ALREADY_EXISTS"), std::string::npos) << r.err;
  // The live history has the backup's audit entry, written after the checkpoint.
  CommandResult audited = live.Ctl({"-o", "json", "history", "--limit", "1"});
  ASSERT_EQ(audited.exit_code, 0) << audited.err;
  EXPECT_EQ(audited.Json()["entries"][0]["action"], "admin.backup") << audited.out;

  // okrd --data-dir BACKUP: the operator brings the admin token (only its hash is stored).
  OkrdProcess restored;
  restored.Stop(SIGKILL);
  std::filesystem::remove_all(restored.data_dir());
  std::filesystem::copy(backup_dir, restored.data_dir(), std::filesystem::copy_options::recursive);
  std::filesystem::copy_file(live.data_dir() + "/admin.token",
                             restored.data_dir() + "/admin.token");
  restored.Start();
  auto restored_channel = Connect(restored.address());
  EXPECT_EQ(Plans(restored_channel, token), live_plans);
  EXPECT_EQ(restored.Ctl({"org", "show", "co"}).out, live.Ctl({"org", "show", "co"}).out);

  // Actuals: exactly a prefix of the batches, at least every batch acknowledged before.
  const v1::Progress p = ProgressOf(restored_channel, token).progress();
  ASSERT_EQ(p.events() % kEventsPerBatch, 0) << "a half batch in the backup: " << p.events();
  const int batches = static_cast<int>(p.events() / kEventsPerBatch);
  EXPECT_GE(batches, acked_before);
  EXPECT_LE(batches, acked_after_backup + 1);
  int64_t sum = 0;
  for (int b = 0; b < batches; ++b) sum += BatchSum(b);
  EXPECT_EQ(p.actual(), static_cast<double>(sum));

  // The restored server takes writes; the batches after the backup are new to it, earlier
  // ones are duplicates.
  v1::IngestReply reply;
  ASSERT_TRUE(v1::ActualsService::NewStub(restored_channel)
                  ->Ingest(Context(token).get(), Batch(0), &reply)
                  .ok());
  EXPECT_EQ(reply.duplicates(), static_cast<uint32_t>(kEventsPerBatch));
  ASSERT_TRUE(v1::ActualsService::NewStub(restored_channel)
                  ->Ingest(Context(token).get(), Batch(batches), &reply)
                  .ok());
  EXPECT_EQ(reply.accepted(), static_cast<uint32_t>(kEventsPerBatch));
  // The lead token made before the backup works on the restored server.
  const std::string lead_secret = nlohmann::json::parse(lead).at("token");
  EXPECT_EQ(restored
                .CtlAs(lead_secret,
                       {"breakdown", "--unit", "g1", "--metric", "tickets", "--year", "2026"})
                .exit_code,
            0);
  std::filesystem::remove_all(backup_dir);
}

}  // namespace
}  // namespace okr::testing
