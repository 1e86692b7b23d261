// The config schema a plugin declares (plugins/sdk/README.md "Config schema",
// docs/plugin-configs.md): a small, strict subset of JSON Schema, chosen so that a plugin
// author already knows it and a director gets the path of every bad key. Keywords:
//
//   every node   type: "object" | "array" | "string" | "number" | "integer" | "boolean"
//                description: text for people (not checked)
//   object       properties: {name: schema, ...}; required: [name, ...]
//                Keys not in `properties` are always refused (JSON Schema's
//                additionalProperties: false): a typo must not fall back to a default.
//   array        items: schema; minItems: n
//                x-merge-key: name of a string property that identifies an item of an array
//                of objects (how configs of nested units combine: config_merge.h)
//   string       enum: [text, ...]; minLength: n; format: "metric" (names a defined metric)
//   number,      minimum, maximum, exclusiveMinimum: numbers. An integer is a number without
//   integer      a fraction (3 and 3.0 both are).
//
// Anything else in a schema (an unknown keyword, a keyword on a type it does not apply to, a
// required name without a property) makes Parse fail, so a plugin with a broken schema is
// refused at load rather than checking nothing.
#ifndef OKR_PLUGINS_HOST_CONFIG_SCHEMA_H_
#define OKR_PLUGINS_HOST_CONFIG_SCHEMA_H_

#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace okr::plugins {

struct SchemaNode {
  enum class Type { kObject, kArray, kString, kNumber, kInteger, kBoolean };

  Type type = Type::kObject;
  // object
  std::vector<std::pair<std::string, std::shared_ptr<const SchemaNode>>> properties;
  std::vector<std::string> required;
  // array
  std::shared_ptr<const SchemaNode> items;
  std::optional<size_t> min_items;
  std::string merge_key;  // empty: the array is replaced as a whole when configs combine
  // string
  std::vector<std::string> enum_values;
  std::optional<size_t> min_length;
  bool metric = false;  // format "metric"
  // number, integer
  std::optional<double> minimum, maximum, exclusive_minimum;

  // The schema of property `name` of an object node; null if there is none.
  const SchemaNode* Property(std::string_view name) const;
};

// "$.tiers[1].amount": the JSON path of a member (quoted when it is not a plain name).
std::string MemberPath(std::string_view parent, std::string_view key);
std::string ItemPath(std::string_view parent, size_t index);

class ConfigSchema {
 public:
  struct CheckOptions {
    // A unit's own config, to be merged over its ancestors' (config_merge.h): required keys
    // may be missing, and null (which removes an inherited key) is allowed for any member.
    // An item of an x-merge-key array still needs its key, which says what it overrides.
    bool partial = false;
    // Whether a metric id is defined; null leaves format "metric" unchecked.
    std::function<bool(std::string_view)> metric_defined;
  };

  // Parses and checks a schema document. InvalidArgument with the schema path on a mistake.
  static absl::StatusOr<ConfigSchema> Parse(std::string_view json);

  // Every way `config` does not fit, in document order, as "$.path ..." messages joined by
  // "; " in one InvalidArgument status; OK when it fits.
  absl::Status Check(const nlohmann::json& config, const CheckOptions& options) const;

  const SchemaNode& root() const { return *root_; }

 private:
  explicit ConfigSchema(std::shared_ptr<const SchemaNode> root) : root_(std::move(root)) {}
  std::shared_ptr<const SchemaNode> root_;
};

}  // namespace okr::plugins

#endif  // OKR_PLUGINS_HOST_CONFIG_SCHEMA_H_
