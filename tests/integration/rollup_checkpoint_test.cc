// Roll-ups as derived state (services/core/rollup_store.h), through a real okrd: actuals are
// read at once whether or not a checkpoint has folded them in; after kill -9 the roll-ups the
// checkpoint had not reached are read back from the journal, once; a clean stop checkpoints;
// and okrd --verify counts what the journal holds.
//
// okrd's clock reads 2026-05-10 (UTC). Every expected value is worked out by hand.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "tests/integration/build_paths.h"
#include "tests/integration/fixtures.h"
#include "tests/integration/harness.h"

namespace okr::testing {
namespace {

// April: a1 10 (e1) and 4 (e3); a2's e2 first 5, then corrected to 8.
constexpr char kFirst[] =
    "event_id,unit_id,metric,date,value,denominator\n"
    "e1,a1,tickets,2026-04-03,10,\n"
    "e2,a2,tickets,2026-04-10,5,\n";
constexpr char kSecond[] =
    "event_id,unit_id,metric,date,value,denominator\n"
    "e2,a2,tickets,2026-04-10,8,\n"
    "e3,a1,tickets,2026-04-20,4,\n";

double AprilActual(const OkrdProcess& okrd, const std::string& unit) {
  CommandResult r = okrd.Ctl(
      {"progress", "--unit", unit, "--metric", "tickets", "--period", "2026-04", "-o", "json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.exit_code == 0 ? r.Json()["actual"].get<double>() : -1;
}

// a1 10 + 4 = 14, a2 8 (the correction replaces 5, it does not add), g1 and t1 and co 22.
void ExpectApril(const OkrdProcess& okrd) {
  EXPECT_EQ(AprilActual(okrd, "a1"), 14);
  EXPECT_EQ(AprilActual(okrd, "a2"), 8);
  EXPECT_EQ(AprilActual(okrd, "g1"), 22);
  EXPECT_EQ(AprilActual(okrd, "co"), 22);
}

CommandResult Verify(const std::string& data_dir) {
  return RunCommand({OkrdPath(), "--verify", "--data-dir", data_dir});
}

void Import(const OkrdProcess& okrd, const char* name, const char* csv) {
  CommandResult r = okrd.Ctl({"actuals", "import", okrd.WriteFile(name, csv)});
  ASSERT_EQ(r.exit_code, 0) << r.err;
}

// Imports both files into an okrd that checkpoints every `checkpoint_ms`, waits `settle`, kills
// it, and checks the April actuals before the kill, after a restart, and after a clean stop.
void KillAndReadBack(const std::string& checkpoint_ms, std::chrono::milliseconds settle) {
  OkrdProcess okrd(
      {"--test-clock-start", "2026-05-10T12:00:00Z", "--rollup-checkpoint-ms", checkpoint_ms});
  SetUpTicketsPlan(okrd, kSmallOrg, "2026", "1200");
  Import(okrd, "first.csv", kFirst);
  Import(okrd, "second.csv", kSecond);
  ExpectApril(okrd);
  std::this_thread::sleep_for(settle);

  okrd.Stop(9);
  // The folder of the killed okrd: its roll-ups with the journal add up to its events.
  CommandResult verify = Verify(okrd.data_dir());
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  okrd.Start();
  ExpectApril(okrd);

  okrd.Stop();  // SIGTERM: the last checkpoint empties the journal
  verify = Verify(okrd.data_dir());
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  okrd.Start();
  ExpectApril(okrd);
}

TEST(RollupCheckpoint, WithNoCheckpointBeforeTheKillTheJournalIsReadBack) {
  // A minute between checkpoints: none happens before the kill.
  KillAndReadBack("60000", std::chrono::milliseconds(0));
}

TEST(RollupCheckpoint, WithCheckpointsBeforeTheKillNothingIsCountedTwice) {
  // Checkpoints every 10 ms, and 300 ms before the kill: all of it is in the rollups family.
  KillAndReadBack("10", std::chrono::milliseconds(300));
}

TEST(RollupCheckpoint, TheIntervalMustBeSane) {
  for (const char* bad : {"0", "5", "60001", "x"}) {
    CommandResult r =
        RunCommand({OkrdPath(), "--rollup-checkpoint-ms", bad, "--data-dir", "/nonexistent"});
    EXPECT_EQ(r.exit_code, 105) << bad << ": " << r.err;  // CLI11's validation error
    EXPECT_NE(r.err.find("--rollup-checkpoint-ms"), std::string::npos) << r.err;
  }
}

}  // namespace
}  // namespace okr::testing
