// A plugin name that is not UTF-8 never reaches a command (whose strings protobuf requires to
// be UTF-8, or the logged command would not parse on replay): INVALID_ARGUMENT up front.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/core/plugin_admin_ops.h"
#include "services/core/plugin_config_ops.h"
#include "tests/unit/core/replay_fixture.h"

namespace okr {
namespace {

using ::testing::HasSubstr;

// "bad" and the byte 0xFF, which UTF-8 never holds, then "name".
const std::string kNotUtf8 =
    "bad\xff"
    "name";

TEST(PluginNameText, UnloadReloadAndConfigureRefuseANameThatIsNotUtf8) {
  ReplayServer server("a");
  SetUpOrg(server);
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  for (const absl::Status& status :
       {UnloadPlugin(*server.state, Admin(), kNotUtf8).status(),
        ReloadPlugin(*server.state, Admin(), kNotUtf8).status(),
        ConfigurePlugin(*server.state, Admin(), {kNotUtf8, "co1", "{}"})}) {
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
    EXPECT_THAT(status.message(),
                HasSubstr("plugin name: not valid UTF-8 (byte 0xFF at offset 3)"));
  }
  // Nothing was logged after the set-up.
  EXPECT_EQ(server.state->commands().mark().seq(), kSetUpCommands);
}

}  // namespace
}  // namespace okr
