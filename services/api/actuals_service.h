// okr.v1.ActualsService: ingest actuals (unary, CSV stream, bidi stream) and delete events.
#ifndef OKR_SERVICES_API_ACTUALS_SERVICE_H_
#define OKR_SERVICES_API_ACTUALS_SERVICE_H_

#include "okr/v1/actuals.grpc.pb.h"
#include "services/core/server_state.h"

namespace okr {

class ActualsServiceImpl final : public v1::ActualsService::CallbackService {
 public:
  explicit ActualsServiceImpl(ServerState& state) : state_(state) {}

  grpc::ServerUnaryReactor* Ingest(grpc::CallbackServerContext* ctx,
                                   const v1::IngestRequest* request,
                                   v1::IngestReply* reply) override;
  grpc::ServerReadReactor<v1::CsvChunk>* ImportCsv(grpc::CallbackServerContext* ctx,
                                                   v1::IngestReply* reply) override;
  grpc::ServerBidiReactor<v1::IngestRequest, v1::IngestReply>* IngestStream(
      grpc::CallbackServerContext* ctx) override;
  grpc::ServerUnaryReactor* DeleteEvent(grpc::CallbackServerContext* ctx,
                                        const v1::DeleteEventRequest* request,
                                        v1::DeleteEventReply* reply) override;

 private:
  ServerState& state_;
};

}  // namespace okr

#endif  // OKR_SERVICES_API_ACTUALS_SERVICE_H_
