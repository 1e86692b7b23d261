// okrd: the okr-cascade server.
#include <grpc/support/log.h>
#include <sys/stat.h>

#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <csignal>
#include <functional>
#include <iostream>
#include <thread>

#include "okr/version.h"
#include "services/core/auth_failure_log.h"
#include "services/core/log.h"
#include "services/core/plugin_folder.h"
#include "services/core/verify.h"
#include "services/okrd/server.h"

namespace {

// A CLI11 check by one of log.h's parsers, so that the choices and the message naming them
// live there only.
template <typename T>
CLI::Validator ParsedBy(absl::Status (*parse)(std::string_view, T*)) {
  return CLI::Validator(
      [parse](std::string& text) {
        T value;
        absl::Status parsed = parse(text, &value);
        return parsed.ok() ? std::string() : std::string(parsed.message());
      },
      "", "");
}

// gRPC's own messages (its verbosity is ERROR unless $GRPC_VERBOSITY says otherwise) as lines
// of okrd's log, so that stderr holds one format only.
void LogGrpcMessage(gpr_log_func_args* args) {
  okr::LogLevel level = okr::LogLevel::kError;
  if (args->severity == GPR_LOG_SEVERITY_DEBUG) level = okr::LogLevel::kDebug;
  if (args->severity == GPR_LOG_SEVERITY_INFO) level = okr::LogLevel::kInfo;
  okr::Log(level, "grpc.internal",
           {{"message", args->message},
            {"source", std::string(args->file) + ":" + std::to_string(args->line)}});
}

}  // namespace

int main(int argc, char** argv) {
  // Before any file exists: the data folder, RocksDB's files, admin.token and backups hold the
  // token hashes, so everything okrd creates is okrd's user's only (folders 0700, files 0600).
  ::umask(077);
  okr::ServerOptions options;
  CLI::App app{"okrd: stores annual targets, cascades them down the org, rolls progress up"};
  app.add_option("--listen", options.listen, "gRPC address HOST:PORT")->capture_default_str();
  app.add_option("--data-dir", options.data_dir, "data folder (RocksDB and admin.token)")
      ->capture_default_str();
  app.set_version_flag("--version", std::string("okrd ") + okr::kVersion);
  // Every flag can also be a key of the file: `listen = "0.0.0.0:50051"` (TOML or INI).
  app.set_config("--config", "", "read flags from this file (key = value; the flags win)");
  app.allow_config_extras(false);  // a misspelt key stops okrd instead of being ignored
  auto* plugin_dir =
      app.add_option("--plugin-dir", options.plugin_dir,
                     "load every plugin in this folder; okrctl plugin load takes only plugins of "
                     "it. Default: the first folder that exists of <exe dir>/plugins and <exe "
                     "dir>/../lib/okr/plugins");
  bool no_plugins = false;
  app.add_flag("--no-plugins", no_plugins, "load no plugins (and no default plugin folder)")
      ->excludes(plugin_dir);
  app.add_option("--backup-dir", options.backup_dir,
                 "okrctl admin backup NAME writes NAME under this folder (without it: no backups)");
  app.add_option("--tls-cert", options.tls_cert, "PEM certificate: serve TLS");
  app.add_option("--tls-key", options.tls_key, "PEM private key for --tls-cert");
  app.add_option("--http-listen", options.http_listen, "HTTP address for /metrics and /");
  app.add_flag("--demo", options.demo,
               "load the demonstration organisation (only into an empty data folder)");
  app.add_option("--block-cache-mb", options.block_cache_mb,
                 "MiB of RocksDB's block cache, shared by all data: what reads keep in memory")
      ->capture_default_str();
  app.add_option("--write-buffer-mb", options.write_buffer_mb,
                 "MiB each RocksDB column family buffers in memory before writing a file")
      ->capture_default_str();
  app.add_option("--max-wal-mb", options.max_wal_mb,
                 "MiB of write-ahead log before RocksDB flushes to shorten it (bounds its disk "
                 "use and the replay after a crash)")
      ->capture_default_str();
  app.add_option("--threads", options.worker_threads,
                 "worker threads: reads, small calls, watches and the HTTP side")
      ->capture_default_str();
  app.add_option("--import-threads", options.import_threads,
                 "threads for imports and ingest streams; more at once wait their turn")
      ->capture_default_str();
  app.add_option("--redline-interval-seconds", options.redline_interval_seconds,
                 "full red-line evaluation period")
      ->capture_default_str();
  app.add_option("--alert-ack-timeout-seconds", options.alert_ack_timeout_seconds,
                 "an open alert not acknowledged this long escalates one level")
      ->capture_default_str();
  app.add_option("--alert-check-seconds", options.alert_check_seconds,
                 "how often escalations are checked")
      ->capture_default_str();
  app.add_option("--rollup-checkpoint-ms", options.rollup_checkpoint_ms,
                 "how often the roll-ups of newly applied actuals are folded into the database "
                 "(until then they are in its journal; a restart reads it back)")
      ->capture_default_str()
      ->check(CLI::Range(10, 60000));
  app.add_option("--shutdown-drain-seconds", options.shutdown_drain_seconds,
                 "on SIGTERM or SIGINT, health reports NOT_SERVING this long (okrd still "
                 "answering) before okrd stops taking calls: for load balancers to move clients")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  bool verify = false;
  app.add_flag("--verify", verify,
               "check the data folder of a stopped okrd (every record, every roll-up against "
               "the events) and exit: 0 when clean, 1 otherwise");
  app.add_option("--session-idle-seconds", options.session_idle_seconds,
                 "a dashboard session ends this long after its last request")
      ->capture_default_str();
  app.add_option("--session-max-seconds", options.session_max_seconds,
                 "a dashboard session ends this long after sign-in, however active")
      ->capture_default_str();
  app.add_option("--time-zone", options.time_zone,
                 "IANA time zone (e.g. Asia/Shanghai) that decides today: progress as of today, "
                 "the end of a month for period close, kudos months, red-line days and the "
                 "refusal of actuals dated after today. Default: the machine's zone ($TZ, else "
                 "/etc/localtime), UTC if none");
  std::string log_level = "info";
  app.add_option("--log-level", log_level,
                 "lowest level written to stderr: debug, info, warn, error, off (debug adds a "
                 "line per successful call)")
      ->check(ParsedBy(okr::ParseLogLevel))
      ->capture_default_str();
  std::string log_format = "text";
  app.add_option("--log-format", log_format,
                 "log line shape: text (key=value) or json (one object per line)")
      ->check(ParsedBy(okr::ParseLogFormat))
      ->capture_default_str();
  int auth_log_interval_seconds = 10;
  app.add_option("--auth-log-interval-seconds", auth_log_interval_seconds,
                 "at most one auth.failed line per client address this often, with the count")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  // Test only (hidden): okrd's clock reads this instant at start and runs on from there.
  app.add_option("--test-clock-start", options.test_clock_start,
                 "test only: start the clock at YYYY-MM-DDTHH:MM:SSZ")
      ->group("");
  app.add_option("--test-ingest-delay-ms", options.test_ingest_delay_ms,
                 "test only: each batch of actuals holds the ingest lock this much longer")
      ->group("");
  app.add_option("--test-checkpoint-delay-ms", options.test_checkpoint_delay_ms,
                 "test only: each roll-up checkpoint sleeps this long before and after its write")
      ->group("");
  CLI11_PARSE(app, argc, argv);
  // Before anything logs.
  okr::LogLevel level = okr::LogLevel::kInfo;
  okr::LogFormat format = okr::LogFormat::kText;
  okr::ParseLogLevel(log_level, &level).IgnoreError();  // checked by CLI11 above
  okr::ParseLogFormat(log_format, &format).IgnoreError();
  okr::ConfigureLog(level, format);
  gpr_set_log_function(LogGrpcMessage);
  okr::SetAuthFailureLogInterval(std::chrono::seconds(auth_log_interval_seconds));
  if (!no_plugins && options.plugin_dir.empty()) {
    options.plugin_dir = okr::DefaultPluginFolder(okr::ProgramFolder());
  }
  if (verify) return okr::RunVerify(options.data_dir, std::cout, std::cerr);

  // Block the signals in every thread; the signal_set below receives them.
  boost::asio::io_context signals_context;
  boost::asio::signal_set signals(signals_context, SIGINT, SIGTERM, SIGHUP);

  auto server = okr::OkrServer::Start(options);
  if (!server.ok()) {
    const absl::Status& failed = server.status();
    okr::Log(okr::LogLevel::kError, "server.start_failed",
             {{"error", std::string_view(failed.message().data(), failed.message().size())}});
    return 1;
  }
  okr::Log(okr::LogLevel::kInfo, "server.started",
           {{"listen", options.listen},
            {"port", (*server)->port()},
            {"data_dir", options.data_dir},
            {"plugin_dir", options.plugin_dir.empty() ? "-" : options.plugin_dir},
            {"version", okr::kVersion}});
  if (!options.http_listen.empty()) {
    okr::Log(okr::LogLevel::kInfo, "http.started",
             {{"listen", options.http_listen}, {"port", (*server)->http_port()}});
  }

  // SIGHUP reloads the plugins and the TLS certificate; SIGINT and SIGTERM stop.
  std::function<void(const boost::system::error_code&, int)> on_signal =
      [&](const boost::system::error_code& error, int signal) {
        if (error) return;
        if (signal == SIGHUP) {
          okr::Log(okr::LogLevel::kInfo, "server.reloading_plugins", {{"signal", "SIGHUP"}});
          (*server)->ReloadPlugins();
          (*server)->ReloadTls();
          signals.async_wait(on_signal);
          return;
        }
        okr::Log(okr::LogLevel::kInfo, "server.stopping",
                 {{"signal", signal == SIGINT ? "SIGINT" : "SIGTERM"}});
        (*server)->Shutdown();
      };
  signals.async_wait(on_signal);
  std::thread signal_thread([&] { signals_context.run(); });
  (*server)->Wait();
  signals_context.stop();
  signal_thread.join();
  server->reset();  // closes the database
  okr::Log(okr::LogLevel::kInfo, "server.stopped");
  return 0;
}
