// The one path every RPC takes: authenticate, check the access table, then run the handler
// on the worker pool (never on a gRPC callback thread) and finish the reactor with its
// status. Exceptions stop here: they never cross into gRPC's threads.
#ifndef OKR_SERVICES_API_RPC_H_
#define OKR_SERVICES_API_RPC_H_

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "google/protobuf/message.h"
#include "services/api/request_text.h"
#include "services/core/access_policy.h"
#include "services/core/metrics.h"
#include "services/core/pool_jobs.h"
#include "services/core/server_state.h"

namespace okr {

grpc::Status ToGrpc(const absl::Status& status);

// What a request is about: its `unit_id` (or `to_unit_id`), `proposal_id` and `alert_id`
// fields, found by reflection so that a new RPC is covered by the access check without code
// of its own. The handler only supplies these ids; the access table decides.
AccessTarget RequestTarget(const google::protobuf::Message& request);

// Authenticates the call and applies the access rule of `method` to `target`, looking up the
// proposal or alert it names in the store when the rule needs it.
absl::StatusOr<Caller> Authorize(ServerState& state, const grpc::CallbackServerContext* ctx,
                                 std::string_view method, const AccessTarget& target);
// The same for a request that names at most a unit (streams).
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
  absl::StatusOr<Caller> caller = Authorize(state, ctx, method, RequestTarget(*request));
  if (!caller.ok()) {
    RecordCall(method, caller.status(), started);
    reactor->Finish(ToGrpc(caller.status()));
    return reactor;
  }
  PostGuarded(state.pool(), method,
              [reactor, ctx, request, response, handler, method, started,
               caller = *std::move(caller)]() mutable {
                absl::Status status;
                if (ctx->IsCancelled()) {
                  status = absl::CancelledError("the client cancelled the call");
                } else {
                  status = StatusOfCall([&] {
                    // Every stored string is checked before any handler runs.
                    absl::Status text = CheckRequestText(*request);
                    return text.ok() ? handler(caller, *request, response) : text;
                  });
                }
                RecordCall(method, status, started);
                reactor->Finish(ToGrpc(status));
              });
  return reactor;
}

}  // namespace okr

#endif  // OKR_SERVICES_API_RPC_H_
