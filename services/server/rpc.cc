#include "services/server/rpc.h"

#include "services/server/convert.h"

namespace okr {

grpc::Status ToGrpc(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  // absl and gRPC share the canonical code numbering.
  return grpc::Status(
      static_cast<grpc::StatusCode>(status.code()),
      SafeMessage(std::string_view(status.message().data(), status.message().size())));
}

std::string RequestUnit(const google::protobuf::Message& request) {
  const google::protobuf::Descriptor* descriptor = request.GetDescriptor();
  for (const char* name : {"unit_id", "to_unit_id"}) {
    const google::protobuf::FieldDescriptor* field = descriptor->FindFieldByName(name);
    if (field != nullptr && field->type() == google::protobuf::FieldDescriptor::TYPE_STRING &&
        !field->is_repeated()) {
      return request.GetReflection()->GetString(request, field);
    }
  }
  return "";
}

absl::StatusOr<Caller> Authorize(ServerState& state, const grpc::CallbackServerContext* ctx,
                                 std::string_view method, std::string_view unit_id) {
  std::string_view header;
  const auto& metadata = ctx->client_metadata();
  auto it = metadata.find("authorization");
  if (it != metadata.end()) header = std::string_view(it->second.data(), it->second.size());
  absl::StatusOr<Caller> caller = state.tokens().Authenticate(header);
  if (!caller.ok()) return caller.status();
  absl::Status allowed = CheckAccess(method, *caller, unit_id, *state.org());
  if (!allowed.ok()) return allowed;
  return caller;
}

void RecordCall(std::string_view method, const absl::Status& status,
                std::chrono::steady_clock::time_point started) {
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const std::string name(method.substr(method.rfind('/') + 1));
  const std::string service(method.substr(1, method.rfind('/') - 1));
  Metrics& metrics = Metrics::Global();
  metrics.Add(
      "okr_grpc_requests_total",
      {{"service", service}, {"method", name}, {"code", absl::StatusCodeToString(status.code())}});
  metrics.Observe("okr_grpc_request_duration_seconds", {{"service", service}, {"method", name}},
                  seconds);
}

std::string ScopeUnit(const Caller& caller, std::string_view requested) {
  if (!requested.empty()) return std::string(requested);
  if (caller.role == Role::kLead || caller.role == Role::kAgent) return caller.unit_id;
  return "";
}

}  // namespace okr
