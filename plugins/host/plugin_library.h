// One loaded plugin shared library: dlopen, validation of its entry table, and a call that
// cannot throw. Shared (via shared_ptr) between the host and in-flight evaluations so that a
// library is dlclose'd only when nothing can still run its code.
#ifndef OKR_PLUGINS_HOST_PLUGIN_LIBRARY_H_
#define OKR_PLUGINS_HOST_PLUGIN_LIBRARY_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "plugins/host/config_schema.h"
#include "plugins/sdk/okr_plugin.h"

namespace okr::plugins {

enum class PluginKind : uint32_t {
  kIncentive = OKR_PLUGIN_KIND_INCENTIVE,
  kRedline = OKR_PLUGIN_KIND_REDLINE,
  kRecognition = OKR_PLUGIN_KIND_RECOGNITION,
};

// "incentive", "redline", "recognition".
std::string_view KindName(PluginKind kind);

class PluginLibrary {
 public:
  // Loads `path` with dlopen(RTLD_NOW | RTLD_LOCAL) and checks its entry table. Refuses (and
  // closes the library again) a file that is no library, a library without the entry symbol,
  // another ABI version, an unknown kind, a table with missing members, or a config schema
  // (the optional okr_plugin_config_schema) that does not parse.
  static absl::StatusOr<std::shared_ptr<const PluginLibrary>> Open(const std::string& path);

  PluginLibrary(const PluginLibrary&) = delete;
  PluginLibrary& operator=(const PluginLibrary&) = delete;
  ~PluginLibrary();

  const std::string& path() const { return path_; }
  const std::string& name() const { return name_; }
  const std::string& version() const { return version_; }
  PluginKind kind() const { return kind_; }
  uint32_t abi_version() const { return table_->abi_version; }
  // The config schema the plugin declares; null when it declares none (an older or
  // out-of-tree plugin: its configs are checked only for being JSON objects, and by create()).
  const std::shared_ptr<const ConfigSchema>& config_schema() const { return config_schema_; }
  const std::string& config_schema_json() const { return config_schema_json_; }

  // create(config) + evaluate(input) + destroy. Returns the output bytes, or the plugin's error
  // code mapped to a status: ERROR_CONFIG and ERROR_INPUT -> InvalidArgument, the rest ->
  // Internal. Sets *code (if given) to the plugin's result code. Never throws.
  absl::StatusOr<std::string> Run(std::string_view config_json, std::string_view input,
                                  int32_t* code = nullptr) const;

  // create(config) + destroy: whether the plugin itself accepts the config. The same statuses
  // and codes as Run.
  absl::Status CheckConfig(std::string_view config_json, int32_t* code = nullptr) const;

 private:
  PluginLibrary(std::string path, void* handle, const okr_plugin_v1* table);

  std::string path_;
  void* handle_;
  const okr_plugin_v1* table_;
  std::string name_;
  std::string version_;
  PluginKind kind_;
  std::string config_schema_json_;
  std::shared_ptr<const ConfigSchema> config_schema_;
};

}  // namespace okr::plugins

#endif  // OKR_PLUGINS_HOST_PLUGIN_LIBRARY_H_
