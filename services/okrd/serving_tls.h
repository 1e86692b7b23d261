// The certificate okrd serves on gRPC and HTTPS, from start to SIGHUP reloads.
//
// At start the pair is checked (tls_files.h) before anything listens: a bad one stops okrd
// with its cause. What is served is logged (tls.certificate_loaded: subject, serial,
// notAfter), a certificate within kTlsExpiryWarningDays of its notAfter is warned about
// (tls.certificate_expires_soon), and okr_tls_certificate_expiry_timestamp_seconds holds its
// notAfter. On SIGHUP the files are read and checked again: a good pair is served to every
// new connection on both listeners (open ones keep theirs), logged and counted the same way;
// a bad one is logged (tls.reload_failed, with the cause) and the old pair stays.
#ifndef OKR_SERVICES_OKRD_SERVING_TLS_H_
#define OKR_SERVICES_OKRD_SERVING_TLS_H_

#include <grpcpp/security/server_credentials.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "services/core/tls_files.h"
#include "services/okrd/tls_credentials.h"

namespace okr {

class HttpServer;

class ServingTls {
 public:
  // Reads and checks --tls-cert and --tls-key; reports what is served.
  static absl::StatusOr<std::unique_ptr<ServingTls>> Load(const std::string& cert_path,
                                                          const std::string& key_path);

  // The gRPC listener's credentials (they call back into this object: it outlives the server).
  std::shared_ptr<grpc::ServerCredentials> grpc_credentials() { return grpc_.credentials(); }
  // The pair served at start, for the HTTP side.
  const TlsIdentity& initial() const { return initial_; }

  // Rereads and checks the files; a good pair replaces the served one on gRPC and on `http`
  // (null: no HTTP side), a bad one is logged and changes nothing. Called on SIGHUP only.
  void Reload(HttpServer* http);

 private:
  ServingTls(std::string cert_path, std::string key_path, TlsIdentity identity);
  void Report(const TlsIdentity& identity, int64_t now) const;

  const std::string cert_path_;
  const std::string key_path_;
  const TlsIdentity initial_;
  TlsIdentity serving_;  // touched by Load and Reload only (the signal thread)
  ReloadableTlsCredentials grpc_;
};

}  // namespace okr

#endif  // OKR_SERVICES_OKRD_SERVING_TLS_H_
