// The config schema checker (plugins/host/config_schema.h): a schema shaped like the shipped
// plugins' but written here, so these tests do not move when a plugin's keys do. Every
// expected message is written out by hand.
#include "plugins/host/config_schema.h"

#include <string>

#include "gtest/gtest.h"

namespace okr::plugins {
namespace {

using Json = nlohmann::json;

constexpr const char* kSchema = R"json({
  "type": "object",
  "required": ["primary_metric", "tiers"],
  "properties": {
    "primary_metric": {"type": "string", "format": "metric"},
    "tiers": {"type": "array", "minItems": 1, "items": {
      "type": "object", "required": ["min_attainment", "amount"],
      "properties": {"min_attainment": {"type": "number"},
                     "amount": {"type": "number", "minimum": 0}}}},
    "cap": {"type": "number", "minimum": 0},
    "streak": {"type": "object", "properties": {
      "enabled": {"type": "boolean"},
      "min_months": {"type": "integer", "minimum": 1, "maximum": 120}}},
    "thresholds": {"type": "array", "items": {"type": "number", "exclusiveMinimum": 0}},
    "rules": {"type": "array", "x-merge-key": "name", "items": {
      "type": "object", "required": ["name", "op"],
      "properties": {"name": {"type": "string", "minLength": 1},
                     "op": {"type": "string", "enum": [">=", "<"]},
                     "severity": {"type": "string", "enum": ["info", "warning", "critical"]}}}}
  }
})json";

class ConfigSchemaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<ConfigSchema> parsed = ConfigSchema::Parse(kSchema);
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    schema_.emplace(*std::move(parsed));
  }

  // The message of a refused config; "" when it fits.
  std::string Full(const std::string& config) const { return Message(config, false); }
  std::string Partial(const std::string& config) const { return Message(config, true); }

  std::string Message(const std::string& config, bool partial) const {
    ConfigSchema::CheckOptions options;
    options.partial = partial;
    options.metric_defined = [](std::string_view id) { return id == "tickets" || id == "csat"; };
    const absl::Status status = schema_->Check(Json::parse(config), options);
    if (status.ok()) return "";
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
    return std::string(status.message());
  }

  std::optional<ConfigSchema> schema_;
};

constexpr const char* kTiers = R"("tiers": [{"min_attainment": 100, "amount": 200}])";

TEST_F(ConfigSchemaTest, AGoodConfigFits) {
  EXPECT_EQ(Full(std::string(R"({"primary_metric": "tickets", )") + kTiers +
                 R"(, "cap": 450, "streak": {"enabled": true, "min_months": 3},)"
                 R"( "thresholds": [1000, 5000], "rules": [{"name": "a", "op": ">="}]})"),
            "");
}

TEST_F(ConfigSchemaTest, ATypoIsAnUnknownKeyWithASuggestion) {
  EXPECT_EQ(Partial(R"({"primry_metric": "tickets"})"),
            "unknown key \"primry_metric\" at $.primry_metric: did you mean \"primary_metric\"?");
  // Checked in full, the typo also leaves the real key missing: both are said.
  EXPECT_EQ(Full(std::string(R"({"primry_metric": "tickets", )") + kTiers + "}"),
            "unknown key \"primry_metric\" at $.primry_metric: did you mean \"primary_metric\"?; "
            "$.primary_metric is required");
  EXPECT_EQ(Partial(R"({"streak": {"min_monts": 3}})"),
            "unknown key \"min_monts\" at $.streak.min_monts: did you mean \"min_months\"?");
}

TEST_F(ConfigSchemaTest, AnUnknownKeyFarFromAnyListsTheKnownOnes) {
  EXPECT_EQ(Partial(R"({"streak": {"colour": "red"}})"),
            "unknown key \"colour\" at $.streak.colour: known keys are enabled, min_months");
  // A key that is no plain name is quoted in the path.
  EXPECT_EQ(Partial(R"({"streak": {"my key": 1}})"),
            "unknown key \"my key\" at $.streak[\"my key\"]: known keys are enabled, min_months");
}

TEST_F(ConfigSchemaTest, WrongTypesNameTheValue) {
  EXPECT_EQ(Partial(R"({"primary_metric": 5})"),
            "$.primary_metric must be a string, not a number (5)");
  EXPECT_EQ(Partial(R"({"cap": "450"})"), "$.cap must be a number, not a string (\"450\")");
  EXPECT_EQ(Partial(R"({"streak": {"enabled": "yes"}})"),
            "$.streak.enabled must be true or false, not a string (\"yes\")");
  EXPECT_EQ(Partial(R"({"streak": []})"), "$.streak must be an object, not an array");
  EXPECT_EQ(Partial(R"({"tiers": {}})"), "$.tiers must be an array, not an object");
  EXPECT_EQ(Partial("[]"), "$ must be an object, not an array");
}

TEST_F(ConfigSchemaTest, AMetricMustBeDefined) {
  EXPECT_EQ(Partial(R"({"primary_metric": "x"})"),
            "$.primary_metric: no metric \"x\" (define it first: okrctl metric define x ...)");
  EXPECT_EQ(Partial(R"({"primary_metric": "csat"})"), "");
}

TEST_F(ConfigSchemaTest, NumbersIntegersAndLimits) {
  EXPECT_EQ(Partial(R"({"cap": -5})"), "$.cap must be >= 0, not -5");
  EXPECT_EQ(Partial(R"({"cap": 0})"), "");
  EXPECT_EQ(Partial(R"({"streak": {"min_months": 2.5}})"),
            "$.streak.min_months must be an integer, not a number (2.5)");
  EXPECT_EQ(Partial(R"({"streak": {"min_months": 3.0}})"), "");  // 3.0 is an integer
  EXPECT_EQ(Partial(R"({"streak": {"min_months": 121}})"),
            "$.streak.min_months must be <= 120, not 121");
  EXPECT_EQ(Partial(R"({"thresholds": [10, 0]})"), "$.thresholds[1] must be > 0, not 0");
  EXPECT_EQ(Partial(R"({"tiers": [{"min_attainment": 100, "amount": -0.5}]})"),
            "$.tiers[0].amount must be >= 0, not -0.5");
}

TEST_F(ConfigSchemaTest, EnumsAndEmptyStrings) {
  EXPECT_EQ(Partial(R"({"rules": [{"name": "a", "severity": "urgent"}]})"),
            "$.rules[0].severity must be one of \"info\", \"warning\", \"critical\", not "
            "\"urgent\"");
  EXPECT_EQ(Partial(R"({"rules": [{"name": ""}]})"), "$.rules[0].name must not be empty");
}

TEST_F(ConfigSchemaTest, RequiredKeysAreRequiredOnlyInFull) {
  EXPECT_EQ(Partial(R"({"cap": 300})"), "");
  EXPECT_EQ(Full(R"({"cap": 300})"), "$.primary_metric is required; $.tiers is required");
  EXPECT_EQ(Full(std::string(R"({"primary_metric": "tickets", "tiers": []})")),
            "$.tiers must have at least 1 item, not 0");
}

TEST_F(ConfigSchemaTest, NullRemovesAKeyInAPartialConfigOnly) {
  EXPECT_EQ(Partial(R"({"cap": null, "primary_metric": null})"), "");
  EXPECT_EQ(Full(std::string(R"({"primary_metric": "tickets", "cap": null, )") + kTiers + "}"),
            "$.cap must be a number, not null");
}

TEST_F(ConfigSchemaTest, AReplacedArrayMustBeCompleteEvenInAPartialConfig) {
  // tiers replace the inherited ones whole: each item needs all its required keys.
  EXPECT_EQ(Partial(R"({"tiers": [{"amount": 5}]})"), "$.tiers[0].min_attainment is required");
  EXPECT_EQ(Partial(R"({"tiers": []})"), "$.tiers must have at least 1 item, not 0");
}

TEST_F(ConfigSchemaTest, AMergedArrayItemNeedsOnlyItsKey) {
  // rules merge by name: an item that adjusts an inherited rule names it and nothing more.
  EXPECT_EQ(Partial(R"({"rules": [{"name": "a", "severity": "info"}]})"), "");
  EXPECT_EQ(Full(R"({"primary_metric": "tickets", "tiers": [{"min_attainment": 1, "amount": 1}],)"
                 R"( "rules": [{"name": "a", "severity": "info"}]})"),
            "$.rules[0].op is required");
  EXPECT_EQ(Partial(R"({"rules": [{"severity": "info"}]})"),
            "$.rules[0].name is required: it says which item this one overrides");
  EXPECT_EQ(Partial(R"({"rules": [{"name": "a"}, {"name": "b"}, {"name": "a"}]})"),
            "$.rules[2].name: \"a\" is already used by $.rules[0]");
}

TEST_F(ConfigSchemaTest, EveryProblemIsSaidInKeyOrder) {
  EXPECT_EQ(Partial(R"({"cap": -1, "primary_metric": 5, "zz": 1})"),
            "$.cap must be >= 0, not -1; $.primary_metric must be a string, not a number (5); "
            "unknown key \"zz\" at $.zz: known keys are cap, primary_metric, rules, streak, "
            "thresholds, tiers");
}

TEST(ConfigSchemaParseTest, ABrokenSchemaIsRefusedWithItsPath) {
  auto message = [](const char* schema) {
    absl::StatusOr<ConfigSchema> parsed = ConfigSchema::Parse(schema);
    EXPECT_FALSE(parsed.ok());
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
    return std::string(parsed.status().message());
  };
  EXPECT_EQ(message("{"), "config schema at $: not valid JSON");
  EXPECT_EQ(message(R"({"type": "array", "items": {"type": "string"}})"),
            "config schema at $: a config is an object");
  EXPECT_EQ(message(R"({"type": "object", "properties": {"a": {"type": "text"}}})"),
            "config schema at $.properties.a: unknown type \"text\" (object, array, string, "
            "number, integer, boolean)");
  EXPECT_EQ(message(R"({"type": "object", "properties": {"a": {"type": "array",
                       "itmes": {"type": "number"}}}})"),
            "config schema at $.properties.a: unknown keyword \"itmes\"");
  EXPECT_EQ(message(R"({"type": "object", "properties": {"a": {"type": "array"}}})"),
            "config schema at $.properties.a: an array needs \"items\"");
  EXPECT_EQ(message(R"({"type": "object", "properties": {"a": {"type": "string",
                       "minimum": 0}}})"),
            "config schema at $.properties.a: \"minimum\" does not apply to type string");
  EXPECT_EQ(message(R"({"type": "object", "required": ["b"], "properties": {}})"),
            "config schema at $.required: \"b\" is not one of the properties");
  EXPECT_EQ(message(R"({"type": "object", "properties": {"a": {"type": "array",
                       "x-merge-key": "id", "items": {"type": "object", "properties": {
                       "id": {"type": "number"}}}}}})"),
            "config schema at $.properties.a[\"x-merge-key\"]: \"id\" must be a string property "
            "of the items");
  EXPECT_EQ(message(R"({"type": "object", "properties": {"a": {"type": "string",
                       "format": "email"}}})"),
            "config schema at $.properties.a.format: the one format is metric");
}

TEST(ConfigSchemaParseTest, JsonPaths) {
  EXPECT_EQ(MemberPath("$", "cap"), "$.cap");
  EXPECT_EQ(MemberPath("$.a", "my key"), "$.a[\"my key\"]");
  EXPECT_EQ(MemberPath("$", "1st"), "$[\"1st\"]");
  EXPECT_EQ(ItemPath("$.tiers", 2), "$.tiers[2]");
}

}  // namespace
}  // namespace okr::plugins
