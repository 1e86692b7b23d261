#include "services/api/org_service.h"

#include "services/api/convert.h"
#include "services/api/csv_upload_reactor.h"
#include "services/api/request_fields.h"
#include "services/api/rpc.h"
#include "services/core/org_ops.h"

namespace okr {
namespace {

void ToProto(const OrgImportResult& result, v1::ImportUnitsReply* out) {
  out->set_rejected(result.rejected);
  for (const std::string& error : result.errors) *out->add_errors() = ToRowError(error);
  for (const std::string& warning : result.warnings) out->add_warnings(warning);
  if (!result.errors.empty()) return;
  out->set_created(result.created);
  out->set_updated(result.updated);
  out->set_unchanged(result.unchanged);
  out->set_groups_as_of(result.groups_as_of.ToString());
  for (const GroupHeadcount& g : result.groups) {
    v1::GroupSummary* group = out->add_groups();
    group->set_unit_id(g.unit_id);
    group->set_name(g.name);
    group->set_agents(g.agents);
    group->set_fte(static_cast<double>(g.fte_micros) / 1e6);
  }
}

// The reply of an operation that returns a unit.
absl::Status ReplyUnit(const absl::StatusOr<Unit>& unit, v1::Unit* out) {
  if (!unit.ok()) return unit.status();
  *out = ToProto(*unit);
  return absl::OkStatus();
}

}  // namespace

grpc::ServerReadReactor<v1::CsvChunk>* OrgServiceImpl::ImportUnits(grpc::CallbackServerContext* ctx,
                                                                   v1::ImportUnitsReply* reply) {
  return new CsvUploadReactor<v1::ImportUnitsReply>(
      state_, ctx, "/okr.v1.OrgService/ImportUnits", reply,
      [this](const Caller& caller, const CsvUpload& upload, v1::ImportUnitsReply* out) {
        auto result = ImportOrg(state_, caller, upload);
        if (!result.ok()) return result.status();
        ToProto(*result, out);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* OrgServiceImpl::GetUnit(grpc::CallbackServerContext* ctx,
                                                  const v1::GetUnitRequest* request,
                                                  v1::Unit* reply) {
  return ServeUnary(state_, ctx, "/okr.v1.OrgService/GetUnit", request, reply,
                    [this](const Caller&, const v1::GetUnitRequest& req, v1::Unit* out) {
                      return ReplyUnit(okr::GetUnit(state_, req.unit_id()), out);
                    });
}

grpc::ServerUnaryReactor* OrgServiceImpl::ListSubtree(grpc::CallbackServerContext* ctx,
                                                      const v1::ListSubtreeRequest* request,
                                                      v1::ListSubtreeReply* reply) {
  return ServeUnary(
      state_, ctx, "/okr.v1.OrgService/ListSubtree", request, reply,
      [this](const Caller& caller, const v1::ListSubtreeRequest& req, v1::ListSubtreeReply* out) {
        auto as_of = ParseOptionalDateField("as_of", req.as_of());
        if (!as_of.ok()) return as_of.status();
        auto page = ParsePageRequest("subtree", req.limit(), req.page_token());
        if (!page.ok()) return page.status();
        auto listed = okr::ListSubtree(
            state_, caller,
            {req.unit_id(), as_of->value_or(state_.clock().Today()), req.depth(), *page});
        if (!listed.ok()) return listed.status();
        for (const TreeEntry& entry : listed->entries) {
          v1::TreeNode* node = out->add_nodes();
          *node->mutable_unit() = ToProto(entry.unit);
          node->set_depth(entry.depth);
          node->set_active(entry.active);
        }
        out->set_next_page_token(PageToken("subtree", listed->next_cursor));
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* OrgServiceImpl::MoveUnit(grpc::CallbackServerContext* ctx,
                                                   const v1::MoveUnitRequest* request,
                                                   v1::Unit* reply) {
  return ServeUnary(state_, ctx, "/okr.v1.OrgService/MoveUnit", request, reply,
                    [this](const Caller& caller, const v1::MoveUnitRequest& req, v1::Unit* out) {
                      return ReplyUnit(okr::MoveUnit(state_, caller,
                                                     {req.unit_id(), req.new_parent_id(),
                                                      ParseDateField("effective", req.effective()),
                                                      req.reason()}),
                                       out);
                    });
}

grpc::ServerUnaryReactor* OrgServiceImpl::DeactivateUnit(grpc::CallbackServerContext* ctx,
                                                         const v1::DeactivateUnitRequest* request,
                                                         v1::Unit* reply) {
  return ServeUnary(
      state_, ctx, "/okr.v1.OrgService/DeactivateUnit", request, reply,
      [this](const Caller& caller, const v1::DeactivateUnitRequest& req, v1::Unit* out) {
        return ReplyUnit(
            okr::DeactivateUnit(
                state_, caller,
                {req.unit_id(), ParseOptionalDateField("end_date", req.end_date()), req.reason()}),
            out);
      });
}

}  // namespace okr
