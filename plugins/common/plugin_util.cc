#include "plugins/common/plugin_util.h"

#include <cmath>
#include <cstdio>
#include <string>

#include "plugins/sdk/okr_plugin_cpp.h"

namespace okr::plugins::util {
namespace {

std::string Where(std::string_view where, std::string_view key) {
  return where.empty() ? std::string(key) : std::string(where) + "." + std::string(key);
}

const Json* Member(const Json& object, std::string_view key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  return it == object.end() || it->is_null() ? nullptr : &*it;
}

}  // namespace

void ConfigError(std::string_view message) {
  throw okr_plugin_sdk::Error(OKR_PLUGIN_ERROR_CONFIG, "config: " + std::string(message));
}

void InputError(std::string_view message) {
  throw okr_plugin_sdk::Error(OKR_PLUGIN_ERROR_INPUT, "input: " + std::string(message));
}

Json ParseConfig(std::string_view primary, std::string_view fallback) {
  const std::string_view text = primary.empty() ? fallback : primary;
  if (text.empty()) return Json::object();
  Json config = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (config.is_discarded()) ConfigError("not valid JSON");
  if (!config.is_object()) ConfigError("must be a JSON object");
  return config;
}

double RequireNumber(const Json& object, std::string_view key, std::string_view where) {
  const Json* value = Member(object, key);
  if (value == nullptr) ConfigError(Where(where, key) + " is required");
  if (!value->is_number()) ConfigError(Where(where, key) + " must be a number");
  return value->get<double>();
}

double NumberOr(const Json& object, std::string_view key, double fallback, std::string_view where) {
  return Member(object, key) == nullptr ? fallback : RequireNumber(object, key, where);
}

std::string RequireString(const Json& object, std::string_view key, std::string_view where) {
  const Json* value = Member(object, key);
  if (value == nullptr) ConfigError(Where(where, key) + " is required");
  if (!value->is_string()) ConfigError(Where(where, key) + " must be a string");
  return value->get<std::string>();
}

std::string StringOr(const Json& object, std::string_view key, std::string_view fallback,
                     std::string_view where) {
  return Member(object, key) == nullptr ? std::string(fallback) : RequireString(object, key, where);
}

bool BoolOr(const Json& object, std::string_view key, bool fallback, std::string_view where) {
  const Json* value = Member(object, key);
  if (value == nullptr) return fallback;
  if (!value->is_boolean()) ConfigError(Where(where, key) + " must be true or false");
  return value->get<bool>();
}

const Json* ObjectOr(const Json& object, std::string_view key, std::string_view where) {
  const Json* value = Member(object, key);
  if (value != nullptr && !value->is_object()) {
    ConfigError(Where(where, key) + " must be an object");
  }
  return value;
}

std::vector<double> NumbersOr(const Json& object, std::string_view key,
                              std::vector<double> fallback, std::string_view where) {
  const Json* value = Member(object, key);
  if (value == nullptr) return fallback;
  if (!value->is_array()) ConfigError(Where(where, key) + " must be an array of numbers");
  std::vector<double> numbers;
  for (const Json& item : *value) {
    if (!item.is_number()) ConfigError(Where(where, key) + " must be an array of numbers");
    numbers.push_back(item.get<double>());
  }
  return numbers;
}

std::vector<std::string> StringsOr(const Json& object, std::string_view key,
                                   std::vector<std::string> fallback, std::string_view where) {
  const Json* value = Member(object, key);
  if (value == nullptr) return fallback;
  if (!value->is_array()) ConfigError(Where(where, key) + " must be an array of strings");
  std::vector<std::string> strings;
  for (const Json& item : *value) {
    if (!item.is_string()) ConfigError(Where(where, key) + " must be an array of strings");
    strings.push_back(item.get<std::string>());
  }
  return strings;
}

void RejectUnknownKeys(const Json& object, const std::vector<std::string_view>& known,
                       std::string_view where) {
  if (!object.is_object()) return;
  for (auto it = object.begin(); it != object.end(); ++it) {
    bool found = false;
    for (std::string_view key : known) found = found || key == it.key();
    if (!found) ConfigError("unknown key " + Where(where, it.key()));
  }
}

std::string Num(double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%.2f", value);
  std::string text = buffer;
  while (!text.empty() && text.back() == '0') text.pop_back();
  if (!text.empty() && text.back() == '.') text.pop_back();
  if (text == "-0") text = "0";
  return text;
}

double RoundCents(double value) { return std::round(value * 100.0) / 100.0; }

const okr::plugin::v1::MetricMonth* FindMetric(const okr::plugin::v1::AgentMonth& agent,
                                               std::string_view metric_id) {
  for (const auto& metric : agent.metrics()) {
    if (metric.metric_id() == metric_id) return &metric;
  }
  return nullptr;
}

}  // namespace okr::plugins::util
