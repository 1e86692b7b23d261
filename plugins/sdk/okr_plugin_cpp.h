// Optional C++ helpers for writing a plugin against okr_plugin.h. Header-only and free of any
// dependency beyond the standard library, so an out-of-tree plugin can use it as is.
//
// The one rule of the ABI that C++ makes easy to break: no exception may leave the library.
// OKR_PLUGIN_DEFINE generates the C entry points and wraps every call into plugin code in
// okr_plugin_sdk::Guard, which turns any exception into a result code and a message.
//
//   class MyPlugin {
//    public:
//     explicit MyPlugin(std::string_view config_json);       // throw on a bad config
//     std::string Evaluate(std::string_view input) const;     // serialized output bytes
//   };
//   OKR_PLUGIN_DEFINE(MyPlugin, OKR_PLUGIN_KIND_INCENTIVE, "my_plugin", "1.0.0")
//   OKR_PLUGIN_CONFIG_SCHEMA(R"json({"type": "object", "properties": {...}})json")  // optional
#ifndef OKR_PLUGINS_SDK_OKR_PLUGIN_CPP_H_
#define OKR_PLUGINS_SDK_OKR_PLUGIN_CPP_H_

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <string>
#include <string_view>

#include "okr_plugin.h"

namespace okr_plugin_sdk {

// Throw to return a specific okr_plugin_code; any other exception is reported with the default
// code of the call (ERROR_CONFIG from the constructor, ERROR_INTERNAL from Evaluate).
class Error : public std::exception {
 public:
  Error(int32_t code, std::string message) : code_(code), message_(std::move(message)) {}
  const char* what() const noexcept override { return message_.c_str(); }
  int32_t code() const noexcept { return code_; }

 private:
  int32_t code_;
  std::string message_;
};

// Copies `head` + `tail` into a malloc'ed buffer. Allocates with malloc, not new, so that it
// cannot throw; on allocation failure the buffer stays empty.
inline void Fill(okr_plugin_buffer* buffer, std::string_view head,
                 std::string_view tail = {}) noexcept {
  buffer->data = nullptr;
  buffer->size = 0;
  const size_t size = head.size() + tail.size();
  if (size == 0) return;
  auto* data = static_cast<uint8_t*>(std::malloc(size));
  if (data == nullptr) return;
  if (!head.empty()) std::memcpy(data, head.data(), head.size());
  if (!tail.empty()) std::memcpy(data + head.size(), tail.data(), tail.size());
  buffer->data = data;
  buffer->size = size;
}

inline void FreeBuffer(okr_plugin_buffer* buffer) noexcept {
  if (buffer == nullptr) return;
  std::free(buffer->data);
  buffer->data = nullptr;
  buffer->size = 0;
}

// Runs `body` (returning the output bytes) and converts every exception into a code and a
// message in *out, so that nothing unwinds into the host.
template <typename Body>
int32_t Guard(okr_plugin_buffer* out, int32_t default_error, Body&& body) noexcept {
  try {
    const std::string bytes = body();
    Fill(out, bytes);
    if (!bytes.empty() && out->data == nullptr) return OKR_PLUGIN_ERROR_INTERNAL;  // no memory
    return OKR_PLUGIN_OK;
  } catch (const Error& e) {
    Fill(out, e.what());
    return e.code() == OKR_PLUGIN_OK ? OKR_PLUGIN_ERROR_INTERNAL : e.code();
  } catch (const std::exception& e) {
    Fill(out, "exception: ", e.what());
    return default_error;
  } catch (...) {
    Fill(out, "unknown exception");
    return default_error;
  }
}

}  // namespace okr_plugin_sdk

// Wraps a statement block returning std::string in Guard; for hand-written entry points.
#define OKR_PLUGIN_GUARD(out, default_error, ...) \
  ::okr_plugin_sdk::Guard((out), (default_error), [&]() -> std::string { __VA_ARGS__ })

// Defines okr_plugin_entry for class `Impl` (see the top of this file). Use once per library,
// at namespace scope; build with -fvisibility=hidden so that only the entry is exported.
#define OKR_PLUGIN_DEFINE(Impl, kind, name, version)                                              \
  namespace {                                                                                     \
  int32_t OkrPluginCreate(const char* config, size_t size, okr_plugin_instance** instance,        \
                          okr_plugin_buffer* error) {                                             \
    *instance = nullptr;                                                                          \
    return OKR_PLUGIN_GUARD(error, OKR_PLUGIN_ERROR_CONFIG, {                                     \
      const std::string_view json =                                                               \
          config == nullptr ? std::string_view() : std::string_view(config, size);                \
      *instance = reinterpret_cast<okr_plugin_instance*>(new Impl(json));                         \
      return std::string();                                                                       \
    });                                                                                           \
  }                                                                                               \
  int32_t OkrPluginEvaluate(okr_plugin_instance* instance, const uint8_t* input, size_t size,     \
                            okr_plugin_buffer* output) {                                          \
    return OKR_PLUGIN_GUARD(output, OKR_PLUGIN_ERROR_INTERNAL, {                                  \
      if (instance == nullptr) {                                                                  \
        throw ::okr_plugin_sdk::Error(OKR_PLUGIN_ERROR_INTERNAL, "no instance");                  \
      }                                                                                           \
      const std::string_view bytes =                                                              \
          input == nullptr ? std::string_view()                                                   \
                           : std::string_view(reinterpret_cast<const char*>(input), size);        \
      return static_cast<const Impl*>(reinterpret_cast<void*>(instance))->Evaluate(bytes);        \
    });                                                                                           \
  }                                                                                               \
  void OkrPluginFreeBuffer(okr_plugin_buffer* buffer) { ::okr_plugin_sdk::FreeBuffer(buffer); }   \
  void OkrPluginDestroy(okr_plugin_instance* instance) {                                          \
    delete static_cast<Impl*>(reinterpret_cast<void*>(instance));                                 \
  }                                                                                               \
  }                                                                                               \
  extern "C" __attribute__((visibility("default"))) const okr_plugin_v1* okr_plugin_entry(void) { \
    static const okr_plugin_v1 kTable = {OKR_PLUGIN_ABI_VERSION,                                  \
                                         (kind),                                                  \
                                         (name),                                                  \
                                         (version),                                               \
                                         &OkrPluginCreate,                                        \
                                         &OkrPluginEvaluate,                                      \
                                         &OkrPluginFreeBuffer,                                    \
                                         &OkrPluginDestroy};                                      \
    return &kTable;                                                                               \
  }

// Declares the plugin's config schema (okr_plugin.h, OKR_PLUGIN_CONFIG_SCHEMA_SYMBOL) from a
// string literal. Use at most once per library, at namespace scope.
#define OKR_PLUGIN_CONFIG_SCHEMA(schema_json)                                                    \
  extern "C" __attribute__((visibility("default"))) const char* okr_plugin_config_schema(void) { \
    return (schema_json);                                                                        \
  }

#endif  // OKR_PLUGINS_SDK_OKR_PLUGIN_CPP_H_
