// A client-streaming CSV upload: authenticates, gathers the chunks (up to a limit), then
// hands the whole text to a handler on the worker pool.
#ifndef OKR_SERVICES_API_CSV_UPLOAD_REACTOR_H_
#define OKR_SERVICES_API_CSV_UPLOAD_REACTOR_H_

#include <functional>
#include <string>

#include "okr/v1/common.pb.h"
#include "services/api/grpc_handoff.h"
#include "services/api/rpc.h"
#include "services/api/stream_call.h"
#include "services/core/csv_upload.h"
#include "services/core/pool_jobs.h"

namespace okr {

template <typename Response>
class CsvUploadReactor final : public grpc::ServerReadReactor<v1::CsvChunk> {
 public:
  using Handler = std::function<absl::Status(const Caller&, const CsvUpload&, Response*)>;

  CsvUploadReactor(ServerState& state, grpc::CallbackServerContext* ctx, std::string_view method,
                   Response* response, Handler handler)
      : state_(state), response_(response), handler_(std::move(handler)), call_(ctx, method) {
    absl::StatusOr<Caller> caller = Authorize(state, ctx, method, "");
    if (!caller.ok()) {
      End(ToGrpc(caller.status()));
      return;
    }
    caller_ = *std::move(caller);
    call_.set_caller(caller_);
    HandToGrpc(this);
    StartRead(&chunk_);
  }

  void OnReadDone(bool ok) override {
    TakeFromGrpc(this);
    if (ok) {
      if (first_) {
        upload_.skip_invalid = chunk_.skip_invalid();
        upload_.dry_run = chunk_.dry_run();
        first_ = false;
      }
      if (upload_.text.size() + chunk_.data().size() > kMaxUploadBytes) {
        End(grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                         "upload larger than " + std::to_string(kMaxUploadBytes) + " bytes"));
        return;
      }
      upload_.text.append(chunk_.data());
      HandToGrpc(this);
      StartRead(&chunk_);
      return;
    }
    PostGuarded(state_.import_pool(), "csv upload", [this] {
      const absl::Status status = StatusOfCall([this] {
        // The token may have been revoked while the file streamed in.
        absl::Status active = state_.tokens().CheckActive(caller_.token_id);
        return active.ok() ? handler_(caller_, upload_, response_) : active;
      });
      End(ToGrpc(status));
    });
  }

  void OnDone() override {
    TakeFromGrpc(this);
    delete this;
  }

 private:
  void End(grpc::Status status) {
    status = call_.Ends(std::move(status));
    HandToGrpc(this);
    Finish(status);
  }

  ServerState& state_;
  Response* response_;
  Handler handler_;
  Caller caller_;
  v1::CsvChunk chunk_;
  CsvUpload upload_;
  bool first_ = true;
  StreamCall call_;
};

}  // namespace okr

#endif  // OKR_SERVICES_API_CSV_UPLOAD_REACTOR_H_
