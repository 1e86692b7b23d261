// What every handler shares: the database, the caches of the org and the metrics, the
// worker pool, the clock, and the locks that serialise read-modify-write changes.
#ifndef OKR_SERVICES_CORE_SERVER_STATE_H_
#define OKR_SERVICES_CORE_SERVER_STATE_H_

#include <atomic>
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "services/core/command_log.h"
#include "services/core/health.h"
#include "services/core/rollup_limits.h"
#include "services/core/rollup_store.h"
#include "services/core/time_zone.h"
#include "services/core/tokens.h"
#include "services/core/watch_hub.h"
#include "services/domain/calendar.h"
#include "services/domain/metric.h"
#include "services/domain/org.h"
#include "store/db.h"
#include "store/records.pb.h"

namespace okr::plugins {
class PluginHost;
}  // namespace okr::plugins

namespace okr {

// The clock and the server's time zone, passed in so tests can fix them.
struct Clock {
  std::function<int64_t()> now_unix_micros;
  TimeZone zone;  // UTC unless set (okrd --time-zone)

  // The date in the server's zone now: "today" for progress, closes, kudos and red-lines.
  Date Today() const { return LocalDate(now_unix_micros(), zone); }
  int64_t NowUnix() const { return now_unix_micros() / 1000000; }
  static Clock System(TimeZone zone = {});
  // Test only: the system clock, shifted so that it reads `start_unix_micros` now and runs on
  // from there.
  static Clock StartingAt(int64_t start_unix_micros, TimeZone zone = {});
};

// A new audit entry: `caller` did `action` (e.g. "target.set") about `unit_id` and
// `metric_id` (empty: none) for `reason`. Before and after are the change's to add.
store::AuditRecord NewAudit(const Caller& caller, std::string_view action,
                            std::string_view unit_id = {}, std::string_view metric_id = {},
                            std::string_view reason = {});

class ServerState {
 public:
  ServerState(store::Db* db, TokenRegistry* tokens, boost::asio::thread_pool* pool, Clock clock);

  // Loads the org, metrics and counters from the database.
  absl::Status Load();

  store::Db& db() { return *db_; }
  // Every mutation goes through it (services/core/command_log.h, services/core/apply.h).
  CommandLog& commands() { return commands_; }
  // The roll-ups: stored, plus the deltas not yet checkpointed (services/core/rollup_store.h).
  RollupStore& rollups() { return rollups_; }
  TokenRegistry& tokens() { return *tokens_; }
  boost::asio::thread_pool& pool() { return *pool_; }
  // Imports and ingest streams run on a pool of their own (okrd --import-threads), so that
  // however many arrive at once they wait in its queue, not on the ingest lock in threads of
  // the worker pool, and reads, small calls, watches and the HTTP side keep theirs. Without
  // one (unit tests), the worker pool.
  boost::asio::thread_pool& import_pool() { return import_pool_ ? *import_pool_ : *pool_; }
  void set_import_pool(boost::asio::thread_pool* pool) { import_pool_ = pool; }
  // Test only (okrd --test-ingest-delay-ms): each batch of actuals holds the ingest lock this
  // much longer, so a test can hold imports in flight for as long as it needs.
  std::chrono::milliseconds test_ingest_delay() const { return test_ingest_delay_; }
  void set_test_ingest_delay(std::chrono::milliseconds delay) { test_ingest_delay_ = delay; }
  const Clock& clock() const { return clock_; }
  WatchHub& watches() { return watches_; }
  // What the gRPC health service and /healthz report (services/core/health.h).
  Readiness& readiness() { return readiness_; }
  // The plugin host; null when okrd runs without one (unit tests of other parts).
  plugins::PluginHost* plugin_host() const { return plugin_host_; }
  // Also logs every plugin the host disables (plugin.disabled, at warn).
  void set_plugin_host(plugins::PluginHost* host);
  // okrd's --plugin-dir and --backup-dir ("" when not given): plugins are loaded only from the
  // first, backups are written only under the second. Set once, before serving.
  const std::string& plugin_dir() const { return plugin_dir_; }
  const std::string& backup_dir() const { return backup_dir_; }
  void set_folders(std::string plugin_dir, std::string backup_dir) {
    plugin_dir_ = std::move(plugin_dir);
    backup_dir_ = std::move(backup_dir);
  }

  // Called after each committed batch of actuals with the agents and days it touched (the
  // server evaluates red-lines for them, asynchronously).
  using ActualsHook = std::function<void(std::vector<std::string>, std::vector<Date>)>;
  void set_on_actuals_committed(ActualsHook hook) { on_actuals_committed_ = std::move(hook); }
  void ActualsCommitted(std::vector<std::string> agents, std::vector<Date> days) {
    if (on_actuals_committed_) on_actuals_committed_(std::move(agents), std::move(days));
  }

  std::shared_ptr<const OrgSnapshot> org() const;
  // Also clears the year totals: an org change may have moved roll-ups between units.
  void SetOrg(std::shared_ptr<const OrgSnapshot> org);

  // The year totals ingestion checks its bound against (services/core/rollup_limits.h).
  YearTotalsCache& year_totals() { return year_totals_; }

  std::optional<Metric> FindMetric(std::string_view id) const;
  std::vector<Metric> Metrics() const;
  void PutMetric(const Metric& metric);

  // Adds an audit entry to `batch` (written with the change it records). Inside a command,
  // `record` carries the command's accepted time; outside one, the clock's time is used.
  void Audit(store::Batch& batch, store::AuditRecord record);

  // The current plan version of (metric, year), and the next one written into `batch`.
  // PlanVersion is the writers' figure (bumped before the batch commits, under plan_mu);
  // readers take StoredPlanVersion, read from the database (inside a store::ReadSnapshot, the
  // version of the rows that snapshot holds).
  int64_t PlanVersion(std::string_view metric_id, int year) const;
  absl::StatusOr<int64_t> StoredPlanVersion(std::string_view metric_id, int year) const;
  int64_t BumpPlanVersion(store::Batch& batch, std::string_view metric_id, int year);

  int64_t NextCounter(store::Batch& batch, std::string_view name);
  // NextCounter, BumpPlanVersion and Audit belong inside a command's apply: what they draw is
  // staged, and becomes the state's only once the command's batch is written (CommandLog::
  // Staging); a failed apply or write drops it, so the next command draws the same numbers a
  // replay of the log gives.

  // Serialise changes that read before they write: org changes, plan changes (targets,
  // holds, cascades, approvals), and ingestion of actuals. Readers take none of them: they
  // read from a store::ReadSnapshot. No plugin call runs under any of them.
  std::mutex org_mu;
  std::mutex plan_mu;
  std::mutex actuals_mu;
  std::mutex alerts_mu;
  // One month close at a time (held across its plugin calls; only closes take it).
  std::mutex close_mu;

 private:
  store::Db* db_;
  CommandLog commands_;
  RollupStore rollups_;
  TokenRegistry* tokens_;
  boost::asio::thread_pool* pool_;
  boost::asio::thread_pool* import_pool_ = nullptr;
  std::chrono::milliseconds test_ingest_delay_{0};
  Clock clock_;
  WatchHub watches_;
  Readiness readiness_;
  YearTotalsCache year_totals_;
  plugins::PluginHost* plugin_host_ = nullptr;
  std::string plugin_dir_;
  std::string backup_dir_;
  ActualsHook on_actuals_committed_;

  mutable std::mutex mu_;
  std::shared_ptr<const OrgSnapshot> org_;
  std::map<std::string, Metric, std::less<>> metrics_;
  std::map<std::string, int64_t, std::less<>> counters_;
  int64_t audit_seq_ = 0;
  // What the command being applied drew, until it is written (CommitStaged) or dropped.
  std::map<std::string, int64_t, std::less<>> staged_counters_;
  std::optional<int64_t> staged_audit_seq_;

  // Under mu_: the staged value of counter `name`, else its value; 0 when never drawn.
  int64_t CounterLocked(std::string_view name) const;
  void CommitStaged();
  void DiscardStaged();
};

}  // namespace okr

#endif  // OKR_SERVICES_CORE_SERVER_STATE_H_
