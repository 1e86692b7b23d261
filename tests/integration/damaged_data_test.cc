// A damaged data folder: okrd refuses to start on a record that does not parse (naming its
// column family and key) rather than serve a smaller org, and okrd --verify reports every
// damaged record and every roll-up that differs from the sum of its events.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "services/core/data_folder.h"
#include "store/codecs.h"
#include "store/db.h"
#include "store/rollup.h"
#include "tests/integration/build_paths.h"
#include "tests/integration/fixtures.h"
#include "tests/integration/harness.h"

namespace okr::testing {
namespace {

void SetUpOrg(const OkrdProcess& okrd) {
  ASSERT_EQ(okrd.Ctl({"org", "import", okrd.WriteFile("org.csv", kSmallOrg)}).exit_code, 0);
  ASSERT_EQ(
      okrd.Ctl({"metric", "define", "calls", "--kind", "count", "--direction", "up"}).exit_code, 0);
  // g1's calls on 2026-03-02: 5 + 7 = 12, in 2 events.
  CommandResult r = okrd.Ctl({"actuals", "import",
                              okrd.WriteFile("actuals.csv",
                                             "event_id,unit_id,metric,date,value,denominator\n"
                                             "e1,a1,calls,2026-03-02,5,\n"
                                             "e2,a2,calls,2026-03-02,7,\n")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
}

// Writes one raw value into the stopped okrd's database, through the store API.
void Overwrite(const std::string& data_dir, store::Cf cf, const std::string& key,
               const std::string& value) {
  auto db = store::Db::Open(DatabaseDir(data_dir));
  ASSERT_TRUE(db.ok()) << db.status();
  store::Batch batch = (*db)->NewBatch();
  batch.Put(cf, key, value);
  ASSERT_TRUE((*db)->Commit(batch).ok());
}

CommandResult Verify(const std::string& data_dir) {
  return RunCommand({OkrdPath(), "--verify", "--data-dir", data_dir});
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// A UnitRecord whose first field claims 127 bytes and has 7: it does not parse.
constexpr char kGarbage[] = "\x0a\x7fgarbage";

TEST(DamagedData, OkrdRefusesToStartOnAUnitThatDoesNotParse) {
  OkrdProcess okrd;
  SetUpOrg(okrd);
  okrd.Stop();
  Overwrite(okrd.data_dir(), store::Cf::kUnits, store::UnitKey("a1"), kGarbage);

  const std::string log = okrd.WriteFile("damaged-start.log", "");
  const pid_t pid = SpawnOkrd("127.0.0.1:" + std::to_string(FreePort()), okrd.data_dir(), {}, log);
  int status = 0;
  bool exited = false;
  for (int i = 0; i < 400 && !exited; ++i) {  // up to 20 s; an okrd that serves never exits
    exited = ::waitpid(pid, &status, WNOHANG) == pid;
    if (!exited) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  if (!exited) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, &status, 0);
    FAIL() << "okrd started on a damaged database: " << ReadAll(log);
  }
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 1);
  const std::string text = ReadAll(log);
  // A log line: the message is a quoted value, its quotes and backslashes escaped.
  EXPECT_NE(text.find(R"( error server.start_failed error="column family 'units', key )"
                      R"(\"a1\\x00\\x01\": the stored UnitRecord does not parse)"),
            std::string::npos)
      << text;

  CommandResult verify = Verify(okrd.data_dir());
  EXPECT_EQ(verify.exit_code, 1) << verify.out << verify.err;
  EXPECT_NE(verify.out.find("column family 'units', key \"a1\\x00\\x01\""), std::string::npos)
      << verify.out;
}

TEST(DamagedData, DemoDataVerifiesClean) {
  OkrdProcess okrd({"--demo"});
  okrd.Stop();
  CommandResult verify = Verify(okrd.data_dir());
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  EXPECT_NE(verify.out.find(": clean"), std::string::npos) << verify.out;
}

TEST(DamagedData, VerifyNamesARollupThatDiffersFromItsEvents) {
  OkrdProcess okrd;
  SetUpOrg(okrd);
  okrd.Stop();
  CommandResult clean = Verify(okrd.data_dir());
  EXPECT_EQ(clean.exit_code, 0) << clean.out << clean.err;

  // 13 where the events add up to 12.
  Overwrite(okrd.data_dir(), store::Cf::kRollups, store::RollupDayKey("g1", "calls", 20260302),
            store::RollupValue{13'000'000, 0, 2}.Encode());
  CommandResult verify = Verify(okrd.data_dir());
  EXPECT_EQ(verify.exit_code, 1) << verify.out << verify.err;
  EXPECT_NE(verify.out.find("roll-up of unit 'g1', metric 'calls', day 2026-03-02: expected "
                            "value 12 (denominator 0, events 2), found value 13 (denominator 0, "
                            "events 2)"),
            std::string::npos)
      << verify.out;
  // Nothing else differs: the one line and the summary.
  EXPECT_NE(verify.out.find(": 1 problem(s)"), std::string::npos) << verify.out;
}

TEST(DamagedData, VerifyRefusesAFolderWithoutADatabase) {
  char dir[] = "/tmp/okr-verify-emptyXXXXXX";
  ASSERT_NE(::mkdtemp(dir), nullptr);
  CommandResult verify = Verify(dir);
  EXPECT_EQ(verify.exit_code, 1);
  EXPECT_NE(verify.err.find("no database in"), std::string::npos) << verify.err;
  ::rmdir(dir);
}

}  // namespace
}  // namespace okr::testing
