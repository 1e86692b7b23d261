// okr.v1.PluginService: list, load, unload, reload and configure plugins.
#ifndef OKR_SERVICES_API_PLUGIN_SERVICE_H_
#define OKR_SERVICES_API_PLUGIN_SERVICE_H_

#include "okr/v1/plugins.grpc.pb.h"
#include "services/core/server_state.h"

namespace okr {

class PluginServiceImpl final : public v1::PluginService::CallbackService {
 public:
  explicit PluginServiceImpl(ServerState& state) : state_(state) {}
  grpc::ServerUnaryReactor* ListPlugins(grpc::CallbackServerContext* ctx,
                                        const v1::ListPluginsRequest* request,
                                        v1::ListPluginsReply* reply) override;
  grpc::ServerUnaryReactor* LoadPlugin(grpc::CallbackServerContext* ctx,
                                       const v1::LoadPluginRequest* request,
                                       v1::PluginInfo* reply) override;
  grpc::ServerUnaryReactor* UnloadPlugin(grpc::CallbackServerContext* ctx,
                                         const v1::PluginRef* request,
                                         v1::PluginInfo* reply) override;
  grpc::ServerUnaryReactor* ReloadPlugin(grpc::CallbackServerContext* ctx,
                                         const v1::PluginRef* request,
                                         v1::PluginInfo* reply) override;
  grpc::ServerUnaryReactor* ConfigurePlugin(grpc::CallbackServerContext* ctx,
                                            const v1::ConfigurePluginRequest* request,
                                            v1::PluginInfo* reply) override;
  grpc::ServerUnaryReactor* GetPluginConfig(grpc::CallbackServerContext* ctx,
                                            const v1::GetPluginConfigRequest* request,
                                            v1::GetPluginConfigReply* reply) override;

 private:
  ServerState& state_;
};

}  // namespace okr

#endif  // OKR_SERVICES_API_PLUGIN_SERVICE_H_
