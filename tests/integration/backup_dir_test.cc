// Where okrd writes copies of its database, and who may read them (issue 23): backups only
// under --backup-dir (none without it), never through `..` or an absolute path or symlink that
// leads out of it; a backup is a 0700 folder of 0600 files and is audited; the data folder is
// 0700 and its files (admin.token, RocksDB's) 0600.
//
// Before the fix, `okrctl admin backup DIR` wrote to any path with the default umask (folders
// 0755, files 0644), unaudited, and the data folder was 0755.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "tests/integration/harness.h"
#include "tests/integration/temp_folder.h"

namespace okr::testing {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

// Every folder and file under `root` whose mode is not 0700 (folders) or 0600 (files).
std::vector<std::string> NotPrivate(const std::string& root) {
  std::vector<std::string> wrong;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    const int mode = ModeOf(entry.path().string());
    const bool folder = entry.is_directory() && !entry.is_symlink();
    if (entry.is_symlink()) continue;
    if (mode != (folder ? 0700 : 0600)) {
      char octal[8];
      std::snprintf(octal, sizeof octal, "%04o", static_cast<unsigned>(mode));
      wrong.push_back(entry.path().string() + " " + octal);
    }
  }
  return wrong;
}

void ExpectRefused(const OkrdProcess& okrd, const std::string& name, const std::string& status,
                   const std::string& message) {
  CommandResult r = okrd.Ctl({"admin", "backup", name});
  EXPECT_NE(r.exit_code, 0) << name << " was backed up";
  EXPECT_NE(r.err.find(status), std::string::npos) << name << ": " << r.err;
  EXPECT_NE(r.err.find(message), std::string::npos) << name << ": " << r.err;
}

TEST(BackupDir, WithoutBackupDirNoBackupIsWritten) {
  TempFolder elsewhere;
  OkrdProcess okrd;
  ExpectRefused(okrd, elsewhere / "copy", "FAILED_PRECONDITION", "--backup-dir");
  ExpectRefused(okrd, "copy", "FAILED_PRECONDITION", "--backup-dir");
  EXPECT_FALSE(fs::exists(elsewhere / "copy"));
}

TEST(BackupDir, NamesThatLeaveTheBackupFolderAreRefused) {
  TempFolder parent;
  const std::string backups = parent / "backups";
  OkrdProcess okrd({"--backup-dir", backups});
  ExpectRefused(okrd, "../x", "INVALID_ARGUMENT", "'..'");
  ExpectRefused(okrd, "a/../../x", "INVALID_ARGUMENT", "'..'");
  ExpectRefused(okrd, backups + "/../y", "INVALID_ARGUMENT", "'..'");
  ExpectRefused(okrd, parent / "z", "PERMISSION_DENIED", "outside okrd's backup folder");
  ExpectRefused(okrd, "/tmp/okr-backup-escape", "PERMISSION_DENIED",
                "outside okrd's backup folder");
  // A symlink inside the folder that leads out of it.
  fs::create_directory(parent / "outside");
  fs::create_directory_symlink(parent / "outside", backups + "/link");
  ExpectRefused(okrd, "link/copy", "PERMISSION_DENIED", "outside okrd's backup folder");
  ExpectRefused(okrd, backups, "INVALID_ARGUMENT", "the backup folder itself");
  EXPECT_FALSE(fs::exists(parent / "x"));
  EXPECT_FALSE(fs::exists(parent / "y"));
  EXPECT_FALSE(fs::exists(parent / "z"));
  EXPECT_FALSE(fs::exists("/tmp/okr-backup-escape"));
  EXPECT_TRUE(fs::is_empty(parent / "outside"));
}

TEST(BackupDir, ABackupIsPrivateAndAudited) {
  TempFolder parent;
  const std::string backups = parent / "backups";
  OkrdProcess okrd({"--backup-dir", backups});
  // okrd made the backup folder itself, 0700.
  EXPECT_EQ(ModeOf(backups), 0700);
  ASSERT_EQ(okrd.Ctl({"metric", "define", "tickets", "--kind", "count"}).exit_code, 0);

  CommandResult r = okrd.Ctl({"-o", "json", "admin", "backup", "2026/nightly"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string dir = backups + "/2026/nightly";
  EXPECT_EQ(r.Json()["dir"], dir);
  EXPECT_GT(r.Json()["bytes"].get<int64_t>(), 0);
  EXPECT_TRUE(fs::exists(dir + "/db/CURRENT"));
  EXPECT_EQ(ModeOf(backups + "/2026"), 0700);
  EXPECT_EQ(ModeOf(dir), 0700);
  EXPECT_EQ(ModeOf(dir + "/db/CURRENT"), 0600);
  EXPECT_EQ(NotPrivate(backups), std::vector<std::string>{});

  // The same name again: ALREADY_EXISTS.
  ExpectRefused(okrd, "2026/nightly", "ALREADY_EXISTS", "already exists");

  // The audit history says who, when and where.
  CommandResult history = okrd.Ctl({"-o", "json", "history"});
  ASSERT_EQ(history.exit_code, 0) << history.err;
  std::vector<json> backups_audited;
  const json entries = history.Json()["entries"];
  for (const json& e : entries) {
    if (e["action"] == "admin.backup") backups_audited.push_back(e);
  }
  ASSERT_EQ(backups_audited.size(), 1u) << history.out;
  EXPECT_EQ(backups_audited[0]["actor"], "admin:admin");
  EXPECT_EQ(backups_audited[0]["after"]["dir"], dir);
  EXPECT_EQ(backups_audited[0]["after"]["bytes"], r.Json()["bytes"]);
  EXPECT_FALSE(backups_audited[0]["at"].get<std::string>().empty());
}

TEST(BackupDir, TheDataFolderIsPrivate) {
  OkrdProcess okrd;
  ASSERT_EQ(okrd.Ctl({"metric", "define", "tickets", "--kind", "count"}).exit_code, 0);
  okrd.Restart();  // a flush on the way down: table files, manifest, options, logs
  EXPECT_EQ(ModeOf(okrd.data_dir()), 0700);
  EXPECT_EQ(ModeOf(okrd.data_dir() + "/admin.token"), 0600);
  EXPECT_EQ(ModeOf(okrd.data_dir() + "/db"), 0700);
  EXPECT_EQ(ModeOf(okrd.data_dir() + "/db/CURRENT"), 0600);
  EXPECT_EQ(NotPrivate(okrd.data_dir()), std::vector<std::string>{});
}

TEST(BackupDir, AnExistingDataFolderIsMadePrivate) {
  TempFolder parent;
  const std::string data = parent / "data";
  fs::create_directory(data);
  ASSERT_EQ(::chmod(data.c_str(), 0755), 0);
  const int port = FreePort();
  const pid_t pid = SpawnOkrd("127.0.0.1:" + std::to_string(port), data, {}, parent / "okrd.log");
  for (int i = 0; i < 200 && !fs::exists(data + "/admin.token"); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ::kill(pid, SIGTERM);
  int status = 0;
  ::waitpid(pid, &status, 0);
  EXPECT_EQ(ModeOf(data), 0700);
  EXPECT_EQ(ModeOf(data + "/admin.token"), 0600);
}

}  // namespace
}  // namespace okr::testing
