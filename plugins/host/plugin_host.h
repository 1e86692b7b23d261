// PluginHost: loads, lists, unloads and reloads plugin libraries and runs their evaluations on
// a caller-provided thread pool, each within a time budget (counted from when a pool thread
// starts the plugin). A plugin that errs, throws, or returns bytes that do not parse as its
// kind's output message has that evaluation dropped and a fault counted; after
// kMaxConsecutiveFaults faults in a row it is disabled until reloaded. A plugin that overruns
// its budget (hangs) is disabled at once: its run keeps a pool thread, and a few more would
// leave no thread for any plugin. The reason is in PluginInfo::last_error (okrctl plugin
// list). Nothing here throws; every failure is an absl::Status.
#ifndef OKR_PLUGINS_HOST_PLUGIN_HOST_H_
#define OKR_PLUGINS_HOST_PLUGIN_HOST_H_

#include <boost/asio/thread_pool.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "plugins/host/plugin_library.h"

namespace okr::plugins {

struct PluginInfo {
  std::string name;
  PluginKind kind = PluginKind::kIncentive;
  std::string version;
  uint32_t abi_version = 0;
  std::string path;
  bool enabled = false;
  int64_t faults = 0;          // since load or the last reload
  int consecutive_faults = 0;  // reset by every good evaluation
  std::string last_error;      // the latest fault or failed reload; empty if none
  // The config schema the plugin declares (PluginLibrary::config_schema); null if none.
  std::shared_ptr<const ConfigSchema> config_schema;
  std::string config_schema_json;
};

// The outcome of loading one file of a directory.
struct LoadResult {
  std::string path;
  absl::Status status;
  std::string name;  // the plugin's name when loaded
};

class PluginHost {
 public:
  static constexpr int kMaxConsecutiveFaults = 3;

  // Evaluations run on `pool`, which must outlive every evaluation started through this host
  // (an evaluation that overran its budget keeps a pool thread until the plugin returns).
  // Evaluate blocks its caller, so call it from threads other than the pool's: on a saturated
  // pool, a caller from the pool would wait out its whole budget.
  explicit PluginHost(boost::asio::thread_pool& pool);
  ~PluginHost();

  PluginHost(const PluginHost&) = delete;
  PluginHost& operator=(const PluginHost&) = delete;

  // Told each time a plugin is disabled (after faults, an overrun or a refused reload), with
  // its name and the reason, so that the server can log it (the host writes no log). Called
  // after the host's lock is released, on the thread that saw the fault; must not throw.
  using DisabledCallback = std::function<void(std::string_view name, std::string_view reason)>;
  void set_on_disabled(DisabledCallback callback);

  // Loads one library. Refuses, leaving the host as it was: a file that others than root or
  // okrd's user could change (plugin_trust.h), a file that is no library, a library without
  // the entry symbol, another ABI version, an unknown kind, a duplicate name.
  absl::StatusOr<PluginInfo> Load(const std::string& path);

  // Loads every *.so in `dir` (sorted by file name) that resolves inside `dir`; one file's
  // refusal does not stop others.
  // Fails only when `dir` cannot be listed.
  absl::StatusOr<std::vector<LoadResult>> LoadDirectory(const std::string& dir);

  // Forgets the plugin. The library is closed once its in-flight evaluations have returned.
  absl::Status Unload(std::string_view name);

  // Re-opens the plugin's path (to pick up a new build) and clears its faults. If the new file
  // is refused, the plugin stays listed, disabled, with the reason in last_error, and a later
  // Reload may retry.
  absl::StatusOr<PluginInfo> Reload(std::string_view name);

  std::vector<PluginInfo> List() const;  // sorted by name
  absl::StatusOr<PluginInfo> Info(std::string_view name) const;

  // Runs the plugin on `input` (a serialized IncentiveInput / RedlineInput / RecognitionInput
  // for its kind) with `config_json`, waiting at most `timeout`. Returns the serialized output,
  // checked to parse as the kind's output message. NotFound for an unknown plugin,
  // FailedPrecondition for a disabled one, DeadlineExceeded for an overrun (which disables it),
  // Unavailable when no pool thread took the call within `timeout` (not a fault),
  // InvalidArgument or Internal for a plugin error, DataLoss for bytes that do not parse.
  absl::StatusOr<std::string> Evaluate(std::string_view name, std::string_view config_json,
                                       std::string_view input, absl::Duration timeout);

  // Asks the plugin whether it accepts `config_json` (create + destroy, on the pool, within
  // `timeout`), before the config is stored. OK, or InvalidArgument with the plugin's message
  // when it refuses the config (no fault). Anything else is a fault, as in Evaluate.
  absl::Status CheckConfig(std::string_view name, std::string_view config_json,
                           absl::Duration timeout);

 private:
  struct CallOutcome {
    bool completed = false;  // the plugin ran to the end: `result` and `code` are its own
    absl::StatusOr<std::string> result;
    int32_t code = OKR_PLUGIN_OK;
    std::shared_ptr<const PluginLibrary> library;
    uint64_t generation = 0;
  };
  // Runs the plugin on the pool (create + evaluate, or create only when `input` is null),
  // waiting at most `timeout`. When it did not complete, `result` says why (no such plugin,
  // disabled, no free thread, or an overrun, already counted).
  CallOutcome Call(std::string_view name, std::string_view config_json, const std::string* input,
                   absl::Duration timeout);

  struct Entry {
    std::string path;
    std::shared_ptr<const PluginLibrary> library;  // null after a refused reload
    PluginInfo info;
    std::string disabled_reason;  // what Evaluate says while !info.enabled
    uint64_t generation = 0;      // bumped by Reload: faults of an older library do not count
  };

  // Counts a fault against `name` if it is still at `generation`; disables it at the limit.
  // Returns `fault`, annotated when this fault disabled the plugin.
  absl::Status RecordFault(std::string_view name, uint64_t generation, absl::Status fault);
  // Counts an overrun against `name` if it is still at `generation` and disables it.
  absl::Status RecordOverrun(std::string_view name, uint64_t generation, absl::Duration timeout);
  void RecordSuccess(std::string_view name, uint64_t generation);

  boost::asio::thread_pool& pool_;
  mutable absl::Mutex mu_;
  std::map<std::string, Entry, std::less<>> plugins_ ABSL_GUARDED_BY(mu_);
  DisabledCallback on_disabled_ ABSL_GUARDED_BY(mu_);
  uint64_t next_generation_ ABSL_GUARDED_BY(mu_) = 1;
};

}  // namespace okr::plugins

#endif  // OKR_PLUGINS_HOST_PLUGIN_HOST_H_
