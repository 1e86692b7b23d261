// How configs combine (plugins/host/config_merge.h), worked out by hand. The org of the issue:
// a centre `root` with Moscow (`msk`) below it and a group `msk_g1` below Moscow.
#include "plugins/host/config_merge.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace okr::plugins {
namespace {

using Json = nlohmann::json;

// Only what the merge reads: `rules` merge by name; everything else is plain.
constexpr const char* kSchema = R"json({"type": "object", "properties": {
  "primary_metric": {"type": "string"},
  "currency": {"type": "string"},
  "cap": {"type": "number"},
  "tiers": {"type": "array", "items": {"type": "object", "properties": {
    "min_attainment": {"type": "number"}, "amount": {"type": "number"}}}},
  "streak": {"type": "object", "properties": {
    "min_months": {"type": "integer"},
    "statuses": {"type": "array", "items": {"type": "string"}}}},
  "rules": {"type": "array", "x-merge-key": "name", "items": {"type": "object", "properties": {
    "name": {"type": "string"}, "enabled": {"type": "boolean"}, "metric": {"type": "string"},
    "op": {"type": "string"}, "threshold": {"type": "number"}}}}
}})json";

class ConfigMergeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<ConfigSchema> parsed = ConfigSchema::Parse(kSchema);
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    schema_.emplace(*std::move(parsed));
  }

  MergedConfig Merge(const std::vector<std::pair<std::string, std::string>>& layers) const {
    std::vector<ConfigLayer> parsed;
    for (const auto& [unit, json] : layers) parsed.push_back({unit, Json::parse(json)});
    return MergeConfigs(parsed, &schema_->root());
  }

  std::optional<ConfigSchema> schema_;
};

TEST_F(ConfigMergeTest, ANearerUnitOverridesKeyByKeyAndInheritsTheRest) {
  const MergedConfig merged = Merge({
      {"root", R"({"primary_metric": "tickets", "currency": "EUR", "cap": 450,
                   "tiers": [{"min_attainment": 100, "amount": 200},
                             {"min_attainment": 110, "amount": 350}]})"},
      {"msk", R"({"cap": 300, "tiers": [{"min_attainment": 105, "amount": 250}]})"},
  });
  // tiers has no merge key: Moscow's one tier replaces both of root's.
  EXPECT_EQ(merged.config, Json::parse(R"({"primary_metric": "tickets", "currency": "EUR",
      "cap": 300, "tiers": [{"min_attainment": 105, "amount": 250}]})"));
  EXPECT_EQ(merged.sources, (std::vector<ConfigSource>{{"$.cap", "msk"},
                                                       {"$.currency", "root"},
                                                       {"$.primary_metric", "root"},
                                                       {"$.tiers", "msk"}}));
}

TEST_F(ConfigMergeTest, NullRemovesAnInheritedKey) {
  const MergedConfig merged = Merge({{"root", R"({"primary_metric": "tickets", "cap": 450})"},
                                     {"msk", R"({"cap": null, "currency": null})"}});
  EXPECT_EQ(merged.config, Json::parse(R"({"primary_metric": "tickets"})"));
  EXPECT_EQ(merged.sources, (std::vector<ConfigSource>{{"$.primary_metric", "root"}}));
}

TEST_F(ConfigMergeTest, ObjectsMergeRecursively) {
  const MergedConfig merged =
      Merge({{"root", R"({"streak": {"min_months": 3, "statuses": ["on_track", "achieved"]}})"},
             {"msk", R"({"streak": {"min_months": 2}})"},
             {"msk_g1", R"({"streak": {"statuses": ["achieved"]}})"}});
  EXPECT_EQ(merged.config, Json::parse(R"({"streak": {"min_months": 2,
                                                      "statuses": ["achieved"]}})"));
  // root made the object but none of its values is left: each key is someone else's.
  EXPECT_EQ(merged.sources, (std::vector<ConfigSource>{{"$.streak.min_months", "msk"},
                                                       {"$.streak.statuses", "msk_g1"}}));
}

// The issue's case: Moscow's one rule must not drop the centre's overtime and CSAT rules.
TEST_F(ConfigMergeTest, RulesMergeByNameSoASubtreeKeepsWhatItDoesNotMention) {
  const MergedConfig merged = Merge({
      {"root", R"({"rules": [
          {"name": "complaints_14d", "metric": "complaints", "op": ">=", "threshold": 3},
          {"name": "csat_below_80", "metric": "csat", "op": "<", "threshold": 80},
          {"name": "overtime_month", "metric": "overtime_hours", "op": ">", "threshold": 20}]})"},
      {"msk", R"({"rules": [
          {"name": "complaints_14d", "threshold": 2},
          {"name": "aht_7d", "metric": "aht", "op": ">", "threshold": 600},
          {"name": "overtime_month", "enabled": false}]})"},
  });
  EXPECT_EQ(merged.config, Json::parse(R"({"rules": [
      {"name": "complaints_14d", "metric": "complaints", "op": ">=", "threshold": 2},
      {"name": "csat_below_80", "metric": "csat", "op": "<", "threshold": 80},
      {"name": "overtime_month", "metric": "overtime_hours", "op": ">", "threshold": 20,
       "enabled": false},
      {"name": "aht_7d", "metric": "aht", "op": ">", "threshold": 600}]})"));
  // rules are root's, except what Moscow changed inside them and the rule it added.
  EXPECT_EQ(merged.sources, (std::vector<ConfigSource>{{"$.rules", "root"},
                                                       {"$.rules[0].threshold", "msk"},
                                                       {"$.rules[2].enabled", "msk"},
                                                       {"$.rules[3]", "msk"}}));
}

TEST_F(ConfigMergeTest, OneUnitsConfigIsItself) {
  const MergedConfig merged =
      Merge({{"root", R"({"rules": [{"name": "a", "op": ">=", "threshold": null}], "cap": 1})"}});
  // A null inside a keyed item removes nothing and is not kept either.
  EXPECT_EQ(merged.config, Json::parse(R"({"rules": [{"name": "a", "op": ">="}], "cap": 1})"));
  EXPECT_EQ(merged.sources, (std::vector<ConfigSource>{{"$.cap", "root"}, {"$.rules", "root"}}));
  EXPECT_EQ(MergeConfigs({}, &schema_->root()).config, Json::object());
}

TEST_F(ConfigMergeTest, WithoutASchemaArraysAreReplacedWhole) {
  const MergedConfig merged =
      MergeConfigs({{"root", Json::parse(R"({"rules": [{"name": "a"}, {"name": "b"}], "x": 1})")},
                    {"msk", Json::parse(R"({"rules": [{"name": "a", "threshold": 2}]})")}},
                   nullptr);
  EXPECT_EQ(merged.config, Json::parse(R"({"rules": [{"name": "a", "threshold": 2}], "x": 1})"));
}

}  // namespace
}  // namespace okr::plugins
