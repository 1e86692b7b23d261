// Which plugin files okrd loads (issue 23): `okrctl plugin load` takes a name or a path that
// resolves inside --plugin-dir, nothing else; a file others could change (group- or
// world-writable, another owner, in a writable folder) is refused over the API, at start-up
// and on SIGHUP; without a plugin folder nothing loads.
//
// Before the fix, any director token could make okrd dlopen any path: the loads of the shipped
// tiered_bonus.so from the build folder below succeeded.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/integration/build_paths.h"
#include "tests/integration/fixtures.h"
#include "tests/integration/harness.h"
#include "tests/integration/temp_folder.h"

namespace okr::testing {
namespace {

using nlohmann::json;

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Runs `okrctl plugin load what`; expects a refusal with `status` and `message` in stderr.
void ExpectRefused(const OkrdProcess& okrd, const std::string& what, const std::string& status,
                   const std::string& message) {
  CommandResult r = okrd.Ctl({"plugin", "load", what});
  EXPECT_NE(r.exit_code, 0) << what << " was loaded";
  EXPECT_NE(r.err.find(status), std::string::npos) << what << ": " << r.err;
  EXPECT_NE(r.err.find(message), std::string::npos) << what << ": " << r.err;
}

const std::string kShipped = std::string(PluginDir()) + "/tiered_bonus.so";

TEST(PluginLoad, ByNameFromThePluginFolder) {
  TempFolder plugins;
  plugins.CopyPlugin("recognition.so");
  OkrdProcess okrd({"--plugin-dir", plugins.path()});
  ASSERT_EQ(PluginNames(okrd), std::vector<std::string>{"recognition"});

  // Files put in the folder after start: by name, by file name, by absolute path inside.
  plugins.CopyPlugin("tiered_bonus.so");
  plugins.CopyPlugin("threshold_redline.so");
  CommandResult by_name = okrd.Ctl({"-o", "json", "plugin", "load", "tiered_bonus"});
  ASSERT_EQ(by_name.exit_code, 0) << by_name.err;
  EXPECT_EQ(by_name.Json()["name"], "tiered_bonus");
  EXPECT_EQ(by_name.Json()["path"], plugins / "tiered_bonus.so");
  CommandResult by_path =
      okrd.Ctl({"-o", "json", "plugin", "load", plugins / "threshold_redline.so"});
  ASSERT_EQ(by_path.exit_code, 0) << by_path.err;
  EXPECT_EQ(by_path.Json()["name"], "threshold_redline");
  EXPECT_EQ(PluginNames(okrd),
            (std::vector<std::string>{"recognition", "threshold_redline", "tiered_bonus"}));

  // A name with no file: NOT_FOUND, saying where it looked.
  ExpectRefused(okrd, "no_such_plugin", "NOT_FOUND", plugins / "no_such_plugin.so");
}

TEST(PluginLoad, PathsOutsideThePluginFolderAreRefused) {
  TempFolder plugins;
  plugins.CopyPlugin("recognition.so");
  OkrdProcess okrd({"--plugin-dir", plugins.path()});

  // A real plugin, but in another folder; the same through `..`; through a symlink inside
  // the folder that leads out of it; a system library.
  ExpectRefused(okrd, kShipped, "PERMISSION_DENIED", "outside okrd's plugin folder");
  ExpectRefused(okrd, plugins / "../x.so", "PERMISSION_DENIED", "outside okrd's plugin folder");
  const std::string up_to_root = "../../../../../../../../../../";
  ExpectRefused(okrd, up_to_root + std::filesystem::relative(kShipped, "/").string(),
                "PERMISSION_DENIED", "resolves to " + kShipped);
  std::filesystem::create_symlink(kShipped, plugins / "linked.so");
  ExpectRefused(okrd, "linked", "PERMISSION_DENIED", "resolves to " + kShipped);
  ExpectRefused(okrd, "/usr/lib/x86_64-linux-gnu/libz.so.1", "PERMISSION_DENIED",
                "outside okrd's plugin folder");
  EXPECT_EQ(PluginNames(okrd), std::vector<std::string>{"recognition"});

  // The symlink is refused at a SIGHUP scan of the folder too, with a line in the log.
  ASSERT_EQ(::kill(okrd.pid(), SIGHUP), 0);
  bool logged = false;
  for (int i = 0; i < 100 && !logged; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    logged =
        ReadAll(okrd.log_path()).find(" warn plugin.refused path=" + (plugins / "linked.so")) !=
        std::string::npos;
  }
  EXPECT_TRUE(logged) << ReadAll(okrd.log_path());
  EXPECT_EQ(PluginNames(okrd), std::vector<std::string>{"recognition"});
}

TEST(PluginLoad, FilesOthersCouldChangeAreRefused) {
  TempFolder plugins;
  plugins.CopyPlugin("recognition.so");
  // Group-writable at start: skipped, with a line in the log.
  plugins.CopyPlugin("threshold_redline.so", "", 0775);
  OkrdProcess okrd({"--plugin-dir", plugins.path()});
  EXPECT_EQ(PluginNames(okrd), std::vector<std::string>{"recognition"});
  EXPECT_NE(ReadAll(okrd.log_path())
                .find(" warn plugin.refused path=" + (plugins / "threshold_redline.so")),
            std::string::npos)
      << ReadAll(okrd.log_path());
  ExpectRefused(okrd, "threshold_redline", "PERMISSION_DENIED",
                "is group- or world-writable (mode 0775)");

  // World-writable, put in after start: refused over the API and on SIGHUP.
  plugins.CopyPlugin("tiered_bonus.so", "", 0757);
  ExpectRefused(okrd, "tiered_bonus", "PERMISSION_DENIED",
                "is group- or world-writable (mode 0757)");
  ASSERT_EQ(::kill(okrd.pid(), SIGHUP), 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_EQ(PluginNames(okrd), std::vector<std::string>{"recognition"});

  // Fixed with chmod go-w, it loads.
  ASSERT_EQ(::chmod((plugins / "tiered_bonus.so").c_str(), 0755), 0);
  EXPECT_EQ(okrd.Ctl({"plugin", "load", "tiered_bonus"}).exit_code, 0);

  // A plugin folder that others may write: whoever can write it can swap the file.
  ASSERT_EQ(::chmod(plugins.path().c_str(), 0777), 0);
  ASSERT_EQ(::chmod((plugins / "threshold_redline.so").c_str(), 0755), 0);
  ExpectRefused(okrd, "threshold_redline", "PERMISSION_DENIED",
                "its folder " + plugins.path() + " is group- or world-writable (mode 0777)");
  ASSERT_EQ(::chmod(plugins.path().c_str(), 0700), 0);
  EXPECT_EQ(okrd.Ctl({"plugin", "load", "threshold_redline"}).exit_code, 0);
}

TEST(PluginLoad, FilesOfAnotherOwnerAreRefused) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to give a file to another user";
  TempFolder plugins;
  OkrdProcess okrd({"--plugin-dir", plugins.path()});
  const std::string file = plugins.CopyPlugin("tiered_bonus.so");
  ASSERT_EQ(::chown(file.c_str(), 65534, 65534), 0);
  ExpectRefused(okrd, "tiered_bonus", "PERMISSION_DENIED", "is owned by uid 65534");
  EXPECT_TRUE(PluginNames(okrd).empty());
}

TEST(PluginLoad, WithoutAPluginFolderNothingLoads) {
  OkrdProcess okrd;
  ExpectRefused(okrd, "tiered_bonus", "FAILED_PRECONDITION", "--plugin-dir");
  ExpectRefused(okrd, kShipped, "FAILED_PRECONDITION", "--plugin-dir");
  EXPECT_TRUE(PluginNames(okrd).empty());
}

}  // namespace
}  // namespace okr::testing
