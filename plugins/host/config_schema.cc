#include "plugins/host/config_schema.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace okr::plugins {
namespace {

using Json = nlohmann::json;
using Type = SchemaNode::Type;

// At most this many problems in one message: enough to fix a config in one go, short enough
// to read.
constexpr size_t kMaxProblems = 10;

// absl here predates std::string_view interoperability: absl::StrCat takes absl::string_view.
absl::string_view Sv(std::string_view text) { return {text.data(), text.size()}; }

bool PlainName(std::string_view key) {
  if (key.empty() || std::isdigit(static_cast<unsigned char>(key[0]))) return false;
  return std::all_of(key.begin(), key.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

std::string TypeName(Type type) {
  switch (type) {
    case Type::kObject:
      return "object";
    case Type::kArray:
      return "array";
    case Type::kString:
      return "string";
    case Type::kNumber:
      return "number";
    case Type::kInteger:
      return "integer";
    case Type::kBoolean:
      return "boolean";
  }
  return "?";
}

// "a string", "an integer", ...: what a value must be.
std::string Expected(Type type) {
  switch (type) {
    case Type::kObject:
      return "an object";
    case Type::kArray:
      return "an array";
    case Type::kString:
      return "a string";
    case Type::kNumber:
      return "a number";
    case Type::kInteger:
      return "an integer";
    case Type::kBoolean:
      return "true or false";
  }
  return "?";
}

// What a value is, for "must be a string, not a number (5)".
std::string Actual(const Json& value) {
  std::string text = value.dump();
  if (text.size() > 40) text = text.substr(0, 37) + "...";
  switch (value.type()) {
    case Json::value_t::null:
      return "null";
    case Json::value_t::boolean:
      return text;
    case Json::value_t::string:
      return "a string (" + text + ")";
    case Json::value_t::array:
      return "an array";
    case Json::value_t::object:
      return "an object";
    default:
      return "a number (" + text + ")";
  }
}

std::string NumberText(double value) {
  if (std::floor(value) == value && std::fabs(value) < 1e15) {
    return std::to_string(static_cast<long long>(value));
  }
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%g", value);
  return buffer;
}

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string UnknownKey(const SchemaNode& node, std::string_view key, const std::string& path) {
  std::string message = absl::StrCat("unknown key \"", Sv(key), "\" at ", path);
  const std::string* best = nullptr;
  size_t best_distance = 3;  // at most two edits away counts as a typo
  std::vector<std::string> known;
  for (const auto& [name, schema] : node.properties) {
    known.push_back(name);
    const size_t distance = EditDistance(key, name);
    if (distance < best_distance) {
      best_distance = distance;
      best = &name;
    }
  }
  if (best != nullptr) return absl::StrCat(message, ": did you mean \"", *best, "\"?");
  std::sort(known.begin(), known.end());
  if (known.empty()) return absl::StrCat(message, ": this object takes no keys");
  return absl::StrCat(message, ": known keys are ", absl::StrJoin(known, ", "));
}

// ---- Parsing a schema ----

absl::Status SchemaError(const std::string& path, std::string_view message) {
  return absl::InvalidArgumentError(absl::StrCat("config schema at ", path, ": ", Sv(message)));
}

absl::StatusOr<size_t> Count(const Json& value, const std::string& path) {
  if (!value.is_number_unsigned()) return SchemaError(path, "must be a non-negative integer");
  return value.get<size_t>();
}

absl::StatusOr<double> Limit(const Json& value, const std::string& path) {
  if (!value.is_number()) return SchemaError(path, "must be a number");
  return value.get<double>();
}

absl::StatusOr<std::shared_ptr<const SchemaNode>> ParseNode(const Json& json,
                                                            const std::string& path) {
  if (!json.is_object()) return SchemaError(path, "must be an object");
  auto node = std::make_shared<SchemaNode>();
  auto type = json.find("type");
  if (type == json.end() || !type->is_string()) {
    return SchemaError(path, "needs \"type\": object, array, string, number, integer or boolean");
  }
  const std::string type_name = type->get<std::string>();
  bool known_type = false;
  for (Type t : {Type::kObject, Type::kArray, Type::kString, Type::kNumber, Type::kInteger,
                 Type::kBoolean}) {
    if (TypeName(t) == type_name) {
      node->type = t;
      known_type = true;
    }
  }
  if (!known_type) {
    return SchemaError(path, absl::StrCat("unknown type \"", type_name,
                                          "\" (object, array, string, number, integer, boolean)"));
  }
  // Which keywords apply to which types.
  const std::vector<std::pair<std::string_view, std::vector<Type>>> keywords = {
      {"type", {}},
      {"description", {}},
      {"properties", {Type::kObject}},
      {"required", {Type::kObject}},
      {"items", {Type::kArray}},
      {"minItems", {Type::kArray}},
      {"x-merge-key", {Type::kArray}},
      {"enum", {Type::kString}},
      {"minLength", {Type::kString}},
      {"format", {Type::kString}},
      {"minimum", {Type::kNumber, Type::kInteger}},
      {"maximum", {Type::kNumber, Type::kInteger}},
      {"exclusiveMinimum", {Type::kNumber, Type::kInteger}},
  };
  for (auto it = json.begin(); it != json.end(); ++it) {
    auto keyword = std::find_if(keywords.begin(), keywords.end(),
                                [&](const auto& k) { return k.first == it.key(); });
    if (keyword == keywords.end()) {
      return SchemaError(path, absl::StrCat("unknown keyword \"", it.key(), "\""));
    }
    if (!keyword->second.empty() && std::find(keyword->second.begin(), keyword->second.end(),
                                              node->type) == keyword->second.end()) {
      return SchemaError(path,
                         absl::StrCat("\"", it.key(), "\" does not apply to type ", type_name));
    }
  }
  if (auto d = json.find("description"); d != json.end() && !d->is_string()) {
    return SchemaError(MemberPath(path, "description"), "must be a string");
  }
  if (auto p = json.find("properties"); p != json.end()) {
    if (!p->is_object()) return SchemaError(MemberPath(path, "properties"), "must be an object");
    for (auto it = p->begin(); it != p->end(); ++it) {
      auto child = ParseNode(it.value(), MemberPath(MemberPath(path, "properties"), it.key()));
      if (!child.ok()) return child.status();
      node->properties.emplace_back(it.key(), *std::move(child));
    }
  }
  if (auto r = json.find("required"); r != json.end()) {
    const std::string where = MemberPath(path, "required");
    if (!r->is_array()) return SchemaError(where, "must be an array of property names");
    for (const Json& name : *r) {
      if (!name.is_string() || node->Property(name.get<std::string>()) == nullptr) {
        return SchemaError(where, absl::StrCat(name.dump(), " is not one of the properties"));
      }
      node->required.push_back(name.get<std::string>());
    }
  }
  if (node->type == Type::kArray) {
    auto items = json.find("items");
    if (items == json.end()) return SchemaError(path, "an array needs \"items\"");
    auto child = ParseNode(*items, MemberPath(path, "items"));
    if (!child.ok()) return child.status();
    node->items = *std::move(child);
  }
  if (auto m = json.find("minItems"); m != json.end()) {
    auto count = Count(*m, MemberPath(path, "minItems"));
    if (!count.ok()) return count.status();
    node->min_items = *count;
  }
  if (auto k = json.find("x-merge-key"); k != json.end()) {
    const std::string where = MemberPath(path, "x-merge-key");
    if (!k->is_string()) return SchemaError(where, "must be a property name");
    node->merge_key = k->get<std::string>();
    const SchemaNode* key =
        node->items->type == Type::kObject ? node->items->Property(node->merge_key) : nullptr;
    if (key == nullptr || key->type != Type::kString) {
      return SchemaError(
          where, absl::StrCat("\"", node->merge_key, "\" must be a string property of the items"));
    }
  }
  if (auto e = json.find("enum"); e != json.end()) {
    const std::string where = MemberPath(path, "enum");
    if (!e->is_array() || e->empty()) return SchemaError(where, "must be a non-empty array");
    for (const Json& value : *e) {
      if (!value.is_string()) return SchemaError(where, "must hold strings");
      node->enum_values.push_back(value.get<std::string>());
    }
  }
  if (auto m = json.find("minLength"); m != json.end()) {
    auto count = Count(*m, MemberPath(path, "minLength"));
    if (!count.ok()) return count.status();
    node->min_length = *count;
  }
  if (auto f = json.find("format"); f != json.end()) {
    if (*f != "metric") return SchemaError(MemberPath(path, "format"), "the one format is metric");
    node->metric = true;
  }
  for (auto [keyword, limit] :
       {std::pair{"minimum", &node->minimum}, std::pair{"maximum", &node->maximum},
        std::pair{"exclusiveMinimum", &node->exclusive_minimum}}) {
    if (auto m = json.find(keyword); m != json.end()) {
      auto value = Limit(*m, MemberPath(path, keyword));
      if (!value.ok()) return value.status();
      *limit = *value;
    }
  }
  return std::shared_ptr<const SchemaNode>(std::move(node));
}

// ---- Checking a config ----

struct Checker {
  const ConfigSchema::CheckOptions& options;
  std::vector<std::string> problems;

  void Add(std::string problem) {
    if (problems.size() < kMaxProblems) problems.push_back(std::move(problem));
  }

  bool HasType(Type type, const Json& value) const {
    switch (type) {
      case Type::kObject:
        return value.is_object();
      case Type::kArray:
        return value.is_array();
      case Type::kString:
        return value.is_string();
      case Type::kNumber:
        return value.is_number();
      case Type::kInteger:
        return value.is_number_integer() ||
               (value.is_number_float() && std::isfinite(value.get<double>()) &&
                std::floor(value.get<double>()) == value.get<double>());
      case Type::kBoolean:
        return value.is_boolean();
    }
    return false;
  }

  void Node(const SchemaNode& node, const Json& value, const std::string& path, bool partial) {
    if (!HasType(node.type, value)) {
      Add(absl::StrCat(path, " must be ", Expected(node.type), ", not ", Actual(value)));
      return;
    }
    switch (node.type) {
      case Type::kObject:
        return Object(node, value, path, partial);
      case Type::kArray:
        return Array(node, value, path, partial);
      case Type::kString:
        return String(node, value.get_ref<const std::string&>(), path);
      case Type::kNumber:
      case Type::kInteger:
        return Number(node, value.get<double>(), path);
      case Type::kBoolean:
        return;
    }
  }

  void Object(const SchemaNode& node, const Json& value, const std::string& path, bool partial) {
    for (auto it = value.begin(); it != value.end(); ++it) {
      const std::string member = MemberPath(path, it.key());
      const SchemaNode* property = node.Property(it.key());
      if (property == nullptr) {
        Add(UnknownKey(node, it.key(), member));
      } else if (!(partial && it->is_null())) {  // null removes an inherited key
        Node(*property, *it, member, partial);
      }
    }
    if (partial) return;
    for (const std::string& name : node.required) {
      auto it = value.find(name);
      if (it == value.end() || it->is_null()) Add(MemberPath(path, name) + " is required");
    }
  }

  void Array(const SchemaNode& node, const Json& value, const std::string& path, bool partial) {
    // Only an array merged item by item is partial; any other array replaces the inherited one
    // whole, so it must be complete.
    const bool merged = partial && !node.merge_key.empty();
    if (node.min_items && !merged && value.size() < *node.min_items) {
      Add(absl::StrCat(path, " must have at least ", *node.min_items,
                       *node.min_items == 1 ? " item" : " items", ", not ", value.size()));
    }
    std::map<std::string, size_t> seen;  // merge key -> first index
    for (size_t i = 0; i < value.size(); ++i) {
      const std::string item = ItemPath(path, i);
      Node(*node.items, value[i], item, merged);
      if (node.merge_key.empty() || !value[i].is_object()) continue;
      const std::string key_path = MemberPath(item, node.merge_key);
      auto key = value[i].find(node.merge_key);
      if (key == value[i].end() || key->is_null()) {
        if (merged) Add(key_path + " is required: it says which item this one overrides");
        continue;  // the full check has said it is required
      }
      if (!key->is_string()) continue;  // said above
      auto [first, inserted] = seen.emplace(key->get<std::string>(), i);
      if (!inserted) {
        Add(absl::StrCat(key_path, ": ", key->dump(), " is already used by ",
                         ItemPath(path, first->second)));
      }
    }
  }

  void String(const SchemaNode& node, const std::string& value, const std::string& path) {
    if (node.min_length && value.size() < *node.min_length) {
      Add(*node.min_length == 1
              ? path + " must not be empty"
              : absl::StrCat(path, " must have at least ", *node.min_length, " characters"));
    }
    if (!node.enum_values.empty() && std::find(node.enum_values.begin(), node.enum_values.end(),
                                               value) == node.enum_values.end()) {
      std::vector<std::string> quoted;
      for (const std::string& v : node.enum_values) quoted.push_back(Json(v).dump());
      Add(absl::StrCat(path, " must be one of ", absl::StrJoin(quoted, ", "), ", not ",
                       Json(value).dump()));
    }
    if (node.metric && options.metric_defined && !options.metric_defined(value)) {
      Add(absl::StrCat(path, ": no metric ", Json(value).dump(),
                       " (define it first: okrctl metric define ", value, " ...)"));
    }
  }

  void Number(const SchemaNode& node, double value, const std::string& path) {
    const std::string text = NumberText(value);
    if (node.minimum && value < *node.minimum) {
      Add(absl::StrCat(path, " must be >= ", NumberText(*node.minimum), ", not ", text));
    }
    if (node.exclusive_minimum && value <= *node.exclusive_minimum) {
      Add(absl::StrCat(path, " must be > ", NumberText(*node.exclusive_minimum), ", not ", text));
    }
    if (node.maximum && value > *node.maximum) {
      Add(absl::StrCat(path, " must be <= ", NumberText(*node.maximum), ", not ", text));
    }
  }
};

}  // namespace

const SchemaNode* SchemaNode::Property(std::string_view name) const {
  for (const auto& [key, schema] : properties) {
    if (key == name) return schema.get();
  }
  return nullptr;
}

std::string MemberPath(std::string_view parent, std::string_view key) {
  if (PlainName(key)) return absl::StrCat(Sv(parent), ".", Sv(key));
  return absl::StrCat(Sv(parent), "[", Json(std::string(key)).dump(), "]");
}

std::string ItemPath(std::string_view parent, size_t index) {
  return absl::StrCat(Sv(parent), "[", index, "]");
}

absl::StatusOr<ConfigSchema> ConfigSchema::Parse(std::string_view json) {
  const Json document = Json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded()) return SchemaError("$", "not valid JSON");
  auto root = ParseNode(document, "$");
  if (!root.ok()) return root.status();
  if ((*root)->type != Type::kObject) return SchemaError("$", "a config is an object");
  return ConfigSchema(*std::move(root));
}

absl::Status ConfigSchema::Check(const Json& config, const CheckOptions& options) const {
  Checker checker{options, {}};
  checker.Node(*root_, config, "$", options.partial);
  if (checker.problems.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrJoin(checker.problems, "; "));
}

}  // namespace okr::plugins
