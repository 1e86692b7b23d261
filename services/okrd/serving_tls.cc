#include "services/okrd/serving_tls.h"

#include <chrono>
#include <utility>

#include "services/core/log.h"
#include "services/core/metrics.h"
#include "services/domain/calendar.h"
#include "services/http/http_server.h"

namespace okr {
namespace {

int64_t UnixNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

absl::StatusOr<std::unique_ptr<ServingTls>> ServingTls::Load(const std::string& cert_path,
                                                             const std::string& key_path) {
  const int64_t now = UnixNow();
  absl::StatusOr<TlsIdentity> identity = LoadTlsIdentity(cert_path, key_path, now);
  if (!identity.ok()) return identity.status();
  std::unique_ptr<ServingTls> tls(new ServingTls(cert_path, key_path, *std::move(identity)));
  tls->Report(tls->serving_, now);
  return tls;
}

ServingTls::ServingTls(std::string cert_path, std::string key_path, TlsIdentity identity)
    : cert_path_(std::move(cert_path)),
      key_path_(std::move(key_path)),
      initial_(identity),
      serving_(identity),
      grpc_(identity.cert_pem, identity.key_pem) {}

void ServingTls::Reload(HttpServer* http) {
  const int64_t now = UnixNow();
  absl::StatusOr<TlsIdentity> identity = LoadTlsIdentity(cert_path_, key_path_, now);
  absl::Status applied = identity.status();
  // HTTPS first: it is the side that can still refuse the pair (OpenSSL's context), and then
  // gRPC has not switched either.
  if (applied.ok() && http != nullptr) {
    applied = http->ReplaceTlsCertificate(identity->cert_pem, identity->key_pem);
  }
  if (!applied.ok()) {
    Log(LogLevel::kError, "tls.reload_failed",
        {{"reason", std::string(applied.message())},
         {"serving_serial", serving_.serial},
         {"serving_not_after", FormatTime(serving_.not_after)}});
    return;
  }
  grpc_.Replace(identity->cert_pem, identity->key_pem);
  serving_ = *std::move(identity);
  Report(serving_, now);
}

void ServingTls::Report(const TlsIdentity& identity, int64_t now) const {
  Metrics::Global().Set("okr_tls_certificate_expiry_timestamp_seconds", {},
                        static_cast<double>(identity.not_after));
  Log(LogLevel::kInfo, "tls.certificate_loaded",
      {{"cert", cert_path_},
       {"subject", identity.subject},
       {"serial", identity.serial},
       {"not_after", FormatTime(identity.not_after)}});
  const int64_t left = identity.not_after - now;
  if (left < kTlsExpiryWarningDays * 86400) {
    Log(LogLevel::kWarn, "tls.certificate_expires_soon",
        {{"cert", cert_path_},
         {"not_after", FormatTime(identity.not_after)},
         {"days_left", left / 86400},
         {"hint", "renew it, then send okrd SIGHUP"}});
  }
}

}  // namespace okr
