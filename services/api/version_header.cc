#include "services/api/version_header.h"

#include <grpcpp/support/server_interceptor.h>

#include <memory>
#include <vector>

#include "okr/version.h"

namespace okr {
namespace {

using grpc::experimental::InterceptionHookPoints;

class VersionHeader : public grpc::experimental::Interceptor {
 public:
  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_INITIAL_METADATA)) {
      methods->GetSendInitialMetadata()->emplace(kServerVersionHeader, kVersion);
    }
    methods->Proceed();
  }
};

class VersionHeaderFactory : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo*) override {
    return new VersionHeader();  // gRPC owns it and deletes it when the call ends
  }
};

}  // namespace

void AddVersionHeader(grpc::ServerBuilder& builder) {
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> creators;
  creators.push_back(std::make_unique<VersionHeaderFactory>());
  builder.experimental().SetInterceptorCreators(std::move(creators));
}

}  // namespace okr
