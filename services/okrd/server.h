// okrd's composition root: opens the store, loads the caches, starts the worker pool and
// the gRPC server with every service, health checking and reflection.
#ifndef OKR_SERVICES_OKRD_SERVER_H_
#define OKR_SERVICES_OKRD_SERVER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"

namespace okr {

struct ServerOptions {
  std::string listen = "127.0.0.1:50051";
  std::string data_dir = "./okr-data";
  std::string plugin_dir;
  std::string backup_dir;  // where okrctl admin backup may write; "" refuses backups
  // RocksDB's sizes (store::DbOptions), in MiB.
  int block_cache_mb = 256;
  int write_buffer_mb = 64;
  int max_wal_mb = 256;
  std::string tls_cert;
  std::string tls_key;
  std::string http_listen;
  bool demo = false;
  int worker_threads = 4;
  // Threads for imports and ingest streams (ServerState::import_pool): at most this many run
  // at once, the others wait their turn without taking worker threads.
  int import_threads = 2;
  int plugin_threads = 2;
  // Test only: each batch of actuals holds the ingest lock this much longer.
  int test_ingest_delay_ms = 0;
  // How often the roll-ups' pending deltas are checkpointed (services/core/rollup_store.h).
  int rollup_checkpoint_ms = 250;
  // Test only: each roll-up checkpoint sleeps this long before and after its write.
  int test_checkpoint_delay_ms = 0;
  // Red-lines: a full evaluation every redline_interval_seconds (and after each batch of
  // actuals, for the agents it touched); open alerts not acknowledged within
  // alert_ack_timeout_seconds escalate one level, checked every alert_check_seconds.
  int redline_interval_seconds = 3600;
  int alert_ack_timeout_seconds = 86400;
  int alert_check_seconds = 30;
  // Dashboard sessions end this long after their last request, and this long after sign-in.
  int session_idle_seconds = 8 * 3600;
  int session_max_seconds = 24 * 3600;
  // The IANA time zone that decides "today", month ends, kudos months and red-line days;
  // empty: the machine's ($TZ, else /etc/localtime; UTC when neither names one).
  std::string time_zone;
  // Test only: "YYYY-MM-DDTHH:MM:SSZ", the instant okrd's clock reads at start (it runs on
  // from there); empty: the system clock.
  std::string test_clock_start;
  // On SIGTERM/SIGINT okrd reports NOT_SERVING this long, still answering, before it stops
  // taking calls.
  int shutdown_drain_seconds = 0;
};

class OkrServer {
 public:
  static absl::StatusOr<std::unique_ptr<OkrServer>> Start(const ServerOptions& options);
  virtual ~OkrServer() = default;
  // The port actually bound (useful with port 0).
  virtual int port() const = 0;
  virtual int http_port() const = 0;
  // Blocks until Shutdown() is called from another thread.
  virtual void Wait() = 0;
  // Reloads every loaded plugin and loads new files of the plugin folder (SIGHUP).
  virtual void ReloadPlugins() = 0;
  // Rereads and checks --tls-cert/--tls-key; serves a good pair to new connections, keeps the
  // old one on a bad pair (and logs why) (SIGHUP; serving_tls.h). Nothing without TLS.
  virtual void ReloadTls() = 0;
  // Stops accepting calls, lets in-flight calls finish, closes the database.
  virtual void Shutdown() = 0;
};

}  // namespace okr

#endif  // OKR_SERVICES_OKRD_SERVER_H_
