#include "plugins/host/config_merge.h"

#include <map>
#include <optional>
#include <set>
#include <utility>

namespace okr::plugins {
namespace {

using Json = nlohmann::json;

// Who set each part of the merged value, shaped like it: a value set whole has just `unit`; a
// merged object has `members`, an array merged by key has `items`.
struct Origin {
  std::string unit;
  bool merged = false;
  std::map<std::string, Origin> members;
  std::vector<Origin> items;
};

bool MergesByKey(const SchemaNode* node) {
  return node != nullptr && node->type == SchemaNode::Type::kArray && !node->merge_key.empty() &&
         node->items != nullptr;
}

void Apply(Json& target, Origin& origin, const Json& patch, const SchemaNode* node,
           const std::string& unit);

// An object that came whole from one unit is about to be merged into: each of its members did.
void Explode(Origin& origin, const Json& target) {
  if (origin.merged || !target.is_object()) return;
  for (auto it = target.begin(); it != target.end(); ++it) {
    origin.members[it.key()] = Origin{origin.unit, false, {}, {}};
  }
  origin.merged = true;
}

// The index in `items` of the object whose `key` is `name`; -1 if none.
long FindItem(const Json& items, const std::string& key, const Json& name) {
  for (size_t i = 0; i < items.size(); ++i) {
    if (items[i].is_object()) {
      auto it = items[i].find(key);
      if (it != items[i].end() && *it == name) return static_cast<long>(i);
    }
  }
  return -1;
}

void ApplyByKey(Json& target, Origin& origin, const Json& patch, const SchemaNode& node,
                const std::string& unit) {
  if (!origin.merged) {
    // Until now the array came whole from one unit: each of its items did.
    origin.items.assign(target.size(), Origin{origin.unit, false, {}, {}});
    origin.merged = true;
  }
  for (const Json& item : patch) {
    auto key = item.is_object() ? item.find(node.merge_key) : item.end();
    const long index =
        key != item.end() && key->is_string() ? FindItem(target, node.merge_key, *key) : -1;
    if (index >= 0) {
      // Naming an item to override it does not make its name the overrider's.
      Origin& matched = origin.items[index];
      Explode(matched, target[index]);
      auto named = matched.members.find(node.merge_key);
      const std::optional<Origin> name_origin =
          named == matched.members.end() ? std::nullopt : std::optional<Origin>(named->second);
      Apply(target[index], matched, item, node.items.get(), unit);
      if (name_origin) matched.members[node.merge_key] = *name_origin;
    } else {
      target.push_back(Json());
      origin.items.emplace_back();
      Apply(target.back(), origin.items.back(), item, node.items.get(), unit);
    }
  }
}

void Apply(Json& target, Origin& origin, const Json& patch, const SchemaNode* node,
           const std::string& unit) {
  if (patch.is_object()) {
    if (!target.is_object()) {
      target = Json::object();
      origin = Origin{unit, true, {}, {}};
    }
    Explode(origin, target);
    for (auto it = patch.begin(); it != patch.end(); ++it) {
      if (it->is_null()) {
        target.erase(it.key());
        origin.members.erase(it.key());
        continue;
      }
      const SchemaNode* child = node != nullptr && node->type == SchemaNode::Type::kObject
                                    ? node->Property(it.key())
                                    : nullptr;
      Apply(target[it.key()], origin.members[it.key()], *it, child, unit);
    }
    return;
  }
  if (patch.is_array() && target.is_array() && MergesByKey(node)) {
    ApplyByKey(target, origin, patch, *node, unit);
    return;
  }
  if (patch.is_array() && MergesByKey(node)) {
    // The first unit to set a keyed array: its items are applied one by one, so that a null
    // inside an item removes nothing but is not kept either (RFC 7386 on each item).
    target = Json::array();
    origin = Origin{unit, true, {}, {}};
    ApplyByKey(target, origin, patch, *node, unit);
    return;
  }
  target = patch;
  origin = Origin{unit, false, {}, {}};
}

bool IsLeaf(const Origin& origin) {
  return !origin.merged || (origin.members.empty() && origin.items.empty());
}

void Units(const Origin& origin, std::set<std::string>& out) {
  if (IsLeaf(origin)) {
    out.insert(origin.unit);
    return;
  }
  for (const auto& [key, member] : origin.members) Units(member, out);
  for (const Origin& item : origin.items) Units(item, out);
}

// Appends where the parts of `value` came from, as few entries as say it: a part from one unit
// is one entry; a part merged from several gets an entry for the unit that set it first (if
// any of its own is left) and then entries for what others changed inside it. A part from
// the same unit as the entry above it (`inherited`) needs none; `inherited` empty forces one.
void Sources(const Json& value, const Origin& origin, const std::string& path,
             const std::string& inherited, std::vector<ConfigSource>& out) {
  std::set<std::string> units;
  Units(origin, units);
  if (units.size() == 1) {
    if (*units.begin() != inherited) out.push_back({path, *units.begin()});
    return;
  }
  std::string context = inherited;
  if (units.count(origin.unit) > 0 && origin.unit != inherited) {
    out.push_back({path, origin.unit});
    context = origin.unit;
  }
  if (value.is_object()) {
    for (auto it = value.begin(); it != value.end(); ++it) {
      auto member = origin.members.find(it.key());
      if (member != origin.members.end()) {
        Sources(*it, member->second, MemberPath(path, it.key()), context, out);
      }
    }
  } else if (value.is_array()) {
    for (size_t i = 0; i < value.size() && i < origin.items.size(); ++i) {
      Sources(value[i], origin.items[i], ItemPath(path, i), context, out);
    }
  }
}

}  // namespace

MergedConfig MergeConfigs(const std::vector<ConfigLayer>& layers, const SchemaNode* schema) {
  MergedConfig merged;
  Json config = Json::object();
  Origin origin;
  origin.merged = true;
  for (const ConfigLayer& layer : layers)
    Apply(config, origin, layer.config, schema, layer.unit_id);
  if (!config.is_object()) {  // a layer that is no object replaced it: nothing to break down
    merged.config = std::move(config);
    merged.sources.push_back({"$", origin.unit});
    return merged;
  }
  for (auto it = config.begin(); it != config.end(); ++it) {
    auto member = origin.members.find(it.key());
    if (member != origin.members.end()) {
      Sources(*it, member->second, MemberPath("$", it.key()), "", merged.sources);
    }
  }
  merged.config = std::move(config);
  return merged;
}

}  // namespace okr::plugins
