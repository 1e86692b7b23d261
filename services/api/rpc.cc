#include "services/api/rpc.h"

#include "services/api/convert.h"
#include "services/core/auth_failure_log.h"
#include "services/core/store_access_resolver.h"

namespace okr {

grpc::Status ToGrpc(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  // absl and gRPC share the canonical code numbering.
  return grpc::Status(
      static_cast<grpc::StatusCode>(status.code()),
      SafeMessage(std::string_view(status.message().data(), status.message().size())));
}

AccessTarget RequestTarget(const google::protobuf::Message& request) {
  using google::protobuf::FieldDescriptor;
  const google::protobuf::Descriptor* descriptor = request.GetDescriptor();
  const google::protobuf::Reflection* reflection = request.GetReflection();
  auto field = [&](const char* name, FieldDescriptor::Type type) -> const FieldDescriptor* {
    const FieldDescriptor* f = descriptor->FindFieldByName(name);
    return f != nullptr && f->type() == type && !f->is_repeated() ? f : nullptr;
  };
  AccessTarget target;
  for (const char* name : {"unit_id", "to_unit_id"}) {
    if (const FieldDescriptor* f = field(name, FieldDescriptor::TYPE_STRING)) {
      target.unit_id = reflection->GetString(request, f);
      break;
    }
  }
  if (const FieldDescriptor* f = field("proposal_id", FieldDescriptor::TYPE_INT64)) {
    target.proposal_id = reflection->GetInt64(request, f);
  }
  if (const FieldDescriptor* f = field("alert_id", FieldDescriptor::TYPE_STRING)) {
    target.alert_id = reflection->GetString(request, f);
  }
  return target;
}

absl::StatusOr<Caller> Authorize(ServerState& state, const grpc::CallbackServerContext* ctx,
                                 std::string_view method, const AccessTarget& target) {
  std::string_view header;
  const auto& metadata = ctx->client_metadata();
  auto it = metadata.find("authorization");
  if (it != metadata.end()) header = std::string_view(it->second.data(), it->second.size());
  absl::StatusOr<Caller> caller = state.tokens().Authenticate(header);
  if (!caller.ok()) {
    const absl::Status& failed = caller.status();
    LogAuthFailure(ctx->peer(), method,
                   std::string_view(failed.message().data(), failed.message().size()));
    return failed;
  }
  const StoreAccessResolver resolver(state);
  absl::Status allowed = CheckAccess(method, *caller, target, *state.org(), &resolver);
  if (!allowed.ok()) return allowed;
  return caller;
}

absl::StatusOr<Caller> Authorize(ServerState& state, const grpc::CallbackServerContext* ctx,
                                 std::string_view method, std::string_view unit_id) {
  AccessTarget target;
  target.unit_id = std::string(unit_id);
  return Authorize(state, ctx, method, target);
}

namespace {

// "/okr.v1.OrgService/GetUnit" -> the metrics' service and method labels.
std::string_view ServiceOf(std::string_view method) {
  return method.substr(1, method.rfind('/') - 1);
}
std::string_view MethodOf(std::string_view method) { return method.substr(method.rfind('/') + 1); }

}  // namespace

void RecordCall(std::string_view method, const absl::Status& status,
                std::chrono::steady_clock::time_point started, std::string_view peer,
                const Caller* caller) {
  const auto elapsed = std::chrono::steady_clock::now() - started;
  const double seconds = std::chrono::duration<double>(elapsed).count();
  const std::string name(MethodOf(method));
  const std::string service(ServiceOf(method));
  const std::string code = absl::StatusCodeToString(status.code());
  Metrics& metrics = Metrics::Global();
  metrics.Add("okr_grpc_requests_total", {{"service", service}, {"method", name}, {"code", code}});
  metrics.Observe("okr_grpc_request_duration_seconds", {{"service", service}, {"method", name}},
                  seconds);
  const LogLevel level = RequestLogLevel(status.code());
  if (!LogEnabled(level)) return;
  // Microseconds are enough, and read better than a double's 17 digits.
  const double ms =
      static_cast<double>(std::chrono::duration_cast<std::chrono::microseconds>(elapsed).count()) /
      1000;
  const std::string who = caller != nullptr ? caller->Actor() : "-";
  std::vector<LogField> fields = {{"service", service}, {"method", name}, {"code", code},
                                  {"duration_ms", ms},  {"caller", who},  {"peer", peer}};
  if (!status.ok()) {
    fields.emplace_back("error",
                        std::string_view(status.message().data(), status.message().size()));
  }
  Log(level, "grpc.request", fields);
}

LogLevel RequestLogLevel(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kOk:
    case absl::StatusCode::kUnauthenticated:
      return LogLevel::kDebug;
    case absl::StatusCode::kInternal:
    case absl::StatusCode::kUnknown:
    case absl::StatusCode::kDataLoss:
      return LogLevel::kError;
    default:
      return LogLevel::kInfo;
  }
}

void ExportCallSeries() {
  Metrics& metrics = Metrics::Global();
  for (const auto& entry : AccessTable()) {
    const std::string service(ServiceOf(entry.first));
    const std::string name(MethodOf(entry.first));
    metrics.Declare("okr_grpc_requests_total",
                    {{"service", service}, {"method", name}, {"code", "OK"}});
    metrics.Declare("okr_grpc_request_duration_seconds", {{"service", service}, {"method", name}});
  }
}

}  // namespace okr
