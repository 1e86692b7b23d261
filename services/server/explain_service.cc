#include "services/server/explain_service.h"

#include <filesystem>

#include "services/server/explain_ops.h"
#include "services/server/rpc.h"

namespace okr {

grpc::ServerUnaryReactor* ExplainServiceImpl::Explain(grpc::CallbackServerContext* ctx,
                                                      const v1::ExplainRequest* request,
                                                      v1::Explanation* reply) {
  return ServeUnary(state_, ctx, "/okr.v1.ExplainService/Explain", request, reply,
                    [this](const Caller& caller, const auto& req, auto* out) {
                      return okr::Explain(state_, caller, req, out);
                    });
}

grpc::ServerUnaryReactor* AdminServiceImpl::Backup(grpc::CallbackServerContext* ctx,
                                                   const v1::BackupRequest* request,
                                                   v1::BackupReply* reply) {
  return ServeUnary(
      state_, ctx, "/okr.v1.AdminService/Backup", request, reply,
      [this](const Caller&, const v1::BackupRequest& req, v1::BackupReply* out) {
        if (req.dir().empty()) return absl::InvalidArgumentError("backup needs a folder");
        std::error_code ec;
        if (std::filesystem::exists(req.dir(), ec)) {
          return absl::AlreadyExistsError("backup folder " + req.dir() + " already exists");
        }
        // The checkpoint is a database folder; okrd --data-dir expects it under db/.
        std::filesystem::create_directories(req.dir(), ec);
        if (ec) return absl::FailedPreconditionError("cannot create " + req.dir());
        const std::string db_dir = req.dir() + "/db";
        if (absl::Status s = state_.db().Checkpoint(db_dir); !s.ok()) return s;
        uint64_t bytes = 0;
        for (const auto& entry : std::filesystem::recursive_directory_iterator(db_dir, ec)) {
          if (entry.is_regular_file(ec)) bytes += entry.file_size(ec);
        }
        out->set_dir(req.dir());
        out->set_bytes(bytes);
        return absl::OkStatus();
      });
}

}  // namespace okr
