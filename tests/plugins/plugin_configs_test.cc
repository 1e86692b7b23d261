// PluginConfigs (plugins/host/plugin_configs.h): the configs along a unit's chain, merged root
// first and checked in full; a unit's own config checked as a partial one.
#include "plugins/host/plugin_configs.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace okr::plugins {
namespace {

using Json = nlohmann::json;

// PluginConfigs: the layers of a unit's chain, root first, merged and checked in full.
// org -> t1 -> g1 -> a1, a2; org -> t2 -> g2 -> a3.
TEST(PluginConfigsTest, TheEffectiveConfigMergesTheChainRootFirst) {
  absl::StatusOr<ConfigSchema> schema = ConfigSchema::Parse(R"({"type": "object",
      "required": ["primary_metric"], "properties": {
      "primary_metric": {"type": "string", "format": "metric"}, "cap": {"type": "number"}}})");
  ASSERT_TRUE(schema.ok()) << schema.status();
  auto defined = [](std::string_view id) { return id == "tickets"; };
  PluginConfigs configs;
  configs.Set("tiered_bonus", "org", R"({"primary_metric": "tickets", "cap": 100})");
  configs.Set("tiered_bonus", "t1", R"({"cap": 200})");
  configs.Set("tiered_bonus", "a2", R"({"cap": 300})");
  configs.Set("recognition", "g2", R"({"primary_metric": "x"})");

  const std::vector<std::string> a1 = {"a1", "g1", "t1", "org"};
  const std::vector<std::string> a2 = {"a2", "g1", "t1", "org"};
  const std::vector<std::string> a3 = {"a3", "g2", "t2", "org"};

  EXPECT_EQ(configs.Layers("tiered_bonus", a2),
            (std::vector<ScopedConfig>{{"org", R"({"primary_metric": "tickets", "cap": 100})"},
                                       {"t1", R"({"cap": 200})"},
                                       {"a2", R"({"cap": 300})"}}));
  const EffectiveConfig at_a1 = configs.Effective("tiered_bonus", a1, &*schema, defined);
  EXPECT_EQ(at_a1.set_on, (std::vector<std::string>{"org", "t1"}));
  EXPECT_EQ(at_a1.merged.config, Json::parse(R"({"primary_metric": "tickets", "cap": 200})"));
  EXPECT_TRUE(at_a1.fits.ok()) << at_a1.fits;
  EXPECT_EQ(configs.Effective("tiered_bonus", a2, &*schema, defined).merged.config["cap"], 300);
  EXPECT_EQ(configs.Effective("tiered_bonus", a3, &*schema, defined).merged.config["cap"], 100);

  // Not configured: no layers, nothing to evaluate.
  EXPECT_FALSE(configs.Effective("recognition", a1, &*schema, defined).configured());
  EXPECT_FALSE(configs.Effective("threshold_redline", a1, nullptr, defined).configured());
  // Configured, but the merged config does not fit (a metric not defined).
  const EffectiveConfig at_a3 = configs.Effective("recognition", a3, &*schema, defined);
  EXPECT_TRUE(at_a3.configured());
  EXPECT_EQ(at_a3.fits.message(),
            "$.primary_metric: no metric \"x\" (define it first: okrctl metric define x ...)");

  EXPECT_TRUE(configs.Remove("tiered_bonus", "t1"));
  EXPECT_FALSE(configs.Remove("tiered_bonus", "t1"));
  EXPECT_EQ(configs.Effective("tiered_bonus", a1, &*schema, defined).merged.config["cap"], 100);
  EXPECT_EQ(configs.All().size(), 3u);
}

TEST(PluginConfigsTest, AUnitsOwnConfigIsAJsonObjectCheckedAsAPartialConfig) {
  absl::StatusOr<ConfigSchema> schema = ConfigSchema::Parse(R"({"type": "object",
      "required": ["primary_metric"], "properties": {
      "primary_metric": {"type": "string"}, "cap": {"type": "number"}}})");
  ASSERT_TRUE(schema.ok()) << schema.status();
  EXPECT_TRUE(CheckOwnConfig(Json::parse(R"({"cap": 1})"), &*schema, nullptr).ok());
  EXPECT_EQ(CheckOwnConfig(Json::parse(R"({"cap": "1"})"), &*schema, nullptr).message(),
            "$.cap must be a number, not a string (\"1\")");
  // Without a schema, any object, and only an object.
  EXPECT_TRUE(CheckOwnConfig(Json::parse(R"({"anything": [1]})"), nullptr, nullptr).ok());
  EXPECT_EQ(CheckOwnConfig(Json::parse("[1]"), nullptr, nullptr).message(),
            "$ must be a JSON object");
  EXPECT_EQ(CheckOwnConfig(Json::parse("\"echo\""), nullptr, nullptr).message(),
            "$ must be a JSON object");
}

}  // namespace
}  // namespace okr::plugins
