// Thin helpers for tests that drive a real okrd through the generated C++ stubs (faster
// than spawning okrctl): a channel to an address and a context carrying a bearer token and
// a deadline. Header-only so that tests/integration/*_test.cc can include it too.
#ifndef OKR_TESTS_FAULT_FAULT_CLIENT_H_
#define OKR_TESTS_FAULT_FAULT_CLIENT_H_

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <memory>
#include <string>

#include "okr/v1/access.grpc.pb.h"
#include "okr/v1/actuals.grpc.pb.h"
#include "okr/v1/explain.grpc.pb.h"
#include "okr/v1/metric.grpc.pb.h"
#include "okr/v1/org.grpc.pb.h"
#include "okr/v1/plan.grpc.pb.h"
#include "okr/v1/plugins.grpc.pb.h"
#include "okr/v1/progress.grpc.pb.h"
#include "okr/v1/review.grpc.pb.h"

namespace okr::fault {

// The server's documented limit (services/okrd/server.cc kMaxMessageBytes).
inline constexpr int kServerMaxMessageBytes = 16 << 20;

inline std::shared_ptr<grpc::Channel> Connect(const std::string& address) {
  grpc::ChannelArguments args;
  // The client may send more than the server accepts, so that the server's limit is tested.
  args.SetMaxSendMessageSize(64 << 20);
  args.SetMaxReceiveMessageSize(64 << 20);
  // A fresh connection per channel: a killed server must not leave a shared subchannel.
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  args.SetInt("grpc.initial_reconnect_backoff_ms", 50);
  args.SetInt("grpc.max_reconnect_backoff_ms", 200);
  return grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(), args);
}

inline std::unique_ptr<grpc::ClientContext> Context(
    const std::string& token, std::chrono::milliseconds deadline = std::chrono::seconds(10)) {
  auto ctx = std::make_unique<grpc::ClientContext>();
  if (!token.empty()) ctx->AddMetadata("authorization", "Bearer " + token);
  ctx->set_deadline(std::chrono::system_clock::now() + deadline);
  return ctx;
}

}  // namespace okr::fault

#endif  // OKR_TESTS_FAULT_FAULT_CLIENT_H_
