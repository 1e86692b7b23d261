#include "plugins/host/plugin_library.h"

#include <dlfcn.h>

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "plugins/host/plugin_trust.h"
#include "services/domain/text.h"

namespace okr::plugins {
namespace {

std::string DlError() {
  const char* error = dlerror();
  return error == nullptr ? "unknown dlopen error" : error;
}

bool KnownKind(uint32_t kind) {
  return kind == OKR_PLUGIN_KIND_INCENTIVE || kind == OKR_PLUGIN_KIND_REDLINE ||
         kind == OKR_PLUGIN_KIND_RECOGNITION;
}

const char* CodeName(int32_t code) {
  switch (code) {
    case OKR_PLUGIN_ERROR_CONFIG:
      return "config error";
    case OKR_PLUGIN_ERROR_INPUT:
      return "input error";
    case OKR_PLUGIN_ERROR_INTERNAL:
      return "internal error";
    case OKR_PLUGIN_ERROR_UNSUPPORTED:
      return "unsupported";
    default:
      return "unknown error code";
  }
}

// Copies a plugin buffer and hands it back to the plugin's allocator.
std::string Take(const okr_plugin_v1& table, okr_plugin_buffer& buffer) {
  std::string bytes;
  if (buffer.data != nullptr && buffer.size > 0) {
    bytes.assign(reinterpret_cast<const char*>(buffer.data), buffer.size);
  }
  table.free_buffer(&buffer);
  return bytes;
}

absl::Status PluginError(const okr_plugin_v1& table, const char* step, int32_t code,
                         const std::string& message) {
  const std::string text = absl::StrCat("plugin ", table.name, " ", step, " failed (", code, ", ",
                                        CodeName(code), "): ", message);
  if (code == OKR_PLUGIN_ERROR_CONFIG || code == OKR_PLUGIN_ERROR_INPUT) {
    return absl::InvalidArgumentError(text);
  }
  return absl::InternalError(text);
}

}  // namespace

std::string_view KindName(PluginKind kind) {
  switch (kind) {
    case PluginKind::kIncentive:
      return "incentive";
    case PluginKind::kRedline:
      return "redline";
    case PluginKind::kRecognition:
      return "recognition";
  }
  return "unknown";
}

absl::StatusOr<std::shared_ptr<const PluginLibrary>> PluginLibrary::Open(const std::string& path) {
  dlerror();  // clear any stale error
  // A bare file name would make dlopen search the system library path; we mean the file.
  const std::string file = path.find('/') == std::string::npos ? "./" + path : path;
  // Its code would run as okrd: only a file that nobody but root or okrd can change.
  if (absl::Status trusted = CheckTrustedPluginFile(file); !trusted.ok()) return trusted;
  void* handle = dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot load plugin ", path, ": not a loadable library: ", DlError()));
  }
  // From here on every refusal closes the handle again, so a refused file leaves nothing behind.
  auto refuse = [&](absl::Status status) {
    dlclose(handle);
    return status;
  };
  void* symbol = dlsym(handle, OKR_PLUGIN_ENTRY_SYMBOL);
  if (symbol == nullptr) {
    return refuse(absl::InvalidArgumentError(absl::StrCat("cannot load plugin ", path,
                                                          ": not an okr plugin (no symbol ",
                                                          OKR_PLUGIN_ENTRY_SYMBOL, ")")));
  }
  const okr_plugin_v1* table = nullptr;
  try {
    table = reinterpret_cast<okr_plugin_entry_fn>(symbol)();
  } catch (...) {
    return refuse(absl::InvalidArgumentError(
        absl::StrCat("cannot load plugin ", path, ": its entry function threw")));
  }
  if (table == nullptr) {
    return refuse(absl::InvalidArgumentError(
        absl::StrCat("cannot load plugin ", path, ": its entry function returned no table")));
  }
  // abi_version is the only member whose position every ABI version shares: check it first.
  if (table->abi_version != OKR_PLUGIN_ABI_VERSION) {
    return refuse(absl::FailedPreconditionError(
        absl::StrCat("cannot load plugin ", path, ": built for plugin ABI version ",
                     table->abi_version, ", this host supports version ", OKR_PLUGIN_ABI_VERSION)));
  }
  if (table->name == nullptr || table->name[0] == '\0' || table->version == nullptr ||
      table->create == nullptr || table->evaluate == nullptr || table->free_buffer == nullptr ||
      table->destroy == nullptr) {
    return refuse(absl::InvalidArgumentError(absl::StrCat(
        "cannot load plugin ", path, ": incomplete entry table (name, version or a function)")));
  }
  // The name goes into okrd's replies, its audit and its command log, all of which hold only
  // UTF-8 text: a name that is not (or holds control characters) would make them unreadable.
  if (const std::string problem = TextProblem(table->name, kNameText); !problem.empty()) {
    return refuse(absl::InvalidArgumentError(
        absl::StrCat("cannot load plugin ", path, ": its name is not valid text: ", problem,
                     "; a plugin's name must be UTF-8 of at most ", kMaxNameBytes,
                     " bytes without control characters")));
  }
  if (!KnownKind(table->kind)) {
    return refuse(absl::InvalidArgumentError(
        absl::StrCat("cannot load plugin ", path, ": plugin ", table->name, " has unknown kind ",
                     table->kind, " (known: 1 incentive, 2 redline, 3 recognition)")));
  }
  std::string schema_json;
  std::shared_ptr<const ConfigSchema> schema;
  if (void* schema_symbol = dlsym(handle, OKR_PLUGIN_CONFIG_SCHEMA_SYMBOL)) {
    const char* text = nullptr;
    try {
      text = reinterpret_cast<okr_plugin_config_schema_fn>(schema_symbol)();
    } catch (...) {
      return refuse(absl::InvalidArgumentError(
          absl::StrCat("cannot load plugin ", path, ": its config schema function threw")));
    }
    if (text == nullptr) {
      return refuse(absl::InvalidArgumentError(
          absl::StrCat("cannot load plugin ", path, ": its config schema function returned NULL")));
    }
    schema_json = text;
    absl::StatusOr<ConfigSchema> parsed = ConfigSchema::Parse(schema_json);
    if (!parsed.ok()) {
      return refuse(absl::InvalidArgumentError(absl::StrCat(
          "cannot load plugin ", path, ": plugin ", table->name,
          " declares a config schema that does not parse: ", parsed.status().message())));
    }
    schema = std::make_shared<const ConfigSchema>(*std::move(parsed));
  }
  auto library = std::shared_ptr<PluginLibrary>(new PluginLibrary(path, handle, table));
  library->config_schema_json_ = std::move(schema_json);
  library->config_schema_ = std::move(schema);
  return std::shared_ptr<const PluginLibrary>(std::move(library));
}

PluginLibrary::PluginLibrary(std::string path, void* handle, const okr_plugin_v1* table)
    : path_(std::move(path)),
      handle_(handle),
      table_(table),
      name_(table->name),
      version_(table->version),
      kind_(static_cast<PluginKind>(table->kind)) {}

PluginLibrary::~PluginLibrary() { dlclose(handle_); }

absl::Status PluginLibrary::CheckConfig(std::string_view config_json, int32_t* code) const {
  int32_t ignored = 0;
  if (code == nullptr) code = &ignored;
  *code = OKR_PLUGIN_ERROR_INTERNAL;
  try {  // a last line of defence, as in Run
    okr_plugin_instance* instance = nullptr;
    okr_plugin_buffer error{nullptr, 0};
    const int32_t created =
        table_->create(config_json.data(), config_json.size(), &instance, &error);
    const std::string message = Take(*table_, error);
    table_->destroy(instance);
    *code = created;
    if (created != OKR_PLUGIN_OK) return PluginError(*table_, "create", created, message);
    return absl::OkStatus();
  } catch (const std::exception& e) {
    return absl::InternalError(
        absl::StrCat("plugin ", name_, " let an exception escape: ", e.what()));
  } catch (...) {
    return absl::InternalError(absl::StrCat("plugin ", name_, " let an exception escape"));
  }
}

absl::StatusOr<std::string> PluginLibrary::Run(std::string_view config_json, std::string_view input,
                                               int32_t* code) const {
  int32_t ignored = 0;
  if (code == nullptr) code = &ignored;
  *code = OKR_PLUGIN_ERROR_INTERNAL;
  // The plugin contract forbids exceptions across the ABI; the catch-all is a last line of
  // defence so that a misbehaving plugin cannot take the host down by unwinding into it.
  try {
    okr_plugin_instance* instance = nullptr;
    okr_plugin_buffer error{nullptr, 0};
    const int32_t created =
        table_->create(config_json.data(), config_json.size(), &instance, &error);
    const std::string create_message = Take(*table_, error);
    *code = created;
    if (created != OKR_PLUGIN_OK) {
      table_->destroy(instance);
      return PluginError(*table_, "create", created, create_message);
    }
    okr_plugin_buffer output{nullptr, 0};
    const int32_t evaluated = table_->evaluate(
        instance, reinterpret_cast<const uint8_t*>(input.data()), input.size(), &output);
    std::string bytes = Take(*table_, output);
    table_->destroy(instance);
    *code = evaluated;
    if (evaluated != OKR_PLUGIN_OK) return PluginError(*table_, "evaluate", evaluated, bytes);
    return bytes;
  } catch (const std::exception& e) {
    return absl::InternalError(
        absl::StrCat("plugin ", name_, " let an exception escape: ", e.what()));
  } catch (...) {
    return absl::InternalError(absl::StrCat("plugin ", name_, " let an exception escape"));
  }
}

}  // namespace okr::plugins
