// okrd's command line beyond the data flags: the default plugin folder (the shipped plugins
// beside the program load with no flag), --no-plugins, --config FILE and --version.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <string>
#include <vector>

#include "okr/version.h"
#include "tests/integration/build_paths.h"
#include "tests/integration/fixtures.h"
#include "tests/integration/harness.h"
#include "tests/integration/temp_folder.h"

namespace okr::testing {
namespace {

// build/okrd finds build/plugins/ with no --plugin-dir. A config file's keys are flags: here
// it names a backup folder, which `admin backup` then writes into.
TEST(ServerFlags, ConfigFileAndDefaultPluginFolder) {
  TempFolder folder;
  const std::string backups = folder / "backups";
  std::ofstream(folder / "okrd.conf") << "# okrd flags\nbackup-dir = \"" << backups << "\"\n";
  OkrdProcess okrd({"--config", folder / "okrd.conf"});
  EXPECT_EQ(PluginNames(okrd),
            (std::vector<std::string>{"recognition", "threshold_redline", "tiered_bonus"}));
  CommandResult backup = okrd.Ctl({"admin", "backup", "first"});
  EXPECT_EQ(backup.exit_code, 0) << backup.err;
  EXPECT_TRUE(std::filesystem::is_directory(backups + "/first")) << backup.out;
}

TEST(ServerFlags, NoPluginsLoadsNone) {
  OkrdProcess okrd({"--no-plugins"});
  EXPECT_EQ(PluginNames(okrd), std::vector<std::string>{});
}

TEST(ServerFlags, NoPluginsAndPluginDirContradict) {
  CommandResult r = RunCommand({OkrdPath(), "--no-plugins", "--plugin-dir", PluginDir()});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("--plugin-dir excludes --no-plugins"), std::string::npos) << r.err;
}

TEST(ServerFlags, VersionNamesTheProgramAndItsVersion) {
  CommandResult r = RunCommand({OkrdPath(), "--version"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, std::string("okrd ") + kVersion + "\n");
}

// okrctl version shows both sides, even without a token (the server's answer is then
// UNAUTHENTICATED, but it carries the version).
TEST(ServerFlags, OkrctlVersionShowsClientAndServer) {
  OkrdProcess okrd;
  CommandResult r = okrd.CtlAs("", {"-o", "json", "version"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.Json(), (nlohmann::json{{"client", kVersion}, {"server", kVersion}}));
  CommandResult text = okrd.Ctl({"version"});
  EXPECT_EQ(text.out, std::string("okrctl ") + kVersion + "\nokrd " + kVersion + "\n");
}

TEST(ServerFlags, OkrctlVersionWithoutAServerIsAnError) {
  CommandResult r = RunCommand({OkrctlPath(), "--server", "127.0.0.1:" + std::to_string(FreePort()),
                                "--timeout", "2", "version"});
  EXPECT_EQ(r.exit_code, 14) << r.err;  // UNAVAILABLE's code
  EXPECT_EQ(r.out, std::string("okrctl ") + kVersion + "\n");
  EXPECT_NE(r.err.find("UNAVAILABLE"), std::string::npos) << r.err;
}

TEST(ServerFlags, AnUnknownConfigKeyIsRefused) {
  TempFolder folder;
  std::ofstream(folder / "okrd.conf") << "listne = \"127.0.0.1:1\"\n";
  // Under `timeout`: an okrd that ignored the key would serve on and never exit.
  CommandResult r = RunCommand({"/usr/bin/timeout", "20", OkrdPath(), "--config",
                                folder / "okrd.conf", "--data-dir", folder / "data"});
  EXPECT_NE(r.exit_code, 124) << "okrd started despite the unknown key";
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("listne"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace okr::testing
