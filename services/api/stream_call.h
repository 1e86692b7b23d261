// The record of one streaming call (ImportCsv, ImportUnits, IngestStream, Watch, WatchAlerts):
// its reactor keeps one and passes every status it finishes with through Ends(). gRPC needs a
// reactor to call Finish on every path before it is done with the call (refused, failed,
// finished, cancelled), so the first Ends() records the call once, through RecordCall: the
// same okr_grpc_* series and request-log line as a unary call, its duration the whole
// stream's, recorded before the client can see the status (as a unary call's is).
//
// The code recorded is the one the reactor finishes with, or CANCELLED when the client had
// cancelled the call or gone away (a watch ends so; its reactor then finishes with OK, which
// nobody receives).
#ifndef OKR_SERVICES_API_STREAM_CALL_H_
#define OKR_SERVICES_API_STREAM_CALL_H_

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "services/core/tokens.h"

namespace okr {

class StreamCall {
 public:
  // `method` ("/okr.v1.ActualsService/ImportCsv") must outlive the call (a literal).
  StreamCall(grpc::CallbackServerContext* ctx, std::string_view method);

  // The authenticated caller, for the request log (before the first Ends).
  void set_caller(const Caller& caller) { caller_ = caller; }

  // Records the call the first time; returns `status` for Finish(). Callers serialize it
  // with their own Finish (one finish path at a time, or under the reactor's lock).
  grpc::Status Ends(grpc::Status status);

 private:
  grpc::CallbackServerContext* ctx_;
  std::string_view method_;
  std::string peer_;
  std::chrono::steady_clock::time_point started_;
  std::optional<Caller> caller_;
  bool recorded_ = false;
};

}  // namespace okr

#endif  // OKR_SERVICES_API_STREAM_CALL_H_
