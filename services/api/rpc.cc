#include "services/api/rpc.h"

#include "services/api/convert.h"
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
  if (!caller.ok()) return caller.status();
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

}  // namespace okr
