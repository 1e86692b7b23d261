#include "services/okrd/tls_credentials.h"

#include <grpc/grpc.h>

#include <utility>

namespace okr {
namespace {

// grpc::ServerCredentials over C core credentials: grpc::Server binds a listening port by
// calling AddPortToServer, and that is all it asks of credentials.
class CoreServerCredentials final : public grpc::ServerCredentials {
 public:
  // Made here, after ServerCredentials' constructor has initialised gRPC.
  CoreServerCredentials(grpc_ssl_server_certificate_config_callback fetch, void* user_data)
      : credentials_(grpc_ssl_server_credentials_create_with_options(
            grpc_ssl_server_credentials_create_options_using_config_fetcher(
                GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE, fetch, user_data))) {}
  ~CoreServerCredentials() override { grpc_server_credentials_release(credentials_); }

  // okrd authenticates calls by bearer token in its interceptors, not here.
  void SetAuthMetadataProcessor(const std::shared_ptr<grpc::AuthMetadataProcessor>&) override {}

 private:
  int AddPortToServer(const std::string& addr, grpc_server* server) override {
    return grpc_server_add_http2_port(server, addr.c_str(), credentials_);
  }

  grpc_server_credentials* credentials_;
};

}  // namespace

ReloadableTlsCredentials::ReloadableTlsCredentials(std::string cert_pem, std::string key_pem)
    : pair_{std::move(cert_pem), std::move(key_pem)},
      credentials_(std::make_shared<CoreServerCredentials>(&Fetch, this)) {}

std::shared_ptr<grpc::ServerCredentials> ReloadableTlsCredentials::credentials() {
  return credentials_;
}

void ReloadableTlsCredentials::Replace(std::string cert_pem, std::string key_pem) {
  std::lock_guard<std::mutex> lock(mu_);
  pair_ = {std::move(cert_pem), std::move(key_pem)};
  ++generation_;
}

grpc_ssl_certificate_config_reload_status ReloadableTlsCredentials::Fetch(
    void* self, grpc_ssl_server_certificate_config** config) {
  auto* credentials = static_cast<ReloadableTlsCredentials*>(self);
  std::lock_guard<std::mutex> lock(credentials->mu_);
  if (credentials->handed_over_ == credentials->generation_) {
    return GRPC_SSL_CERTIFICATE_CONFIG_RELOAD_UNCHANGED;
  }
  const grpc_ssl_pem_key_cert_pair pair = {credentials->pair_.key_pem.c_str(),
                                           credentials->pair_.cert_pem.c_str()};
  // okrd does not ask clients for certificates, so the client roots are never used; gRPC
  // asserts they are not null (in builds without NDEBUG) and refuses an empty set, so they
  // are the server's own chain. gRPC copies the strings and owns the config.
  *config =
      grpc_ssl_server_certificate_config_create(credentials->pair_.cert_pem.c_str(), &pair, 1);
  credentials->handed_over_ = credentials->generation_;
  return GRPC_SSL_CERTIFICATE_CONFIG_RELOAD_NEW;
}

}  // namespace okr
