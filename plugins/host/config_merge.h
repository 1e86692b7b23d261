// How the configs of one plugin, set on several units, combine into the config that applies to
// a unit (its effective config). The rule (docs/plugin-configs.md), in one place:
//
//   Start from nothing; apply the configs set on the unit's ancestors and on the unit itself,
//   root first, each as a JSON Merge Patch (RFC 7386) onto the result so far:
//   - an object merges key by key, recursively: a key the nearer unit does not mention is
//     inherited; one it sets overrides the inherited value;
//   - null removes the inherited key (the plugin's own default applies again);
//   - a string, number, boolean or array replaces the inherited value whole;
//   - except an array whose schema names an x-merge-key (an array of named items, such as
//     threshold_redline's rules): its items merge by that key. An item whose key is inherited
//     merges into the inherited item as an object; a new key is appended; inherited items the
//     nearer unit does not mention stay, in their order.
//
// So a subtree adds to or adjusts what it inherits, and says it in few keys: Moscow's
// {"rules": [{"name": "complaints_14d", "threshold": 2}]} tightens one rule and keeps the rest.
// Pure: no I/O.
#ifndef OKR_PLUGINS_HOST_CONFIG_MERGE_H_
#define OKR_PLUGINS_HOST_CONFIG_MERGE_H_

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "plugins/host/config_schema.h"

namespace okr::plugins {

// One unit's own config.
struct ConfigLayer {
  std::string unit_id;
  nlohmann::json config;
};

// Which unit a part of the effective config came from.
struct ConfigSource {
  std::string path;  // "$.cap", "$.rules[1].threshold"
  std::string unit_id;

  friend bool operator==(const ConfigSource&, const ConfigSource&) = default;
};

struct MergedConfig {
  nlohmann::json config = nlohmann::json::object();
  // Where each part of `config` came from, in key order (items in array order): one entry per
  // top-level key, and for a part merged from several units, entries for the parts inside it
  // that a later unit changed. A deeper entry overrides the one above it:
  //   $.rules             root
  //   $.rules[0].threshold moscow    (rules[0] is root's, but moscow set its threshold)
  std::vector<ConfigSource> sources;
};

// Merges `layers` (root first) by the rule above. `schema` (may be null: no x-merge-key
// arrays) tells which arrays merge by key.
MergedConfig MergeConfigs(const std::vector<ConfigLayer>& layers, const SchemaNode* schema);

}  // namespace okr::plugins

#endif  // OKR_PLUGINS_HOST_CONFIG_MERGE_H_
