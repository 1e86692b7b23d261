// okrd: the okr-cascade server.
#include <sys/stat.h>

#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <csignal>
#include <functional>
#include <iostream>
#include <thread>

#include "okr/version.h"
#include "services/core/plugin_folder.h"
#include "services/core/verify.h"
#include "services/okrd/server.h"

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
  app.add_option("--threads", options.worker_threads, "worker threads")->capture_default_str();
  app.add_option("--redline-interval-seconds", options.redline_interval_seconds,
                 "full red-line evaluation period")
      ->capture_default_str();
  app.add_option("--alert-ack-timeout-seconds", options.alert_ack_timeout_seconds,
                 "an open alert not acknowledged this long escalates one level")
      ->capture_default_str();
  app.add_option("--alert-check-seconds", options.alert_check_seconds,
                 "how often escalations are checked")
      ->capture_default_str();
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
  // Test only (hidden): okrd's clock reads this instant at start and runs on from there.
  app.add_option("--test-clock-start", options.test_clock_start,
                 "test only: start the clock at YYYY-MM-DDTHH:MM:SSZ")
      ->group("");
  CLI11_PARSE(app, argc, argv);
  if (!no_plugins && options.plugin_dir.empty()) {
    options.plugin_dir = okr::DefaultPluginFolder(okr::ProgramFolder());
  }
  if (verify) return okr::RunVerify(options.data_dir, std::cout, std::cerr);

  // Block the signals in every thread; the signal_set below receives them.
  boost::asio::io_context signals_context;
  boost::asio::signal_set signals(signals_context, SIGINT, SIGTERM, SIGHUP);

  auto server = okr::OkrServer::Start(options);
  if (!server.ok()) {
    std::cerr << "okrd: " << server.status().message() << "\n";
    return 1;
  }
  std::cerr << "okrd: serving gRPC on " << options.listen << " (port " << (*server)->port()
            << "), data in " << options.data_dir << ", plugins from "
            << (options.plugin_dir.empty() ? "nowhere" : options.plugin_dir) << "\n";
  if (!options.http_listen.empty()) {
    std::cerr << "okrd: dashboard and /metrics on http://" << options.http_listen << "/ (port "
              << (*server)->http_port() << ")\n";
  }

  // SIGHUP reloads the plugins; SIGINT and SIGTERM stop.
  std::function<void(const boost::system::error_code&, int)> on_signal =
      [&](const boost::system::error_code& error, int signal) {
        if (error) return;
        if (signal == SIGHUP) {
          std::cerr << "okrd: SIGHUP, reloading plugins\n";
          (*server)->ReloadPlugins();
          signals.async_wait(on_signal);
          return;
        }
        std::cerr << "okrd: signal " << signal << ", stopping\n";
        (*server)->Shutdown();
      };
  signals.async_wait(on_signal);
  std::thread signal_thread([&] { signals_context.run(); });
  (*server)->Wait();
  signals_context.stop();
  signal_thread.join();
  server->reset();  // closes the database
  std::cerr << "okrd: stopped\n";
  return 0;
}
