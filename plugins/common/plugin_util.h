// Helpers shared by the shipped plugins: config JSON access with errors that name the key, and
// number formatting for explanations. Errors are thrown as okr_plugin_sdk::Error, which the
// SDK's guard turns into a result code before anything reaches the ABI.
#ifndef OKR_PLUGINS_COMMON_PLUGIN_UTIL_H_
#define OKR_PLUGINS_COMMON_PLUGIN_UTIL_H_

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "okr/plugin/v1/plugin.pb.h"

namespace okr::plugins::util {

using Json = nlohmann::json;

// Throws an ERROR_CONFIG / ERROR_INPUT error with `message`.
[[noreturn]] void ConfigError(std::string_view message);
[[noreturn]] void InputError(std::string_view message);

// Parses a config object. The config given to create() wins; an empty one means "use the
// config_json carried in the input" (`fallback`). Both empty is an empty object.
Json ParseConfig(std::string_view primary, std::string_view fallback = {});

// Typed access to `object[key]`; `where` names the object in messages ("tiers[1]").
double RequireNumber(const Json& object, std::string_view key, std::string_view where);
double NumberOr(const Json& object, std::string_view key, double fallback, std::string_view where);
std::string RequireString(const Json& object, std::string_view key, std::string_view where);
std::string StringOr(const Json& object, std::string_view key, std::string_view fallback,
                     std::string_view where);
bool BoolOr(const Json& object, std::string_view key, bool fallback, std::string_view where);
// An optional sub-object; null when absent.
const Json* ObjectOr(const Json& object, std::string_view key, std::string_view where);
std::vector<double> NumbersOr(const Json& object, std::string_view key,
                              std::vector<double> fallback, std::string_view where);
std::vector<std::string> StringsOr(const Json& object, std::string_view key,
                                   std::vector<std::string> fallback, std::string_view where);
// Refuses keys not in `known`: a typo in a config must not silently fall back to a default.
void RejectUnknownKeys(const Json& object, const std::vector<std::string_view>& known,
                       std::string_view where);

// A number for people: at most two decimals, no trailing zeros ("350", "88.5", "93.15").
std::string Num(double value);

// Rounds to cents.
double RoundCents(double value);

const okr::plugin::v1::MetricMonth* FindMetric(const okr::plugin::v1::AgentMonth& agent,
                                               std::string_view metric_id);

}  // namespace okr::plugins::util

#endif  // OKR_PLUGINS_COMMON_PLUGIN_UTIL_H_
