#include "services/api/stream_call.h"

#include "services/api/rpc.h"

namespace okr {

StreamCall::StreamCall(grpc::CallbackServerContext* ctx, std::string_view method)
    : ctx_(ctx), method_(method), peer_(ctx->peer()), started_(std::chrono::steady_clock::now()) {}

grpc::Status StreamCall::Ends(grpc::Status status) {
  if (recorded_) return status;
  recorded_ = true;
  // absl and gRPC share the canonical code numbering.
  absl::Status ended(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
  if (ctx_->IsCancelled()) ended = absl::CancelledError("the client cancelled the call");
  RecordCall(method_, ended, started_, peer_, caller_ ? &*caller_ : nullptr);
  return status;
}

}  // namespace okr
