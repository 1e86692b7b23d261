#include "plugins/host/plugin_host.h"

#include <algorithm>
#include <boost/asio/post.hpp>
#include <filesystem>
#include <system_error>
#include <utility>

#include "absl/strings/str_cat.h"
#include "okr/plugin/v1/plugin.pb.h"
#include "plugins/host/plugin_trust.h"

namespace okr::plugins {
namespace {

// The rendezvous between Evaluate and the pool thread running the plugin. Shared, so that a
// run that overran its budget can still complete into it after Evaluate has given up.
struct PendingCall {
  std::string config;
  std::string input;
  bool check_config = false;  // create + destroy only
  absl::Mutex mu;
  bool started ABSL_GUARDED_BY(mu) = false;    // a pool thread took it and runs the plugin
  bool abandoned ABSL_GUARDED_BY(mu) = false;  // Evaluate gave up before it started: skip it
  bool done ABSL_GUARDED_BY(mu) = false;
  absl::StatusOr<std::string> result ABSL_GUARDED_BY(mu);
  int32_t code ABSL_GUARDED_BY(mu) = OKR_PLUGIN_OK;

  bool StartedOrDone() const ABSL_SHARED_LOCKS_REQUIRED(mu) { return started || done; }
};

// Whether `bytes` parse as the output message of `kind`; sets *type to its full name.
bool ParsesAsOutput(PluginKind kind, const std::string& bytes, std::string* type) {
  switch (kind) {
    case PluginKind::kIncentive: {
      okr::plugin::v1::IncentiveOutput message;
      *type = message.GetTypeName();
      return message.ParseFromString(bytes);
    }
    case PluginKind::kRedline: {
      okr::plugin::v1::RedlineOutput message;
      *type = message.GetTypeName();
      return message.ParseFromString(bytes);
    }
    case PluginKind::kRecognition: {
      okr::plugin::v1::RecognitionOutput message;
      *type = message.GetTypeName();
      return message.ParseFromString(bytes);
    }
  }
  *type = "unknown";
  return false;
}

// absl here predates std::string_view interoperability: absl::StrCat takes absl::string_view.
absl::string_view Sv(std::string_view text) { return {text.data(), text.size()}; }

absl::Status NoSuchPlugin(std::string_view name) {
  return absl::NotFoundError(absl::StrCat("no plugin named ", Sv(name)));
}

// A plugin's disabling, reported to the callback when this goes out of scope: declared before
// the host's lock, it reports after the lock is released.
class DisabledNotice {
 public:
  DisabledNotice() = default;
  DisabledNotice(const DisabledNotice&) = delete;
  DisabledNotice& operator=(const DisabledNotice&) = delete;
  ~DisabledNotice() {
    if (callback_) callback_(name_, reason_);
  }

  void Set(const PluginHost::DisabledCallback& callback, std::string_view name,
           std::string_view reason) {
    callback_ = callback;
    name_ = std::string(name);
    reason_ = std::string(reason);
  }

 private:
  PluginHost::DisabledCallback callback_;
  std::string name_;
  std::string reason_;
};

PluginInfo InfoOf(const PluginLibrary& library) {
  PluginInfo info;
  info.name = library.name();
  info.kind = library.kind();
  info.version = library.version();
  info.abi_version = library.abi_version();
  info.path = library.path();
  info.enabled = true;
  info.config_schema = library.config_schema();
  info.config_schema_json = library.config_schema_json();
  return info;
}

}  // namespace

PluginHost::PluginHost(boost::asio::thread_pool& pool) : pool_(pool) {}

// In-flight evaluations own their library and rendezvous, so nothing waits for them here.
PluginHost::~PluginHost() = default;

absl::StatusOr<PluginInfo> PluginHost::Load(const std::string& path) {
  absl::StatusOr<std::shared_ptr<const PluginLibrary>> library = PluginLibrary::Open(path);
  if (!library.ok()) return library.status();
  absl::MutexLock lock(&mu_);
  const std::string& name = (*library)->name();
  if (auto it = plugins_.find(name); it != plugins_.end()) {
    // Dropping `library` closes our handle again; the loaded plugin keeps its own.
    return absl::AlreadyExistsError(absl::StrCat("cannot load plugin ", path, ": a plugin named ",
                                                 Sv(name), " is already loaded from ",
                                                 it->second.path));
  }
  Entry entry;
  entry.path = path;
  entry.info = InfoOf(**library);
  entry.library = *std::move(library);
  entry.generation = next_generation_++;
  PluginInfo info = entry.info;
  plugins_.emplace(info.name, std::move(entry));
  return info;
}

absl::StatusOr<std::vector<LoadResult>> PluginHost::LoadDirectory(const std::string& dir) {
  std::error_code error;
  std::filesystem::directory_iterator it(dir, error);
  if (error) {
    return absl::NotFoundError(
        absl::StrCat("cannot list plugin folder ", dir, ": ", error.message()));
  }
  std::vector<std::string> paths;
  for (; it != std::filesystem::directory_iterator(); it.increment(error)) {
    if (error) break;
    const std::filesystem::path& path = it->path();
    std::error_code ignored;  // an entry that cannot be inspected is tried, and refused
    if (path.extension() == ".so" && !it->is_directory(ignored)) paths.push_back(path.string());
  }
  if (error) {
    return absl::InternalError(
        absl::StrCat("cannot list plugin folder ", dir, ": ", error.message()));
  }
  std::sort(paths.begin(), paths.end());
  std::vector<LoadResult> results;
  for (const std::string& path : paths) {
    LoadResult result;
    result.path = path;
    // The same rule as a load over the API: a symlink that leads out of the folder is refused.
    absl::StatusOr<std::string> file =
        ResolvePluginFile(dir, std::filesystem::path(path).filename().string());
    absl::StatusOr<PluginInfo> info =
        file.ok() ? Load(*file) : absl::StatusOr<PluginInfo>(file.status());
    result.status = info.status();
    if (info.ok()) result.name = info->name;
    results.push_back(std::move(result));
  }
  return results;
}

absl::Status PluginHost::Unload(std::string_view name) {
  absl::MutexLock lock(&mu_);
  auto it = plugins_.find(name);
  if (it == plugins_.end()) return NoSuchPlugin(name);
  plugins_.erase(it);
  return absl::OkStatus();
}

absl::StatusOr<PluginInfo> PluginHost::Reload(std::string_view name) {
  DisabledNotice notice;
  // Under the lock throughout: dlopen is quick, and it keeps Reload atomic with respect to
  // Load, Unload and Evaluate.
  absl::MutexLock lock(&mu_);
  auto it = plugins_.find(name);
  if (it == plugins_.end()) return NoSuchPlugin(name);
  Entry& entry = it->second;
  // Drop our handle first: dlopen of a path that is still open returns the old mapping, not
  // the file now on disk. (An evaluation still running the old build keeps it mapped.)
  entry.library.reset();
  entry.generation = next_generation_++;
  entry.info.faults = 0;
  entry.info.consecutive_faults = 0;
  auto refuse = [&](const absl::Status& status) {
    entry.info.enabled = false;
    entry.info.last_error = std::string(status.message());
    entry.disabled_reason =
        absl::StrCat("plugin ", Sv(name), " disabled: reload failed: ", status.message());
    notice.Set(on_disabled_, name, entry.disabled_reason);
    return absl::Status(status.code(), entry.disabled_reason);
  };
  absl::StatusOr<std::shared_ptr<const PluginLibrary>> library = PluginLibrary::Open(entry.path);
  if (!library.ok()) return refuse(library.status());
  if ((*library)->name() != entry.info.name) {
    return refuse(absl::FailedPreconditionError(
        absl::StrCat(entry.path, " now holds plugin ", (*library)->name(), ", not ", Sv(name))));
  }
  entry.info = InfoOf(**library);
  entry.disabled_reason.clear();
  entry.library = *std::move(library);
  return entry.info;
}

std::vector<PluginInfo> PluginHost::List() const {
  absl::MutexLock lock(&mu_);
  std::vector<PluginInfo> infos;
  infos.reserve(plugins_.size());
  for (const auto& [name, entry] : plugins_) infos.push_back(entry.info);
  return infos;
}

absl::StatusOr<PluginInfo> PluginHost::Info(std::string_view name) const {
  absl::MutexLock lock(&mu_);
  auto it = plugins_.find(name);
  if (it == plugins_.end()) return NoSuchPlugin(name);
  return it->second.info;
}

PluginHost::CallOutcome PluginHost::Call(std::string_view name, std::string_view config_json,
                                         const std::string* input, absl::Duration timeout) {
  CallOutcome outcome;
  {
    absl::MutexLock lock(&mu_);
    auto it = plugins_.find(name);
    if (it == plugins_.end()) {
      outcome.result = NoSuchPlugin(name);
      return outcome;
    }
    if (!it->second.info.enabled || it->second.library == nullptr) {
      outcome.result = absl::FailedPreconditionError(it->second.disabled_reason);
      return outcome;
    }
    outcome.library = it->second.library;
    outcome.generation = it->second.generation;
  }

  // The call owns copies of its arguments: it may outlive this frame if it overruns.
  auto call = std::make_shared<PendingCall>();
  call->config = std::string(config_json);
  call->check_config = input == nullptr;
  if (input != nullptr) call->input = *input;
  try {
    // Nothing in this job throws (Run and CheckConfig catch whatever the plugin throws).
    boost::asio::post(pool_, [call, library = outcome.library] {
      {
        absl::MutexLock lock(&call->mu);
        if (call->abandoned) return;
        call->started = true;
      }
      int32_t code = OKR_PLUGIN_OK;
      absl::StatusOr<std::string> result;
      if (call->check_config) {
        absl::Status accepted = library->CheckConfig(call->config, &code);
        if (accepted.ok()) {
          result = std::string();
        } else {
          result = accepted;
        }
      } else {
        result = library->Run(call->config, call->input, &code);
      }
      absl::MutexLock lock(&call->mu);
      call->result = std::move(result);
      call->code = code;
      call->done = true;
    });
  } catch (const std::exception& e) {
    outcome.result = absl::ResourceExhaustedError(
        absl::StrCat("cannot schedule plugin ", Sv(name), ": ", e.what()));
    return outcome;
  }

  absl::MutexLock lock(&call->mu);
  // The budget is the plugin's own time: it starts when a pool thread takes the call. A call
  // that no thread takes within a budget (every one busy) is dropped, but is no fault of the
  // plugin's.
  if (!call->mu.AwaitWithTimeout(absl::Condition(call.get(), &PendingCall::StartedOrDone),
                                 timeout)) {
    call->abandoned = true;
    outcome.result = absl::UnavailableError(absl::StrCat(
        "no plugin thread was free to run plugin ", Sv(name), " within ",
        absl::FormatDuration(timeout),
        " (evaluations that overran their budget may still hold them); evaluation dropped"));
    return outcome;
  }
  if (!call->mu.AwaitWithTimeout(absl::Condition(&call->done), timeout)) {
    outcome.result = RecordOverrun(name, outcome.generation, timeout);
    return outcome;
  }
  outcome.completed = true;
  outcome.result = std::move(call->result);
  outcome.code = call->code;
  return outcome;
}

absl::StatusOr<std::string> PluginHost::Evaluate(std::string_view name,
                                                 std::string_view config_json,
                                                 std::string_view input, absl::Duration timeout) {
  const std::string bytes(input);
  CallOutcome outcome = Call(name, config_json, &bytes, timeout);
  if (!outcome.completed) return std::move(outcome.result);
  absl::StatusOr<std::string>& result = outcome.result;
  if (!result.ok()) {
    // A rejected config is the operator's mistake for one subtree, not a faulty plugin:
    // report it, but do not let it count towards disabling the plugin for everyone.
    if (outcome.code == OKR_PLUGIN_ERROR_CONFIG) return result.status();
    return RecordFault(name, outcome.generation,
                       absl::Status(result.status().code(), absl::StrCat(result.status().message(),
                                                                         "; evaluation dropped")));
  }
  std::string type;
  if (!ParsesAsOutput(outcome.library->kind(), *result, &type)) {
    return RecordFault(name, outcome.generation,
                       absl::DataLossError(absl::StrCat(
                           "plugin ", Sv(name), " returned ", result->size(),
                           " bytes that do not parse as ", type, "; evaluation dropped")));
  }
  RecordSuccess(name, outcome.generation);
  return std::move(result);
}

absl::Status PluginHost::CheckConfig(std::string_view name, std::string_view config_json,
                                     absl::Duration timeout) {
  CallOutcome outcome = Call(name, config_json, nullptr, timeout);
  if (!outcome.completed || outcome.result.ok() || outcome.code == OKR_PLUGIN_ERROR_CONFIG) {
    return outcome.result.status();
  }
  return RecordFault(name, outcome.generation, outcome.result.status());
}

absl::Status PluginHost::RecordFault(std::string_view name, uint64_t generation,
                                     absl::Status fault) {
  DisabledNotice notice;
  absl::MutexLock lock(&mu_);
  auto it = plugins_.find(name);
  if (it == plugins_.end() || it->second.generation != generation) return fault;
  Entry& entry = it->second;
  ++entry.info.faults;
  ++entry.info.consecutive_faults;
  entry.info.last_error = std::string(fault.message());
  if (entry.info.enabled && entry.info.consecutive_faults >= kMaxConsecutiveFaults) {
    entry.info.enabled = false;
    entry.disabled_reason =
        absl::StrCat("plugin ", Sv(name), " disabled after ", entry.info.consecutive_faults,
                     " faults: ", fault.message());
    notice.Set(on_disabled_, name, entry.disabled_reason);
    return absl::Status(fault.code(),
                        absl::StrCat(fault.message(), "; plugin ", Sv(name), " disabled after ",
                                     entry.info.consecutive_faults, " consecutive faults"));
  }
  return fault;
}

absl::Status PluginHost::RecordOverrun(std::string_view name, uint64_t generation,
                                       absl::Duration timeout) {
  DisabledNotice notice;
  const std::string overrun = absl::StrCat("plugin ", Sv(name), " exceeded its time budget of ",
                                           absl::FormatDuration(timeout), "; evaluation dropped");
  absl::MutexLock lock(&mu_);
  auto it = plugins_.find(name);
  if (it == plugins_.end() || it->second.generation != generation) {
    return absl::DeadlineExceededError(overrun);
  }
  Entry& entry = it->second;
  ++entry.info.faults;
  ++entry.info.consecutive_faults;
  // The overrunning run still holds a pool thread, and every further call could hold another
  // until none is left for any plugin: one overrun disables the plugin.
  const std::string disabled = absl::StrCat(
      "plugin ", Sv(name), " disabled: it ran longer than its time budget of ",
      absl::FormatDuration(timeout), " and may still hold a plugin thread; fix it, then reload it");
  entry.info.last_error = disabled;
  if (entry.info.enabled) {
    entry.info.enabled = false;
    entry.disabled_reason = disabled;
    notice.Set(on_disabled_, name, disabled);
  }
  return absl::DeadlineExceededError(absl::StrCat(overrun, "; ", disabled));
}

void PluginHost::set_on_disabled(DisabledCallback callback) {
  absl::MutexLock lock(&mu_);
  on_disabled_ = std::move(callback);
}

void PluginHost::RecordSuccess(std::string_view name, uint64_t generation) {
  absl::MutexLock lock(&mu_);
  auto it = plugins_.find(name);
  if (it == plugins_.end() || it->second.generation != generation) return;
  it->second.info.consecutive_faults = 0;
}

}  // namespace okr::plugins
