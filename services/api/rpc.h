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
#include "services/core/log.h"
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

// Every finished call, unary or streaming, passes here once: it is counted in /metrics
// (okr_grpc_requests_total by service, method and code; okr_grpc_request_duration_seconds)
// and written to the request log as one line
//   grpc.request service=okr.v1.OrgService method=GetUnit code=NOT_FOUND duration_ms=0.412
//       caller=lead:t3f2a9c01b7e@g1 peer=ipv4:10.0.0.7:51234 error="no unit 'x'"
// at RequestLogLevel(code). `caller` is null when the call was not authenticated ("-").
void RecordCall(std::string_view method, const absl::Status& status,
                std::chrono::steady_clock::time_point started, std::string_view peer,
                const Caller* caller);

// The request log's level for a call that ended with `code`: debug for OK (the full log with
// okrd --log-level debug) and for UNAUTHENTICATED (auth.failed reports those, rate-limited
// per peer, at warn); error for the server's own faults (INTERNAL, UNKNOWN, DATA_LOSS); info
// for every other refusal.
LogLevel RequestLogLevel(absl::StatusCode code);

// Exports okr_grpc_requests_total{code="OK"} and the latency histogram at 0 for every RPC
// of the access table (which a test holds to every method of the API), so that a rate and
// an error ratio are defined before a method's first call.
void ExportCallSeries();

// Runs fn(caller, request, response) -> absl::Status for a unary RPC.
template <typename Request, typename Response, typename Handler>
grpc::ServerUnaryReactor* ServeUnary(ServerState& state, grpc::CallbackServerContext* ctx,
                                     std::string_view method, const Request* request,
                                     Response* response, Handler handler) {
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  const auto started = std::chrono::steady_clock::now();
  absl::StatusOr<Caller> caller = Authorize(state, ctx, method, RequestTarget(*request));
  if (!caller.ok()) {
    RecordCall(method, caller.status(), started, ctx->peer(), nullptr);
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
                RecordCall(method, status, started, ctx->peer(), &caller);
                reactor->Finish(ToGrpc(status));
              });
  return reactor;
}

}  // namespace okr

#endif  // OKR_SERVICES_API_RPC_H_
