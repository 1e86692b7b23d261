#include "services/okrd/server.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/health_check_service_interface.h>

#include <atomic>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <fstream>
#include <sstream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "plugins/host/plugin_host.h"
#include "services/api/service_set.h"
#include "services/api/version_header.h"
#include "services/core/alert_index.h"
#include "services/core/alerts.h"
#include "services/core/build_info.h"
#include "services/core/data_folder.h"
#include "services/core/health.h"
#include "services/core/history_index.h"
#include "services/core/log.h"
#include "services/core/metrics.h"
#include "services/core/plugin_ops.h"
#include "services/core/pool_jobs.h"
#include "services/core/private_files.h"
#include "services/core/process_metrics.h"
#include "services/core/redline_queue.h"
#include "services/core/rollup_checkpointer.h"
#include "services/core/server_state.h"
#include "services/core/store_metrics.h"
#include "services/core/token_ops.h"
#include "services/http/http_server.h"
#include "services/okrd/demo.h"
#include "services/okrd/serving_tls.h"

namespace okr {
namespace {

// A status message as a log field (absl's string_view is not std's here).
std::string_view Sv(absl::string_view text) { return {text.data(), text.size()}; }

// A record that does not read stops the start (serving a smaller org would be silently
// wrong); the message says what to do about it.
absl::Status RefuseDamaged(const absl::Status& status, const std::string& data_dir) {
  if (!absl::IsDataLoss(status)) return status;
  return absl::DataLossError(std::string(status.message()) +
                             "; okrd does not start on a damaged database: run okrd --verify "
                             "--data-dir " +
                             data_dir + " to list every problem, or restore a backup");
}

// The clock in the zone of --time-zone (the machine's when not given); an unknown zone is a
// start-up error, not a silent UTC.
absl::StatusOr<Clock> MakeClock(const ServerOptions& options) {
  auto zone = options.time_zone.empty() ? TimeZone::Machine() : TimeZone::Named(options.time_zone);
  if (!zone.ok() && !options.time_zone.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("--time-zone: ", zone.status().message()));
  }
  if (!zone.ok()) return zone.status();  // $TZ names no zone the database knows
  Clock clock = Clock::System(*zone);
  if (!options.test_clock_start.empty()) {
    auto start = ParseUtcInstant(options.test_clock_start);
    if (!start.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--test-clock-start: ", start.status().message()));
    }
    clock = Clock::StartingAt(*start, *zone);
  }
  Log(LogLevel::kInfo, "server.clock",
      {{"time_zone", clock.zone.name()}, {"today", clock.Today().ToString()}});
  return clock;
}

// The store's sizes from the flags, each checked against a range that leaves okrd working.
absl::StatusOr<store::DbOptions> StoreSizes(const ServerOptions& options) {
  struct Size {
    const char* flag;
    int mib, min, max;
  };
  for (const Size& size : {Size{"--block-cache-mb", options.block_cache_mb, 1, 1 << 20},
                           Size{"--write-buffer-mb", options.write_buffer_mb, 1, 4096},
                           Size{"--max-wal-mb", options.max_wal_mb, 1, 1 << 20}}) {
    if (size.mib < size.min || size.mib > size.max) {
      return absl::InvalidArgumentError(absl::StrCat(size.flag, " ", size.mib, " is outside ",
                                                     size.min, "..", size.max, " (MiB)"));
    }
  }
  constexpr uint64_t kMiB = 1 << 20;
  store::DbOptions db;
  db.block_cache_bytes = static_cast<size_t>(options.block_cache_mb) * kMiB;
  db.write_buffer_bytes = static_cast<size_t>(options.write_buffer_mb) * kMiB;
  db.max_wal_bytes = static_cast<uint64_t>(options.max_wal_mb) * kMiB;
  return db;
}

class OkrServerImpl final : public OkrServer {
 public:
  ~OkrServerImpl() override {
    Shutdown();
    server_.reset();
    http_.reset();
    timer_.reset();
    services_.reset();
    redlines_.reset();
    plugin_host_.reset();
    state_.reset();
    tokens_.reset();
    db_.reset();  // flushes and closes RocksDB last
  }

  absl::Status Init(const ServerOptions& options) {
    auto clock = MakeClock(options);  // before the database: a bad zone leaves nothing behind
    if (!clock.ok()) return clock.status();
    // The certificate, checked before the database opens: a bad one leaves nothing behind.
    if (!options.tls_cert.empty() || !options.tls_key.empty()) {
      if (options.tls_cert.empty() || options.tls_key.empty()) {
        return absl::InvalidArgumentError("--tls-cert and --tls-key go together");
      }
      auto tls = ServingTls::Load(options.tls_cert, options.tls_key);
      if (!tls.ok()) return tls.status();
      tls_ = *std::move(tls);
    }
    // The data folder holds every token hash: okrd's user only (the umask set by okrd main
    // makes RocksDB's files 0600; this covers a folder that existed before).
    if (absl::Status s = MakePrivateFolder(options.data_dir); !s.ok()) return s;
    if (!options.backup_dir.empty()) {
      if (absl::Status s = MakePrivateFolder(options.backup_dir); !s.ok()) return s;
    }
    auto db_options = StoreSizes(options);
    if (!db_options.ok()) return db_options.status();
    db_options->rocksdb_log = [](std::string_view level, std::string_view line) {
      Log(level == "warn" ? LogLevel::kWarn : LogLevel::kError, "rocksdb", {{"message", line}});
    };
    auto db = store::Db::Open(DatabaseDir(options.data_dir), *db_options);
    if (!db.ok()) return db.status();
    db_ = *std::move(db);
    tokens_ = std::make_unique<TokenRegistry>(db_.get());
    if (options.worker_threads < 1 || options.import_threads < 1) {
      return absl::InvalidArgumentError("--threads and --import-threads must be at least 1");
    }
    pool_ = std::make_unique<boost::asio::thread_pool>(options.worker_threads);
    import_pool_ = std::make_unique<boost::asio::thread_pool>(options.import_threads);
    state_ = std::make_unique<ServerState>(db_.get(), tokens_.get(), pool_.get(), *clock);
    state_->set_import_pool(import_pool_.get());
    state_->set_test_ingest_delay(std::chrono::milliseconds(options.test_ingest_delay_ms));
    state_->set_folders(options.plugin_dir, options.backup_dir);
    if (absl::Status s = state_->Load(); !s.ok()) return RefuseDamaged(s, options.data_dir);
    state_->rollups().set_test_checkpoint_delay(
        std::chrono::milliseconds(options.test_checkpoint_delay_ms));
    checkpointer_ = std::make_unique<RollupCheckpointer>(
        &state_->rollups(), std::chrono::milliseconds(options.rollup_checkpoint_ms));
    // The tokens after the state: a first start's admin token is a command of its log.
    if (absl::Status s = tokens_->Load(AdminTokenFile(options.data_dir),
                                       [this](const TokenRegistry::Issued& admin) {
                                         return StoreFirstAdminToken(*state_, admin);
                                       });
        !s.ok()) {
      return RefuseDamaged(s, options.data_dir);
    }
    if (absl::Status s = IndexAlerts(*state_); !s.ok()) return s;
    // A database written before the list indexes has entries without their keys: they get
    // them here, once (each index records that it is complete), before any read is served.
    if (absl::Status s = BuildHistoryIndex(*db_); !s.ok()) return s;
    if (absl::Status s = BuildAlertIndex(*db_); !s.ok()) return s;
    // Plugins evaluate on their own pool: a handler waiting for an evaluation must never
    // wait for a thread of its own pool.
    plugin_pool_ = std::make_unique<boost::asio::thread_pool>(options.plugin_threads);
    plugin_host_ = std::make_unique<plugins::PluginHost>(*plugin_pool_);
    state_->set_plugin_host(plugin_host_.get());
    options_ = options;
    LoadPluginDirectory();
    redlines_ = std::make_unique<RedlineQueue>(*state_);
    state_->set_on_actuals_committed(
        [queue = redlines_.get()](std::vector<std::string> agents, std::vector<Date> days) {
          queue->Add(agents, days);
        });
    if (options.demo) {
      if (absl::Status s = LoadDemo(*state_); !s.ok()) return s;
    }
    services_ = std::make_unique<ServiceSet>(*state_);

    grpc::EnableDefaultHealthCheckService(true);
    grpc::reflection::InitProtoReflectionServerBuilderPlugin();
    grpc::ServerBuilder builder;
    std::shared_ptr<grpc::ServerCredentials> credentials =
        tls_ ? tls_->grpc_credentials() : grpc::InsecureServerCredentials();
    builder.AddListeningPort(options.listen, credentials, &port_);
    // A second okrd on the same port must fail, not silently share it.
    builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
    builder.SetMaxReceiveMessageSize(kMaxMessageBytes);
    builder.SetMaxSendMessageSize(kMaxMessageBytes);
    services_->RegisterAll(builder);
    AddVersionHeader(builder);
    server_ = builder.BuildAndStart();
    if (server_ == nullptr || port_ == 0) {
      return absl::UnavailableError("cannot listen on " + options.listen);
    }
    // The health service follows readiness: SERVING until shutdown starts or writes are
    // refused (services/core/health.h).
    state_->readiness().Watch([health = server_->GetHealthCheckService()](const HealthState& now) {
      health->SetServingStatus(now.serving);
    });
    RegisterCollectors();
    // On a strand: the timer's handler and Shutdown's cancel never touch it at once.
    timer_ = std::make_unique<boost::asio::steady_timer>(boost::asio::make_strand(*pool_));
    ScheduleAlertCheck();
    if (!options.http_listen.empty()) {
      SessionLimits sessions;
      sessions.idle_seconds = options.session_idle_seconds;
      sessions.absolute_seconds = options.session_max_seconds;
      if (sessions.idle_seconds <= 0 || sessions.absolute_seconds <= 0) {
        return absl::InvalidArgumentError(
            "--session-idle-seconds and --session-max-seconds must be positive");
      }
      auto http =
          HttpServer::Start(*state_, options.http_listen, tls_ ? tls_->initial().cert_pem : "",
                            tls_ ? tls_->initial().key_pem : "", sessions);
      if (!http.ok()) return http.status();
      http_ = *std::move(http);
    }
    return absl::OkStatus();
  }

  int port() const override { return port_; }

  void LoadPluginDirectory() {
    if (options_.plugin_dir.empty()) return;
    auto results = plugin_host_->LoadDirectory(options_.plugin_dir);
    if (!results.ok()) {
      Log(LogLevel::kError, "plugin.folder_unreadable",
          {{"folder", options_.plugin_dir}, {"error", Sv(results.status().message())}});
      return;
    }
    for (const auto& r : *results) {
      if (r.status.ok()) {
        Log(LogLevel::kInfo, "plugin.loaded", {{"plugin", r.name}, {"path", r.path}});
      } else if (!r.status.message().empty() &&
                 std::string(r.status.message()).find("already loaded") == std::string::npos) {
        Log(LogLevel::kWarn, "plugin.refused",
            {{"path", r.path}, {"error", Sv(r.status.message())}});
      }
    }
  }

  void ReloadPlugins() override {
    for (const auto& info : plugin_host_->List()) {
      auto reloaded = plugin_host_->Reload(info.name);
      if (reloaded.ok()) {
        Log(LogLevel::kInfo, "plugin.reloaded", {{"plugin", info.name}});
      } else {
        Log(LogLevel::kWarn, "plugin.reload_failed",
            {{"plugin", info.name}, {"error", Sv(reloaded.status().message())}});
      }
    }
    LoadPluginDirectory();
  }

  void ReloadTls() override {
    if (tls_) tls_->Reload(http_.get());
  }

  // Escalations every alert_check_seconds; a full red-line evaluation every
  // redline_interval_seconds. Runs on the worker pool; stops with it. Each task is guarded on
  // its own, so one that throws is reported and the checks go on.
  void ScheduleAlertCheck() {
    timer_->expires_after(std::chrono::seconds(std::max(1, options_.alert_check_seconds)));
    timer_->async_wait(Guarded("alert check", [this](const boost::system::error_code& error) {
      if (error || stopped_) return;
      RunGuarded("alert escalation", [this] {
        EscalateAlerts(*state_, options_.alert_ack_timeout_seconds).IgnoreError();
      });
      const auto now = std::chrono::steady_clock::now();
      if (now - last_redline_run_ >= std::chrono::seconds(options_.redline_interval_seconds)) {
        last_redline_run_ = now;
        RunGuarded("red-line evaluation", [this] {
          EvaluateRedlines(*state_, {}, {state_->clock().Today()}).IgnoreError();
        });
      }
      ScheduleAlertCheck();
    }));
  }
  int http_port() const override { return http_ ? http_->port() : 0; }

  // Figures computed at scrape time. The collectors outlive nothing: okrd registers them
  // once per process, and they read through `this`, which lives until exit.
  void RegisterCollectors() {
    const auto started = std::chrono::steady_clock::now();
    store::Db* db = db_.get();
    ServerState* state = state_.get();
    plugins::PluginHost* host = plugin_host_.get();
    AddStoreHealthCollector(Metrics::Global(), db);
    Metrics::Global().AddCollector([state, host](Metrics& m) {
      int disabled = 0;
      if (host != nullptr) {
        for (const plugins::PluginInfo& info : host->List()) disabled += info.enabled ? 0 : 1;
      }
      m.Set("okr_plugins_disabled", {}, disabled);
      // Commands whose roll-up deltas wait for a checkpoint: grows only while checkpoints fail.
      m.Set("okr_rollups_pending_commands", {},
            static_cast<double>(state->rollups().pending_segments()));
      if (auto open = OpenAlertsBySeverity(*state); open.ok()) {
        for (const auto& [severity, count] : *open) {
          m.Set("okr_alerts_open", {{"severity", severity}}, count);
        }
      }
    });
    Metrics::Global().AddCollector([db, started](Metrics& m) {
      m.Set("okr_uptime_seconds", {},
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
      CollectBuildInfo(m);
      CollectProcessMetrics(m);
      CollectStoreMetrics(*db, m);
    });
    // Timestamps of work that has not happened yet read 0, so an alert on their age fires
    // rather than finding no series.
    Metrics::Global().Set("okr_actuals_last_ingest_timestamp_seconds", {}, 0);
    Metrics::Global().Set("okr_backup_last_success_timestamp_seconds", {}, 0);
  }
  void Wait() override {
    if (server_) server_->Wait();
  }

  void Shutdown() override {
    std::lock_guard<std::mutex> lock(shutdown_mu_);
    if (server_ == nullptr || stopped_) return;
    stopped_ = true;
    // NOT_SERVING first, while okrd still answers, so load balancers move clients away.
    state_->readiness().BeginShutdown();
    std::this_thread::sleep_for(std::chrono::seconds(std::max(0, options_.shutdown_drain_seconds)));
    state_->readiness().StopWatching();
    // Watches never end by themselves: end them now with a status that says why, rather than
    // have gRPC cancel them when the deadline below runs out.
    state_->watches().EndAll(
        absl::UnavailableError("okrd is shutting down; reconnect when it is back"));
    // In-flight calls get a few seconds to finish; their work runs on the pool, which is
    // joined before the database closes (in the destructor).
    server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(5));
    if (http_) http_->Stop();
    if (timer_) {
      PostGuarded(timer_->get_executor(), "alert check stop", [this] { timer_->cancel(); });
    }
    import_pool_->join();
    pool_->join();
    plugin_pool_->join();
    if (checkpointer_)
      checkpointer_->Stop();  // no command runs any more: the last checkpoint empties the journal
  }

  // gRPC's default is 4 MiB; bulk imports stream in chunks well below this.
  static constexpr int kMaxMessageBytes = 16 << 20;

 private:
  std::unique_ptr<store::Db> db_;
  std::unique_ptr<TokenRegistry> tokens_;
  std::unique_ptr<boost::asio::thread_pool> pool_;
  std::unique_ptr<boost::asio::thread_pool> import_pool_;
  std::unique_ptr<ServerState> state_;
  std::unique_ptr<RollupCheckpointer> checkpointer_;  // after state_: stops before it goes
  std::unique_ptr<ServiceSet> services_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<HttpServer> http_;
  std::unique_ptr<boost::asio::thread_pool> plugin_pool_;
  std::unique_ptr<plugins::PluginHost> plugin_host_;
  std::unique_ptr<boost::asio::steady_timer> timer_;
  std::unique_ptr<RedlineQueue> redlines_;
  std::chrono::steady_clock::time_point last_redline_run_ = std::chrono::steady_clock::now();
  ServerOptions options_;
  // Outlives server_ (reset first in the destructor): gRPC calls it at each handshake.
  std::unique_ptr<ServingTls> tls_;
  std::mutex shutdown_mu_;
  int port_ = 0;
  // Set by Shutdown (under shutdown_mu_), read by the timer's handler on the pool.
  std::atomic<bool> stopped_{false};
};

}  // namespace

absl::StatusOr<std::unique_ptr<OkrServer>> OkrServer::Start(const ServerOptions& options) {
  auto server = std::make_unique<OkrServerImpl>();
  if (absl::Status s = server->Init(options); !s.ok()) return s;
  return server;
}

}  // namespace okr
