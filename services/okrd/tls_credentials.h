// gRPC server credentials whose certificate can be replaced while okrd serves (SIGHUP).
//
// gRPC 1.51's grpc::SslServerCredentials fix the pair when the server is built, and its
// TlsServerCredentials offer only a static provider or a FileWatcherCertificateProvider that
// rereads the files on its own timer (it would pick up a half-written or wrong file, and
// nothing would log or count it). The C core has the hook we want: SSL server credentials
// with a certificate config fetcher (grpc_ssl_server_credentials_create_options_using_config_
// fetcher in grpc/grpc_security.h), called at every new handshake; it answers "unchanged"
// or "here is a new pair". So okrd checks a new pair itself (tls_files.h) and hands only a
// good one over: the next connection's handshake uses it, connections already open keep
// theirs, a bad file never reaches gRPC.
//
// The C credentials are wrapped in a grpc::ServerCredentials of our own: its only job is
// AddPortToServer (grpc_server_add_http2_port with them), which is what grpc::Server calls.
#ifndef OKR_SERVICES_OKRD_TLS_CREDENTIALS_H_
#define OKR_SERVICES_OKRD_TLS_CREDENTIALS_H_

#include <grpc/grpc_security.h>
#include <grpcpp/security/server_credentials.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

namespace okr {

class ReloadableTlsCredentials {
 public:
  ReloadableTlsCredentials(std::string cert_pem, std::string key_pem);
  ReloadableTlsCredentials(const ReloadableTlsCredentials&) = delete;
  ReloadableTlsCredentials& operator=(const ReloadableTlsCredentials&) = delete;

  // For ServerBuilder::AddListeningPort. gRPC calls back into this object at each handshake:
  // it must outlive the grpc::Server built with them.
  std::shared_ptr<grpc::ServerCredentials> credentials();

  // New connections are served with this pair (already checked: tls_files.h).
  void Replace(std::string cert_pem, std::string key_pem);

 private:
  struct Pair {
    std::string cert_pem;
    std::string key_pem;
  };
  // The fetcher gRPC calls at each handshake (user_data is `this`).
  static grpc_ssl_certificate_config_reload_status Fetch(
      void* self, grpc_ssl_server_certificate_config** config);

  std::mutex mu_;
  Pair pair_;                 // guarded by mu_
  uint64_t generation_ = 1;   // bumped by Replace; guarded by mu_
  uint64_t handed_over_ = 0;  // the generation gRPC has; guarded by mu_
  std::shared_ptr<grpc::ServerCredentials> credentials_;
};

}  // namespace okr

#endif  // OKR_SERVICES_OKRD_TLS_CREDENTIALS_H_
