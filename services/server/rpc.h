// The one path every RPC takes: authenticate, check the access table, then run the handler
// on the worker pool (never on a gRPC callback thread) and finish the reactor with its
// status. Exceptions stop here: they never cross into gRPC's threads.
#ifndef OKR_SERVICES_SERVER_RPC_H_
#define OKR_SERVICES_SERVER_RPC_H_

#include <grpcpp/grpcpp.h>

#include <boost/asio/post.hpp>
#include <chrono>
#include <exception>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "google/protobuf/message.h"
#include "services/server/access_policy.h"
#include "services/server/metrics.h"
#include "services/server/request_text.h"
#include "services/server/server_state.h"

namespace okr {

grpc::Status ToGrpc(const absl::Status& status);

// The unit a request is about: its `unit_id` field (or `to_unit_id`), found by reflection so
// that a new RPC is covered by the access check without code of its own.
std::string RequestUnit(const google::protobuf::Message& request);

// Authenticates the call and applies the access rule of `method` to `unit_id`.
absl::StatusOr<Caller> Authorize(ServerState& state, const grpc::CallbackServerContext* ctx,
                                 std::string_view method, std::string_view unit_id);

// Counts the call and its latency in /metrics.
void RecordCall(std::string_view method, const absl::Status& status,
                std::chrono::steady_clock::time_point started);

// Runs fn(caller, request, response) -> absl::Status for a unary RPC.
template <typename Request, typename Response, typename Handler>
grpc::ServerUnaryReactor* ServeUnary(ServerState& state, grpc::CallbackServerContext* ctx,
                                     std::string_view method, const Request* request,
                                     Response* response, Handler handler) {
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  const auto started = std::chrono::steady_clock::now();
  absl::StatusOr<Caller> caller = Authorize(state, ctx, method, RequestUnit(*request));
  if (!caller.ok()) {
    RecordCall(method, caller.status(), started);
    reactor->Finish(ToGrpc(caller.status()));
    return reactor;
  }
  boost::asio::post(state.pool(), [reactor, ctx, request, response, handler, method, started,
                                   caller = *std::move(caller)]() mutable {
    absl::Status status;
    if (ctx->IsCancelled()) {
      status = absl::CancelledError("the client cancelled the call");
    } else {
      try {
        status = CheckRequestText(*request);  // every stored string, before any handler
        if (status.ok()) status = handler(caller, *request, response);
      } catch (const std::exception& e) {
        status = absl::InternalError(std::string("internal error: ") + e.what());
      }
    }
    RecordCall(method, status, started);
    reactor->Finish(ToGrpc(status));
  });
  return reactor;
}

// The caller's own unit when a request names none (lead and agent tokens), else the named one.
std::string ScopeUnit(const Caller& caller, std::string_view requested);

}  // namespace okr

#endif  // OKR_SERVICES_SERVER_RPC_H_
