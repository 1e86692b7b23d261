// The standard gRPC health check (grpc.health.v1.Health/Check) from a test, without the health
// proto's generated code (Debian ships none): the request and the reply are two-byte
// messages, encoded here by hand.
#ifndef OKR_TESTS_INTEGRATION_GRPC_HEALTH_H_
#define OKR_TESTS_INTEGRATION_GRPC_HEALTH_H_

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <chrono>
#include <future>
#include <string>
#include <vector>

namespace okr::testing {

// HealthCheckResponse.ServingStatus.
inline constexpr int kHealthUnknown = 0;
inline constexpr int kHealthServing = 1;
inline constexpr int kHealthNotServing = 2;

// The serving status okrd at `address` reports for `service` ("" = the server as a whole), or
// -1 when the call fails (e.g. okrd stopped listening).
inline int GrpcHealth(const std::string& address, const std::string& service = "") {
  auto channel = grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
  grpc::GenericStub stub(channel);
  // HealthCheckRequest{service}: field 1, length-delimited.
  std::string request;
  if (!service.empty()) {
    request.push_back('\x0a');
    request.push_back(static_cast<char>(service.size()));
    request += service;
  }
  grpc::Slice slice(request);
  grpc::ByteBuffer request_buffer(&slice, 1);
  grpc::ByteBuffer reply;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  std::promise<grpc::Status> done;
  stub.UnaryCall(&context, "/grpc.health.v1.Health/Check", grpc::StubOptions(), &request_buffer,
                 &reply, [&done](grpc::Status status) { done.set_value(std::move(status)); });
  if (!done.get_future().get().ok()) return -1;
  std::vector<grpc::Slice> slices;
  if (!reply.Dump(&slices).ok()) return -1;
  std::string bytes;
  for (const grpc::Slice& s : slices)
    bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
  // HealthCheckResponse{status}: field 1, varint; absent means UNKNOWN.
  if (bytes.size() == 2 && bytes[0] == '\x08') return bytes[1];
  return bytes.empty() ? kHealthUnknown : -1;
}

}  // namespace okr::testing

#endif  // OKR_TESTS_INTEGRATION_GRPC_HEALTH_H_
