// okrd's default plugin folder (services/core/plugin_folder.h): <exe dir>/plugins first (a
// build folder), then <exe dir>/../lib/okr/plugins (an installed package), else none.
#include "services/core/plugin_folder.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "tests/integration/temp_folder.h"

namespace okr {
namespace {

namespace fs = std::filesystem;

class PluginFolderTest : public ::testing::Test {
 protected:
  void SetUp() override { fs::create_directories(root_ / "usr" / "bin"); }

  testing::TempFolder folder_;
  const fs::path root_{folder_.path()};
};

TEST_F(PluginFolderTest, NoneWhenNeitherFolderExists) {
  EXPECT_EQ(DefaultPluginFolder((root_ / "usr" / "bin").string()), "");
  EXPECT_EQ(DefaultPluginFolder(""), "");
}

TEST_F(PluginFolderTest, InstalledLayoutIsFoundFromBin) {
  fs::create_directories(root_ / "usr" / "lib" / "okr" / "plugins");
  EXPECT_EQ(DefaultPluginFolder((root_ / "usr" / "bin").string()),
            (root_ / "usr" / "lib" / "okr" / "plugins").string());
}

TEST_F(PluginFolderTest, FolderBesideTheProgramComesFirst) {
  fs::create_directories(root_ / "usr" / "lib" / "okr" / "plugins");
  fs::create_directories(root_ / "usr" / "bin" / "plugins");
  EXPECT_EQ(DefaultPluginFolder((root_ / "usr" / "bin").string()),
            (root_ / "usr" / "bin" / "plugins").string());
}

TEST_F(PluginFolderTest, AFileNamedPluginsIsNotAFolder) {
  std::FILE* f = std::fopen((root_ / "usr" / "bin" / "plugins").c_str(), "w");
  ASSERT_NE(f, nullptr);
  std::fclose(f);
  EXPECT_EQ(DefaultPluginFolder((root_ / "usr" / "bin").string()), "");
}

}  // namespace
}  // namespace okr
