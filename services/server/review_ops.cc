#include "services/server/review_ops.h"

#include <cmath>
#include <nlohmann/json.hpp>
#include <set>

#include "services/server/access_policy.h"
#include "services/server/convert.h"
#include "services/server/plan_ops.h"
#include "store/codecs.h"

namespace okr {
namespace {

v1::Proposal ToProto(const store::ProposalRecord& r) {
  v1::Proposal p;
  p.set_proposal_id(r.proposal_id());
  p.set_kind(static_cast<v1::ProposalKind>(r.kind()));
  p.set_status(static_cast<v1::ProposalStatus>(r.status()));
  p.set_unit_id(r.unit_id());
  p.set_metric_id(r.metric_id());
  char month[16];
  std::snprintf(month, sizeof month, "%04d-%02d", r.year(), r.month());
  p.set_month(month);
  for (const auto& [k, v] : r.values()) (*p.mutable_values())[k] = v;
  p.set_reason(r.reason());
  p.set_proposed_by(r.proposed_by());
  p.set_proposed_at(FormatTime(r.proposed_at_unix()));
  p.set_base_plan_version(r.base_plan_version());
  p.set_decided_by(r.decided_by());
  if (r.decided_at_unix() != 0) p.set_decided_at(FormatTime(r.decided_at_unix()));
  p.set_decision_reason(r.decision_reason());
  for (const auto& c : r.comments()) {
    v1::Comment* comment = p.add_comments();
    comment->set_author(c.author());
    comment->set_at(FormatTime(c.at_unix()));
    comment->set_text(c.text());
  }
  return p;
}

absl::StatusOr<store::ProposalRecord> LoadProposal(ServerState& state, int64_t id) {
  store::ProposalRecord record;
  auto found = state.db().GetProto(store::Cf::kProposals, store::ProposalKey(id), &record);
  if (!found.ok()) return found.status();
  if (!*found) return absl::NotFoundError("no proposal #" + std::to_string(id));
  return record;
}

absl::Status StaleError(int64_t base, int64_t current) {
  return absl::FailedPreconditionError("stale proposal: it was made against plan version " +
                                       std::to_string(base) + " but the plan is now at version " +
                                       std::to_string(current) +
                                       "; read the breakdown again and propose anew");
}

// Re-cascades month `month` of the subtree of `root` with the stored plan's other months
// kept as they are, and `extra` holds added; writes rows, holds and a version into `batch`.
absl::StatusOr<int64_t> ApplyMonth(ServerState& state, store::Batch& batch, const Metric& metric,
                                   int year, int month, const std::string& root,
                                   const std::vector<Hold>& extra) {
  auto request = BuildCascadeRequest(state, metric, year, root, SplitMethod::kFte, {}, 12);
  if (!request.ok()) return request.status();
  // BuildCascadeRequest loaded the previous plan (from_month 12 asks for it). Keep every other
  // month by holding it at its stored value; only `month` is spread again.
  request->from_month = 1;
  // Stored holds of other months (and year totals) are already reflected in the kept months;
  // holding both could disagree where a hold was set but not yet cascaded.
  std::erase_if(request->holds, [&](const Hold& h) { return h.month != month; });
  auto org = state.org();
  request->org = org.get();
  const std::vector<std::string> subtree_units = [&] {
    std::vector<std::string> units;
    std::vector<std::string> stack{root};
    std::set<std::string> seen;
    while (!stack.empty()) {
      std::string id = stack.back();
      stack.pop_back();
      if (!seen.insert(id).second) continue;
      units.push_back(id);
      for (const std::string& child : org->ChildrenEver(id)) stack.push_back(child);
    }
    return units;
  }();
  for (const std::string& unit : subtree_units) {
    auto it = request->previous_plan.find(unit);
    if (it == request->previous_plan.end()) continue;
    for (int m = 1; m <= 12; ++m) {
      if (m != month) request->holds.push_back(Hold{unit, m, it->second[m - 1]});
    }
  }
  // The subtree root keeps its month as stored.
  if (auto it = request->previous_plan.find(root); it != request->previous_plan.end()) {
    request->year_target.reset();
    request->seasonality.reset();
    request->root_months = it->second;
  }
  for (const Hold& hold : extra) {
    std::erase_if(request->holds, [&](const Hold& h) {
      return h.unit_id == hold.unit_id && h.month == hold.month;
    });
    request->holds.push_back(hold);
    store::HoldRecord record;
    record.set_value(hold.value);
    record.set_reason("approved proposal");
    batch.PutProto(store::Cf::kHolds, store::HoldKey(metric.id, year, hold.unit_id, hold.month),
                   record);
  }
  auto plan = Cascade(*request);
  if (!plan.ok()) return plan.status();
  return WritePlan(state, batch, metric, year, root, *plan, *request);
}

}  // namespace

absl::Status Propose(ServerState& state, const Caller& caller, const v1::ProposeRequest& req,
                     v1::Proposal* out) {
  auto org = state.org();
  auto ref = ResolveUnitMetricMonth(state, *org, req.unit_id(), req.metric_id(), req.month());
  if (!ref.ok()) return ref.status();
  const Unit* unit = ref->unit;
  const Metric* metric = &ref->metric;
  const int year = ref->year, month = ref->month;
  if (req.values().empty()) return absl::InvalidArgumentError("a proposal needs values");
  for (const auto& [key, value] : req.values()) {
    if (!std::isfinite(value) || value < 0) {
      return absl::InvalidArgumentError("value of '" + key + "' must be finite and >= 0");
    }
    if (metric->kind == MetricKind::kCount && value != std::floor(value)) {
      return absl::InvalidArgumentError("value of '" + key + "' must be a whole number");
    }
  }
  std::lock_guard<std::mutex> lock(state.plan_mu);
  const int64_t current = state.PlanVersion(metric->id, year);
  const int64_t base = req.base_plan_version() == 0 ? current : req.base_plan_version();
  if (base != current) return StaleError(base, current);
  auto months = LoadPlanRow(state, metric->id, year, req.unit_id());
  if (!months.ok()) return months.status();
  if (!months->has_value()) {
    return absl::FailedPreconditionError("no plan for unit '" + req.unit_id() + "' in " +
                                         std::to_string(year) + " to review");
  }
  nlohmann::json before = nlohmann::json::object();
  switch (req.kind()) {
    case v1::PROPOSAL_KIND_REDISTRIBUTE: {
      if (metric->kind != MetricKind::kCount) {
        return absl::InvalidArgumentError("a ratio target is inherited, not redistributed");
      }
      const auto& children = org->ChildrenEver(req.unit_id());
      double total = 0;
      for (const std::string& child : children) {
        auto row = LoadPlanRow(state, metric->id, year, child);
        if (!row.ok()) return row.status();
        const double now = row->has_value() ? (**row)[month - 1] : 0;
        before[child] = now;
        auto it = req.values().find(child);
        total += it != req.values().end() ? it->second : now;
      }
      for (const auto& [key, value] : req.values()) {
        if (!before.contains(key)) {
          return absl::InvalidArgumentError("'" + key + "' is not a child of '" + req.unit_id() +
                                            "'");
        }
      }
      const double month_total = (**months)[month - 1];
      if (total != month_total) {
        return absl::InvalidArgumentError(
            "a redistribution keeps the total: the children would sum to " +
            std::to_string(static_cast<int64_t>(total)) + " but " + req.unit_id() + "'s " +
            req.month() + " is " + std::to_string(static_cast<int64_t>(month_total)));
      }
      break;
    }
    case v1::PROPOSAL_KIND_CHANGE_TARGET:
      if (req.values().size() != 1 || !req.values().contains(req.unit_id())) {
        return absl::InvalidArgumentError("a target change has one value, for '" + req.unit_id() +
                                          "' itself");
      }
      if (unit->ParentOn(Date{year, month, 1}).empty()) {
        return absl::InvalidArgumentError("the top unit's target is set with okrctl target set");
      }
      before[req.unit_id()] = (**months)[month - 1];
      break;
    default:
      return absl::InvalidArgumentError("kind must be redistribute or change");
  }
  store::ProposalRecord record;
  store::Batch batch = state.db().NewBatch();
  record.set_proposal_id(state.NextCounter(batch, "proposal"));
  record.set_kind(req.kind());
  record.set_status(v1::PROPOSAL_STATUS_PENDING);
  record.set_unit_id(req.unit_id());
  record.set_metric_id(metric->id);
  record.set_year(year);
  record.set_month(month);
  for (const auto& [k, v] : req.values()) (*record.mutable_values())[k] = v;
  record.set_reason(req.reason());
  record.set_proposed_by(caller.Actor());
  // Only a lead above this unit may decide (kDecideProposal); a director's proposal has no
  // lead above it, whatever unit its token names.
  if (caller.role == Role::kLead) record.set_proposer_unit_id(caller.unit_id);
  record.set_proposed_at_unix(state.clock().NowUnix());
  record.set_base_plan_version(base);
  batch.PutProto(store::Cf::kProposals, store::ProposalKey(record.proposal_id()), record);
  store::AuditRecord audit;
  audit.set_actor(caller.Actor());
  audit.set_action("proposal.create");
  audit.set_unit_id(req.unit_id());
  audit.set_metric_id(metric->id);
  audit.set_reason(req.reason());
  audit.set_before_json(before.dump());
  nlohmann::json after(std::map<std::string, double>(req.values().begin(), req.values().end()));
  after["proposal"] = record.proposal_id();
  audit.set_after_json(after.dump());
  state.Audit(batch, std::move(audit));
  if (absl::Status s = state.db().Commit(batch); !s.ok()) return s;
  *out = ToProto(record);
  return absl::OkStatus();
}

absl::Status Decide(ServerState& state, const Caller& caller, const v1::DecideRequest& req,
                    bool approve, v1::Proposal* out) {
  std::lock_guard<std::mutex> lock(state.plan_mu);
  auto record = LoadProposal(state, req.proposal_id());
  if (!record.ok()) return record.status();
  // Who may decide is the access table's rule (kDecideProposal), checked before this runs.
  auto org = state.org();
  const Date first{record->year(), record->month(), 1};
  if (record->status() != v1::PROPOSAL_STATUS_PENDING) {
    return absl::FailedPreconditionError("proposal #" + std::to_string(record->proposal_id()) +
                                         " is already decided");
  }
  if (!approve && req.reason().empty()) {
    return absl::InvalidArgumentError("a rejection needs a reason");
  }
  auto metric = RequireMetric(state, record->metric_id());
  if (!metric.ok()) return metric.status();
  store::Batch batch = state.db().NewBatch();
  int64_t version = 0;
  if (approve) {
    const int64_t current = state.PlanVersion(metric->id, record->year());
    if (record->base_plan_version() != current) {
      return StaleError(record->base_plan_version(), current);
    }
    std::vector<Hold> holds;
    for (const auto& [unit, value] : record->values()) {
      holds.push_back(Hold{unit, record->month(), value});
    }
    std::string root = record->unit_id();
    if (record->kind() == v1::PROPOSAL_KIND_CHANGE_TARGET) {
      root = org->Find(record->unit_id())->ParentOn(first);
    }
    auto applied = ApplyMonth(state, batch, *metric, record->year(), record->month(), root, holds);
    if (!applied.ok()) return applied.status();
    version = *applied;
  }
  record->set_status(approve ? v1::PROPOSAL_STATUS_APPROVED : v1::PROPOSAL_STATUS_REJECTED);
  record->set_decided_by(caller.Actor());
  record->set_decided_at_unix(state.clock().NowUnix());
  record->set_decision_reason(req.reason());
  batch.PutProto(store::Cf::kProposals, store::ProposalKey(record->proposal_id()), *record);
  store::AuditRecord audit;
  audit.set_actor(caller.Actor());
  audit.set_action(approve ? "proposal.approve" : "proposal.reject");
  audit.set_unit_id(record->unit_id());
  audit.set_metric_id(record->metric_id());
  audit.set_reason(req.reason());
  audit.set_plan_version(version);
  audit.set_after_json(nlohmann::json{{"proposal", record->proposal_id()}}.dump());
  state.Audit(batch, std::move(audit));
  if (absl::Status s = state.db().Commit(batch); !s.ok()) return s;
  *out = ToProto(*record);
  return absl::OkStatus();
}

absl::Status ListProposals(ServerState& state, const Caller& caller,
                           const v1::ListProposalsRequest& req, v1::ListProposalsReply* out) {
  auto org = state.org();
  return state.db().Scan(store::Cf::kProposals, "", [&](std::string_view, std::string_view v) {
    store::ProposalRecord record;
    if (!record.ParseFromArray(v.data(), static_cast<int>(v.size()))) return true;
    if (req.status() != v1::PROPOSAL_STATUS_UNSPECIFIED && record.status() != req.status()) {
      return true;
    }
    if (!req.unit_id().empty() && !org->IsInSubtreeEver(req.unit_id(), record.unit_id())) {
      return true;
    }
    if (!MayRead(caller, record.unit_id(), *org)) return true;
    *out->add_proposals() = ToProto(record);
    return true;
  });
}

absl::Status GetProposal(ServerState& state, int64_t id, v1::Proposal* out) {
  auto record = LoadProposal(state, id);
  if (!record.ok()) return record.status();
  *out = ToProto(*record);
  return absl::OkStatus();
}

absl::Status Comment(ServerState& state, const Caller& caller, const v1::CommentRequest& req,
                     v1::Proposal* out) {
  if (req.text().empty()) return absl::InvalidArgumentError("a comment needs text");
  std::lock_guard<std::mutex> lock(state.plan_mu);
  auto record = LoadProposal(state, req.proposal_id());
  if (!record.ok()) return record.status();
  store::CommentRecord* comment = record->add_comments();
  comment->set_author(caller.Actor());
  comment->set_at_unix(state.clock().NowUnix());
  comment->set_text(req.text());
  store::Batch batch = state.db().NewBatch();
  batch.PutProto(store::Cf::kProposals, store::ProposalKey(record->proposal_id()), *record);
  store::AuditRecord audit;
  audit.set_actor(caller.Actor());
  audit.set_action("proposal.comment");
  audit.set_unit_id(record->unit_id());
  audit.set_metric_id(record->metric_id());
  audit.set_reason(req.text());
  state.Audit(batch, std::move(audit));
  if (absl::Status s = state.db().Commit(batch); !s.ok()) return s;
  *out = ToProto(*record);
  return absl::OkStatus();
}

}  // namespace okr
