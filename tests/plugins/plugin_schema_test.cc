// Config schemas through the real ABI: the shipped plugins declare theirs (and their examples
// fit), an out-of-tree plugin without one still loads, one with a broken schema is refused,
// and PluginHost::CheckConfig asks a plugin's create() about a config before it is stored.
#include <boost/asio/thread_pool.hpp>
#include <fstream>
#include <sstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "plugins/host/plugin_host.h"
#include "tests/plugins/plugin_test_util.h"

namespace okr::plugins {
namespace {

using ::testing::HasSubstr;
using Json = nlohmann::json;

std::string ReadExample(const std::string& plugin) {
  std::ifstream file(std::string(OKR_PLUGIN_SOURCE_DIR) + "/" + plugin + "/examples/" + plugin +
                     ".json");
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

class PluginSchemaTest : public ::testing::Test {
 protected:
  // The message of the plugin's schema on `config`, checked in full without metric checks;
  // "" when it fits.
  std::string SchemaSays(const std::string& plugin, const std::string& config) {
    absl::StatusOr<PluginInfo> info = host_.Info(plugin);
    if (!info.ok()) info = host_.Load(testing::ShippedPlugin(plugin));
    EXPECT_TRUE(info.ok()) << info.status();
    if (!info.ok() || info->config_schema == nullptr) return "no schema";
    const absl::Status status = info->config_schema->Check(Json::parse(config), {});
    return std::string(status.message());
  }

  boost::asio::thread_pool pool_{2};
  PluginHost host_{pool_};
};

TEST_F(PluginSchemaTest, TheShippedPluginsDeclareSchemasThatTheirExamplesFit) {
  for (const std::string plugin : {"tiered_bonus", "threshold_redline", "recognition"}) {
    SCOPED_TRACE(plugin);
    const std::string example = ReadExample(plugin);
    ASSERT_FALSE(example.empty());
    EXPECT_EQ(SchemaSays(plugin, example), "");
    // The plugin's own checks agree with its schema on the example.
    EXPECT_TRUE(host_.CheckConfig(plugin, example, absl::Seconds(10)).ok());
  }
}

TEST_F(PluginSchemaTest, EachShippedSchemaRefusesTheMistakesOfTheReadme) {
  EXPECT_EQ(SchemaSays("tiered_bonus", R"({"primary_metric": 5,
                                          "tiers": [{"min_attainment": 100, "amount": 200}]})"),
            "$.primary_metric must be a string, not a number (5)");
  EXPECT_EQ(SchemaSays("tiered_bonus", R"({"primary_metric": "t"})"), "$.tiers is required");
  EXPECT_EQ(SchemaSays("tiered_bonus", R"({"primary_metric": "t", "cap": -1,
                                          "tiers": [{"min_attainment": 100, "amount": 200}]})"),
            "$.cap must be >= 0, not -1");
  EXPECT_EQ(SchemaSays("threshold_redline", "{}"), "$.rules is required");
  EXPECT_EQ(SchemaSays("threshold_redline", R"({"rules": [{"name": "x", "type": "window_avg",
                                               "metric": "m", "op": ">", "threshold": 1}]})"),
            "$.rules[0].type must be one of \"window_sum\", \"window_ratio\", \"month_sum\", not "
            "\"window_avg\"");
  EXPECT_EQ(SchemaSays("recognition", R"({"primary_metric": "t", "streak": {"min_months": 0}})"),
            "$.streak.min_months must be >= 1, not 0");
  EXPECT_EQ(SchemaSays("recognition", R"({"primary_metric": "t", "kudos": {"min_recieved": 2}})"),
            "unknown key \"min_recieved\" at $.kudos.min_recieved: did you mean "
            "\"min_received\"?");
}

TEST_F(PluginSchemaTest, CheckConfigAsksThePluginAndCountsNoFault) {
  ASSERT_TRUE(host_.Load(testing::ShippedPlugin("tiered_bonus")).ok());
  // Two tiers at 100%: the schema cannot say so, the plugin's create() does.
  const absl::Status status =
      host_.CheckConfig("tiered_bonus",
                        R"({"primary_metric": "t", "tiers": [{"min_attainment": 100, "amount": 1},
                                           {"min_attainment": 100, "amount": 2}]})",
                        absl::Seconds(10));
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("config: two tiers with min_attainment 100"));
  EXPECT_EQ(host_.Info("tiered_bonus")->faults, 0);
  EXPECT_EQ(host_.CheckConfig("nope", "{}", absl::Seconds(1)).code(), absl::StatusCode::kNotFound);
}

TEST_F(PluginSchemaTest, AnOutOfTreePluginWithoutASchemaStillLoads) {
  const std::string dir = testing::MakeTempDir();
  absl::StatusOr<PluginInfo> info =
      host_.Load(testing::CompilePlugin(dir, "plain", testing::kTestPluginSource));
  ASSERT_TRUE(info.ok()) << info.status();
  EXPECT_EQ(info->config_schema, nullptr);
  EXPECT_EQ(info->config_schema_json, "");
}

TEST_F(PluginSchemaTest, AnOutOfTreePluginDeclaresItsSchemaThroughTheSdk) {
  const std::string dir = testing::MakeTempDir();
  const std::string source = std::string(testing::kTestPluginSource) +
                             "OKR_PLUGIN_CONFIG_SCHEMA(R\"s({\"type\": \"object\", \"properties\": "
                             "{\"mode\": {\"type\": \"string\"}}})s\")\n";
  absl::StatusOr<PluginInfo> info = host_.Load(testing::CompilePlugin(dir, "schema", source));
  ASSERT_TRUE(info.ok()) << info.status();
  ASSERT_NE(info->config_schema, nullptr);
  EXPECT_EQ(info->config_schema->Check(Json::parse(R"({"mod": "x"})"), {}).message(),
            "unknown key \"mod\" at $.mod: did you mean \"mode\"?");
}

TEST_F(PluginSchemaTest, APluginWithABrokenSchemaIsRefused) {
  const std::string dir = testing::MakeTempDir();
  const std::string source =
      std::string(testing::kTestPluginSource) +
      "OKR_PLUGIN_CONFIG_SCHEMA(R\"s({\"type\": \"object\", \"properties\": "
      "{\"a\": {\"type\": \"array\", \"itmes\": {\"type\": \"number\"}}}})s\")\n";
  const std::string path = testing::CompilePlugin(dir, "broken", source);
  absl::StatusOr<PluginInfo> info = host_.Load(path);
  EXPECT_EQ(info.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(info.status().message(),
            "cannot load plugin " + path +
                ": plugin test_plugin declares a config schema that does not parse: config "
                "schema at $.properties.a: unknown keyword \"itmes\"");
  EXPECT_TRUE(host_.List().empty());
}

}  // namespace
}  // namespace okr::plugins
