#include "services/api/actuals_service.h"

#include <algorithm>
#include <charconv>

#include "services/api/convert.h"
#include "services/api/csv_upload_reactor.h"
#include "services/api/grpc_handoff.h"
#include "services/api/rpc.h"
#include "services/api/stream_call.h"
#include "services/core/actuals_ops.h"
#include "services/core/pool_jobs.h"

namespace okr {
namespace {

// A number as the shortest text that reads back to it, for the one validation path.
std::string NumberText(double value) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  return ec == std::errc() ? std::string(buf, end) : "nan";
}

std::vector<ActualRow> RowsOf(const v1::IngestRequest& request) {
  std::vector<ActualRow> rows;
  rows.reserve(request.events_size());
  int index = 0;
  for (const v1::ActualEvent& e : request.events()) {
    ActualRow row;
    row.line = ++index;
    row.event_id = e.event_id();
    row.unit_id = e.unit_id();
    row.metric = e.metric_id();
    row.date = e.date();
    row.value = NumberText(e.value());
    if (e.denominator() != 0) row.denominator = NumberText(e.denominator());
    rows.push_back(std::move(row));
  }
  return rows;
}

void ToProto(const IngestResult& result, v1::IngestReply* out) {
  out->set_accepted(result.accepted);
  out->set_duplicates(result.duplicates);
  out->set_corrected(result.corrected);
  out->set_rejected(result.rejected);
  for (const std::string& error : result.errors) *out->add_errors() = ToRowError(error);
  for (const std::string& warning : result.warnings) out->add_warnings(warning);
}

absl::Status IngestRequest(ServerState& state, const v1::IngestRequest& request,
                           v1::IngestReply* out) {
  IngestResult result;
  absl::Status status = IngestRows(state, RowsOf(request), request.skip_invalid(), &result);
  if (status.ok()) ToProto(result, out);
  return status;
}

v1::ActualEvent ToProto(const ActualEvent& event) {
  v1::ActualEvent out;
  out.set_event_id(event.event_id);
  out.set_unit_id(event.unit_id);
  out.set_metric_id(event.metric_id);
  out.set_date(event.date.ToString());
  out.set_value(static_cast<double>(event.value_micros) / kMicrosPerUnit);
  out.set_denominator(static_cast<double>(event.denominator_micros) / kMicrosPerUnit);
  return out;
}

constexpr std::string_view kIngestStream = "/okr.v1.ActualsService/IngestStream";

// Many batches on one stream: read one, make it durable, acknowledge it, read the next.
class IngestStreamReactor final
    : public grpc::ServerBidiReactor<v1::IngestRequest, v1::IngestReply> {
 public:
  IngestStreamReactor(ServerState& state, grpc::CallbackServerContext* ctx)
      : state_(state), call_(ctx, kIngestStream) {
    absl::StatusOr<Caller> caller = Authorize(state, ctx, kIngestStream, "");
    if (!caller.ok()) {
      End(ToGrpc(caller.status()));
      return;
    }
    caller_ = *caller;
    call_.set_caller(*caller);
    HandToGrpc(this);
    StartRead(&request_);
  }

  void OnReadDone(bool ok) override {
    TakeFromGrpc(this);
    if (!ok) {
      End(grpc::Status::OK);
      return;
    }
    PostGuarded(state_.import_pool(), kIngestStream, [this] {
      reply_.Clear();
      const absl::Status status = StatusOfCall([this] {
        // Checked before every batch: a revoked token's stream ends at its next batch.
        absl::Status active = state_.tokens().CheckActive(caller_.token_id);
        return active.ok() ? IngestRequest(state_, request_, &reply_) : active;
      });
      if (!status.ok()) {
        End(ToGrpc(status));
        return;
      }
      HandToGrpc(this);
      StartWrite(&reply_);
    });
  }

  void OnWriteDone(bool ok) override {
    TakeFromGrpc(this);
    if (!ok) {
      End(grpc::Status(grpc::StatusCode::UNAVAILABLE, "the client went away"));
      return;
    }
    StartRead(&request_);
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
  Caller caller_;
  v1::IngestRequest request_;
  v1::IngestReply reply_;
  StreamCall call_;
};

}  // namespace

grpc::ServerUnaryReactor* ActualsServiceImpl::Ingest(grpc::CallbackServerContext* ctx,
                                                     const v1::IngestRequest* request,
                                                     v1::IngestReply* reply) {
  return ServeUnary(state_, ctx, "/okr.v1.ActualsService/Ingest", request, reply,
                    [this](const Caller&, const v1::IngestRequest& req, v1::IngestReply* out) {
                      return IngestRequest(state_, req, out);
                    });
}

grpc::ServerReadReactor<v1::CsvChunk>* ActualsServiceImpl::ImportCsv(
    grpc::CallbackServerContext* ctx, v1::IngestReply* reply) {
  return new CsvUploadReactor<v1::IngestReply>(
      state_, ctx, "/okr.v1.ActualsService/ImportCsv", reply,
      [this](const Caller&, const CsvUpload& upload, v1::IngestReply* out) {
        // CSV-level rejections count too: IngestRows then still validates every row, so all
        // bad rows are listed, and stores nothing unless skip_invalid.
        IngestResult result;
        std::vector<ActualRow> rows = ParseActualsCsv(upload.text, &result);
        absl::Status status = IngestRows(state_, rows, upload.skip_invalid, &result);
        if (!status.ok()) return status;
        ToProto(result, out);
        // The CSV's own problems and its rows' come from two passes: one list, in line order.
        std::stable_sort(
            out->mutable_errors()->begin(), out->mutable_errors()->end(),
            [](const v1::RowError& a, const v1::RowError& b) { return a.line() < b.line(); });
        return absl::OkStatus();
      });
}

grpc::ServerBidiReactor<v1::IngestRequest, v1::IngestReply>* ActualsServiceImpl::IngestStream(
    grpc::CallbackServerContext* ctx) {
  return new IngestStreamReactor(state_, ctx);
}

grpc::ServerUnaryReactor* ActualsServiceImpl::DeleteEvent(grpc::CallbackServerContext* ctx,
                                                          const v1::DeleteEventRequest* request,
                                                          v1::DeleteEventReply* reply) {
  return ServeUnary(state_, ctx, "/okr.v1.ActualsService/DeleteEvent", request, reply,
                    [this](const Caller& caller, const auto& req, auto* out) {
                      if (req.event_id().empty()) {
                        return absl::InvalidArgumentError("event_id is required");
                      }
                      auto deleted = okr::DeleteEvent(state_, caller, req.event_id(), req.reason());
                      if (!deleted.ok()) return deleted.status();
                      *out->mutable_event() = ToProto(*deleted);
                      return absl::OkStatus();
                    });
}

}  // namespace okr
