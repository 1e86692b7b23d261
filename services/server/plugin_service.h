#ifndef OKR_SERVICES_SERVER_PLUGIN_SERVICE_H_
#define OKR_SERVICES_SERVER_PLUGIN_SERVICE_H_

#include "okr/v1/plugins.grpc.pb.h"
#include "services/server/server_state.h"

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

class CloseServiceImpl final : public v1::CloseService::CallbackService {
 public:
  explicit CloseServiceImpl(ServerState& state) : state_(state) {}
  grpc::ServerUnaryReactor* ClosePeriod(grpc::CallbackServerContext* ctx,
                                        const v1::ClosePeriodRequest* request,
                                        v1::ClosePeriodReply* reply) override;
  grpc::ServerUnaryReactor* ListPayouts(grpc::CallbackServerContext* ctx,
                                        const v1::ListOutcomesRequest* request,
                                        v1::ListPayoutsReply* reply) override;
  grpc::ServerUnaryReactor* ListAwards(grpc::CallbackServerContext* ctx,
                                       const v1::ListOutcomesRequest* request,
                                       v1::ListAwardsReply* reply) override;
  grpc::ServerUnaryReactor* GiveKudos(grpc::CallbackServerContext* ctx,
                                      const v1::GiveKudosRequest* request,
                                      v1::GiveKudosReply* reply) override;
  grpc::ServerUnaryReactor* ListKudos(grpc::CallbackServerContext* ctx,
                                      const v1::ListKudosRequest* request,
                                      v1::ListKudosReply* reply) override;

 private:
  ServerState& state_;
};

class AlertServiceImpl final : public v1::AlertService::CallbackService {
 public:
  explicit AlertServiceImpl(ServerState& state) : state_(state) {}
  grpc::ServerUnaryReactor* ListAlerts(grpc::CallbackServerContext* ctx,
                                       const v1::ListAlertsRequest* request,
                                       v1::ListAlertsReply* reply) override;
  grpc::ServerUnaryReactor* AckAlert(grpc::CallbackServerContext* ctx, const v1::AlertRef* request,
                                     v1::Alert* reply) override;
  grpc::ServerUnaryReactor* ResolveAlert(grpc::CallbackServerContext* ctx,
                                         const v1::AlertRef* request, v1::Alert* reply) override;
  grpc::ServerWriteReactor<v1::Alert>* WatchAlerts(grpc::CallbackServerContext* ctx,
                                                   const v1::ListAlertsRequest* request) override;

 private:
  ServerState& state_;
};

}  // namespace okr

#endif  // OKR_SERVICES_SERVER_PLUGIN_SERVICE_H_
