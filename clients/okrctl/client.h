// The connection okrctl talks over, and how it reports the outcome of a call.
#ifndef OKR_CLIENTS_OKRCTL_CLIENT_H_
#define OKR_CLIENTS_OKRCTL_CLIENT_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "clients/okrctl/contexts.h"

namespace okrctl {

struct GlobalOptions {
  std::string server = kDefaultServer;
  std::string token;
  std::string output = "table";  // table | json
  std::string tls_ca;            // PEM file: connect with TLS and verify against it
  int timeout_seconds = 60;
};

class Client {
 public:
  explicit Client(const GlobalOptions& options);
  const std::shared_ptr<grpc::Channel>& channel() const { return channel_; }
  // A context with the bearer token and the deadline set.
  std::unique_ptr<grpc::ClientContext> NewContext() const;
  bool json() const { return options_.output == "json"; }

 private:
  GlobalOptions options_;
  std::shared_ptr<grpc::Channel> channel_;
};

// The exit code for a failed call: prints "okrctl: CODE_NAME: message" to stderr.
int ReportError(const grpc::Status& status);
int ReportError(const std::string& code_name, const std::string& message);

std::string StatusCodeName(grpc::StatusCode code);

// Prints one JSON document on stdout.
void PrintJson(const nlohmann::json& doc);

// A number for JSON: whole values as integers (count targets), others as they are.
nlohmann::json Number(double value);

}  // namespace okrctl

#endif  // OKR_CLIENTS_OKRCTL_CLIENT_H_
