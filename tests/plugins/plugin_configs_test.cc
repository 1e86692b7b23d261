#include "plugins/host/plugin_configs.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace okr::plugins {
namespace {

// org -> team t1 -> group g1 -> agents a1, a2; org -> team t2 -> group g2 -> agent a3.
TEST(PluginConfigsTest, NearestConfigUpTheTreeWins) {
  PluginConfigs configs;
  configs.Set("tiered_bonus", "org", R"({"cap":100})");
  configs.Set("tiered_bonus", "t1", R"({"cap":200})");
  configs.Set("tiered_bonus", "a2", R"({"cap":300})");
  configs.Set("recognition", "g2", R"({"primary_metric":"tickets"})");

  const std::vector<std::string> a1 = {"a1", "g1", "t1", "org"};
  const std::vector<std::string> a2 = {"a2", "g1", "t1", "org"};
  const std::vector<std::string> a3 = {"a3", "g2", "t2", "org"};

  EXPECT_EQ(configs.NearestConfig("tiered_bonus", a1), (ScopedConfig{"t1", R"({"cap":200})"}));
  EXPECT_EQ(configs.NearestConfig("tiered_bonus", a2), (ScopedConfig{"a2", R"({"cap":300})"}));
  EXPECT_EQ(configs.NearestConfig("tiered_bonus", a3), (ScopedConfig{"org", R"({"cap":100})"}));
  EXPECT_EQ(configs.NearestConfig("recognition", a3)->unit_id, "g2");
  EXPECT_EQ(configs.NearestConfig("recognition", a1), std::nullopt);
  EXPECT_EQ(configs.NearestConfig("threshold_redline", a1), std::nullopt);
  EXPECT_EQ(configs.NearestConfig("tiered_bonus", {}), std::nullopt);
}

TEST(PluginConfigsTest, SetReplacesAndRemoveFallsBackToTheParent) {
  PluginConfigs configs;
  configs.Set("tiered_bonus", "org", "{}");
  configs.Set("tiered_bonus", "t1", R"({"cap":1})");
  configs.Set("tiered_bonus", "t1", R"({"cap":2})");
  const std::vector<std::string> chain = {"a1", "g1", "t1", "org"};
  EXPECT_EQ(configs.NearestConfig("tiered_bonus", chain)->config_json, R"({"cap":2})");
  EXPECT_TRUE(configs.Remove("tiered_bonus", "t1"));
  EXPECT_FALSE(configs.Remove("tiered_bonus", "t1"));
  EXPECT_EQ(configs.NearestConfig("tiered_bonus", chain)->unit_id, "org");
  EXPECT_EQ(configs.All().size(), 1u);
}

}  // namespace
}  // namespace okr::plugins
