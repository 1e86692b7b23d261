// A fixture for the tests of a shipped plugin: loads its .so through the real host and runs
// one evaluation through the C ABI, parsing the output as `Output`.
#ifndef OKR_TESTS_PLUGINS_SHIPPED_PLUGIN_TEST_H_
#define OKR_TESTS_PLUGINS_SHIPPED_PLUGIN_TEST_H_

#include <gtest/gtest.h>

#include <boost/asio/thread_pool.hpp>
#include <string>

#include "google/protobuf/message_lite.h"
#include "plugins/host/plugin_host.h"
#include "tests/plugins/plugin_test_util.h"

namespace okr::plugins::testing {

template <typename Output>
class ShippedPluginTest : public ::testing::Test {
 protected:
  ShippedPluginTest(std::string name, PluginKind kind) : name_(std::move(name)), kind_(kind) {}

  void SetUp() override {
    absl::StatusOr<PluginInfo> info = host_.Load(ShippedPlugin(name_));
    ASSERT_TRUE(info.ok()) << info.status();
    ASSERT_EQ(info->kind, kind_);
  }

  Output Run(const std::string& config, const google::protobuf::MessageLite& input) {
    absl::StatusOr<std::string> bytes =
        host_.Evaluate(name_, config, input.SerializeAsString(), absl::Seconds(10));
    Output output;
    EXPECT_TRUE(bytes.ok()) << bytes.status();
    if (bytes.ok()) {
      EXPECT_TRUE(output.ParseFromString(*bytes));
    }
    return output;
  }

  const std::string name_;
  const PluginKind kind_;
  boost::asio::thread_pool pool_{2};
  PluginHost host_{pool_};
};

}  // namespace okr::plugins::testing

#endif  // OKR_TESTS_PLUGINS_SHIPPED_PLUGIN_TEST_H_
