// What an operator alerts on (issue 22): the process figures under Prometheus' standard
// names, build info with the commit, the store's WAL and write health, and the timestamps of
// the last ingest and the last backup, every one exported from the start. Each expected value
// is read independently: from the kernel's /proc files of okrd's pid, from git, from the data
// folder's files, and from the test clock okrd was started on.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "tests/integration/fixtures.h"
#include "tests/integration/harness.h"
#include "tests/integration/metrics_scrape.h"

namespace okr::testing {
namespace {

std::string ReadText(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The number after `label` on its line of a /proc file ("VmRSS:   1234 kB" -> 1234).
double ProcField(const std::string& text, const std::string& label) {
  const size_t at = text.find(label);
  if (at == std::string::npos) return -1;
  return std::stod(text.substr(at + label.size()));
}

int64_t UnixNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

TEST(OperatorMetrics, ProcessFiguresAreTheKernels) {
  const int port = FreePort();
  const int64_t before_start = UnixNow();
  OkrdProcess okrd({"--http-listen", "127.0.0.1:" + std::to_string(port)});
  const int64_t after_start = UnixNow();
  const std::string proc = "/proc/" + std::to_string(okrd.pid());

  const auto s = ScrapeMetrics(port);
  const double rss_kib = ProcField(ReadText(proc + "/status"), "VmRSS:");
  const double limit = ProcField(ReadText(proc + "/limits"), "Max open files");

  // Resident memory is in bytes (pages x 4096, not pages): within a factor of two of the
  // kernel's VmRSS read a moment later.
  ASSERT_EQ(s.count("process_resident_memory_bytes"), 1u);
  EXPECT_GT(s.at("process_resident_memory_bytes"), rss_kib * 1024 / 2);
  EXPECT_LT(s.at("process_resident_memory_bytes"), rss_kib * 1024 * 2);
  EXPECT_GT(s.at("process_virtual_memory_bytes"), s.at("process_resident_memory_bytes"));
  // Started between the two clock reads around the spawn (clock ticks are 1/100 s).
  EXPECT_GE(s.at("process_start_time_seconds"), before_start - 1);
  EXPECT_LE(s.at("process_start_time_seconds"), after_start + 1);
  EXPECT_EQ(s.at("process_max_fds"), limit);
  // okrd holds RocksDB's files, its listeners and the scrape's socket open.
  EXPECT_GT(s.at("process_open_fds"), 10);
  EXPECT_LT(s.at("process_open_fds"), limit);
  EXPECT_GT(s.at("process_cpu_seconds_total"), 0);
  EXPECT_EQ(s.at("okr_build_info{commit=" + SourceCommit() + ",version=0.1.0}"), 1);
}

TEST(OperatorMetrics, StoreFiguresAndWriteHealthFromTheStart) {
  const int port = FreePort();
  OkrdProcess okrd({"--http-listen", "127.0.0.1:" + std::to_string(port)});
  ASSERT_EQ(
      okrd.Ctl({"metric", "define", "tickets", "--kind", "count", "--direction", "up"}).exit_code,
      0);
  const auto s = ScrapeMetrics(port);
  // The WAL is every *.log file of the database folder; nothing writes between the scrape
  // and the listing.
  double wal = 0;
  for (const auto& entry : std::filesystem::directory_iterator(okrd.data_dir() + "/db")) {
    if (entry.path().extension() == ".log") wal += static_cast<double>(entry.file_size());
  }
  ASSERT_GT(wal, 0);
  EXPECT_EQ(s.at("okr_rocksdb_wal_bytes"), wal);
  EXPECT_EQ(s.at("okr_rocksdb_write_stopped"), 0);
  EXPECT_EQ(s.at("okr_rocksdb_delayed_write_rate_bytes"), 0);
  EXPECT_EQ(s.count("okr_rocksdb_live_sst_bytes"), 1u);
  EXPECT_EQ(s.count("okr_rocksdb_total_sst_bytes"), 1u);
}

// 2026-03-10T12:00:00Z is Unix 1773144000. okrd's clock starts there and runs on, so a
// timestamp it takes lies between that and that plus the test's own running time.
TEST(OperatorMetrics, LastIngestAndLastBackupAreStampedByTheServersClock) {
  constexpr int64_t kStart = 1773144000;
  const int port = FreePort();
  const std::string backups =
      std::filesystem::temp_directory_path() /
      ("okr-backups-" + std::to_string(::getpid()) + "-" + std::to_string(port));
  const auto began = std::chrono::steady_clock::now();
  OkrdProcess okrd({"--http-listen", "127.0.0.1:" + std::to_string(port), "--backup-dir", backups,
                    "--test-clock-start", "2026-03-10T12:00:00Z", "--time-zone", "UTC"});
  auto elapsed = [&] {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() -
                                                            began)
               .count() +
           1;
  };
  const auto s0 = ScrapeMetrics(port);
  EXPECT_EQ(s0.at("okr_actuals_last_ingest_timestamp_seconds"), 0);
  EXPECT_EQ(s0.at("okr_backup_last_success_timestamp_seconds"), 0);

  SetUpTickets(okrd,
               "unit_id,parent_id,kind,name,fte\n"
               "co,,company,Co,\n"
               "a1,co,agent,Ann,1.0\n");
  if (HasFatalFailure()) return;
  // A file whose only row is refused stamps nothing.
  EXPECT_NE(okrd.Ctl({"actuals", "import",
                      okrd.WriteFile("bad.csv",
                                     "event_id,unit_id,metric,date,value\n"
                                     "e0,nobody,tickets,2026-03-09,1\n")})
                .exit_code,
            0);
  EXPECT_EQ(ScrapeMetrics(port).at("okr_actuals_last_ingest_timestamp_seconds"), 0);
  ASSERT_EQ(okrd.Ctl({"actuals", "import",
                      okrd.WriteFile("a.csv",
                                     "event_id,unit_id,metric,date,value\n"
                                     "e1,a1,tickets,2026-03-09,4\n")})
                .exit_code,
            0);
  const auto s1 = ScrapeMetrics(port);
  EXPECT_GE(s1.at("okr_actuals_last_ingest_timestamp_seconds"), kStart);
  EXPECT_LE(s1.at("okr_actuals_last_ingest_timestamp_seconds"), kStart + elapsed());
  EXPECT_EQ(s1.at("okr_backup_last_success_timestamp_seconds"), 0);

  ASSERT_EQ(okrd.Ctl({"admin", "backup", "first"}).exit_code, 0);
  const auto s2 = ScrapeMetrics(port);
  EXPECT_GE(s2.at("okr_backup_last_success_timestamp_seconds"), kStart);
  EXPECT_LE(s2.at("okr_backup_last_success_timestamp_seconds"), kStart + elapsed());
  std::filesystem::remove_all(backups);
}

}  // namespace
}  // namespace okr::testing
