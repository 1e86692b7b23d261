// Every gRPC answer of okrd carries its version in the initial metadata header
// kServerVersionHeader (okr/version.h), whatever the method and whether the call succeeds, so that
// `okrctl version` can show the server's version without a method of its own.
#ifndef OKR_SERVICES_API_VERSION_HEADER_H_
#define OKR_SERVICES_API_VERSION_HEADER_H_

#include <grpcpp/server_builder.h>

namespace okr {

// Adds the interceptor that sets the header to every call served by `builder`'s server.
void AddVersionHeader(grpc::ServerBuilder& builder);

}  // namespace okr

#endif  // OKR_SERVICES_API_VERSION_HEADER_H_
