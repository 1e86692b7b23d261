#include "services/core/review_ops.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>

#include "services/core/access_policy.h"
#include "services/core/apply.h"
#include "services/core/cells_json.h"
#include "services/core/hold_check.h"
#include "services/core/plan_changes.h"
#include "services/core/plan_ops.h"
#include "store/codecs.h"

namespace okr {
namespace {

// The labels of the tokens, by token id (for showing who proposed).
std::map<std::string, store::TokenRecord> TokensById(ServerState& state) {
  std::map<std::string, store::TokenRecord> tokens;
  for (store::TokenRecord& token : state.tokens().List()) {
    std::string id = token.token_id();
    tokens.emplace(std::move(id), std::move(token));
  }
  return tokens;
}

constexpr int Stored(ProposalKind kind) { return static_cast<int>(kind); }
constexpr int Stored(ProposalStatus status) { return static_cast<int>(status); }

Proposal ProposalOf(const store::ProposalRecord& r, const OrgSnapshot& org,
                    const std::map<std::string, store::TokenRecord>& tokens) {
  Proposal p;
  p.proposal_id = r.proposal_id();
  // Propose and Decide store only the enums' numbers.
  p.kind = static_cast<ProposalKind>(r.kind());
  p.status = static_cast<ProposalStatus>(r.status());
  p.unit_id = r.unit_id();
  p.metric_id = r.metric_id();
  p.year = r.year();
  p.month = r.month();
  p.values.insert(r.values().begin(), r.values().end());
  p.reason = r.reason();
  p.proposed_by = r.proposed_by();
  p.proposed_at_unix = r.proposed_at_unix();
  p.base_plan_version = r.base_plan_version();
  p.decided_by = r.decided_by();
  p.decided_at_unix = r.decided_at_unix();
  p.decision_reason = r.decision_reason();
  for (const auto& c : r.comments()) {
    p.comments.push_back(ProposalComment{c.author(), c.at_unix(), c.text()});
  }
  if (const Unit* unit = org.Find(r.unit_id())) p.unit_name = unit->name;
  p.proposer_unit_id = r.proposer_unit_id();
  if (auto token = tokens.find(r.proposer_token_id()); token != tokens.end()) {
    p.proposer_label = token->second.label();
    if (p.proposer_unit_id.empty()) p.proposer_unit_id = token->second.unit_id();
  }
  if (const Unit* unit = org.Find(p.proposer_unit_id)) p.proposer_unit_name = unit->name;
  p.changes = FromRecord(r);
  return p;
}

Proposal ProposalOf(ServerState& state, const store::ProposalRecord& r) {
  return ProposalOf(r, *state.org(), TokensById(state));
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

// The re-cascade that applying a proposal makes, not yet written: month `month` of the
// subtree of `root`, with the stored plan's other months kept as they are and `extra` holds
// added, and what it changes against the stored plan.
struct MonthChange {
  CascadeRequest request;
  CascadePlan plan;
  std::map<std::string, MonthValues> rows;  // as WritePlan writes them
  PlanDiff diff;
  int month = 0;  // the month spread again (the only one whose trace the rows store anew)
};

absl::StatusOr<MonthChange> PlanMonth(ServerState& state, const OrgSnapshot& org,
                                      const Metric& metric, int year, int month,
                                      const std::string& root, const std::vector<Hold>& extra) {
  auto request = BuildCascadeRequest(state, metric, year, root, SplitMethod::kFte, {}, 12);
  if (!request.ok()) return request.status();
  // BuildCascadeRequest loaded the previous plan (from_month 12 asks for it). Keep every other
  // month by holding it at its stored value; only `month` is spread again.
  request->from_month = 1;
  // Stored holds of other months (and year totals) are already reflected in the kept months;
  // holding both could disagree where a hold was set but not yet cascaded.
  std::erase_if(request->holds, [&](const Hold& h) { return h.month != month; });
  request->org = &org;
  request->want_row_trace = true;
  for (const std::string& unit : SubtreeInTreeOrder(org, root)) {
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
  }
  MonthChange out;
  auto plan = Cascade(*request);
  if (!plan.ok()) return plan.status();
  auto change = DiffAgainstStored(state, org, metric, year, root, *plan);
  if (!change.ok()) return change.status();
  out.request = *std::move(request);
  out.plan = *std::move(plan);
  out.rows = std::move(change->rows);
  out.diff = std::move(change->diff);
  out.month = month;
  return out;
}

// Writes the re-cascaded rows, the `extra` holds and a new version into `batch`.
absl::StatusOr<int64_t> WriteMonth(ServerState& state, store::Batch& batch, const Metric& metric,
                                   int year, const std::string& root,
                                   const std::vector<Hold>& extra, const MonthChange& change,
                                   int64_t now_unix_micros) {
  for (const Hold& hold : extra) {
    store::HoldRecord record;
    record.set_value(hold.value);
    record.set_reason("approved proposal");
    batch.PutProto(store::Cf::kHolds, store::HoldKey(metric.id, year, hold.unit_id, hold.month),
                   record);
  }
  return WritePlan(state, batch, metric, year, root, change.plan, change.rows, change.request,
                   now_unix_micros, change.month);
}

// The proposal's values as holds of its month, and the unit whose month is re-spread: the
// proposal's unit (a redistribution among its children) or its parent (a change of its own
// month, absorbed by its siblings).
struct Application {
  std::vector<Hold> holds;
  std::string root;
};

Application ApplicationOf(const OrgSnapshot& org, const store::ProposalRecord& record) {
  Application out;
  for (const auto& [unit, value] : record.values()) {
    out.holds.push_back(Hold{unit, record.month(), value});
  }
  std::sort(out.holds.begin(), out.holds.end(),
            [](const Hold& a, const Hold& b) { return a.unit_id < b.unit_id; });
  out.root = record.unit_id();
  if (record.kind() == Stored(ProposalKind::kChangeTarget)) {
    if (const Unit* unit = org.Find(record.unit_id())) {
      out.root = unit->ParentOn(Date{record.year(), record.month(), 1});
    }
  }
  return out;
}

// The stored months of the unit a proposal is about, once its base is the current plan
// version (nullopt: whatever is current). Under plan_mu.
absl::StatusOr<MonthValues> ProposablePlan(ServerState& state, const std::string& metric_id,
                                           int year, const std::string& unit_id,
                                           std::optional<int64_t> base_plan_version) {
  const int64_t current = state.PlanVersion(metric_id, year);
  const int64_t base = base_plan_version.value_or(current);
  if (base != current) return StaleError(base, current);
  auto months = LoadPlanRow(state, metric_id, year, unit_id);
  if (!months.ok()) return months.status();
  if (!months->has_value()) {
    return absl::FailedPreconditionError("no plan for unit '" + unit_id + "' in " +
                                         std::to_string(year) + " to review");
  }
  return **months;
}

}  // namespace

absl::StatusOr<Proposal> Propose(ServerState& state, const Caller& caller,
                                 const ProposalDraft& draft) {
  auto org = state.org();
  auto ref = ResolveUnitMetricMonth(state, *org, draft.unit_id, draft.metric_id, draft.month);
  if (!ref.ok()) return ref.status();
  const Metric* metric = &ref->metric;
  const int year = ref->year, month = ref->month;
  if (draft.values.empty()) return absl::InvalidArgumentError("a proposal needs values");
  for (const auto& [key, value] : draft.values) {
    if (!std::isfinite(value) || value < 0) {
      return absl::InvalidArgumentError("value of '" + key + "' must be finite and >= 0");
    }
    if (metric->kind == MetricKind::kCount && value != std::floor(value)) {
      return absl::InvalidArgumentError("value of '" + key + "' must be a whole number");
    }
  }
  std::lock_guard<std::mutex> lock(state.plan_mu);
  if (!draft.kind.ok()) {
    // Refused where Apply checks the kind: after the plan's.
    if (auto months =
            ProposablePlan(state, metric->id, year, draft.unit_id, draft.base_plan_version);
        !months.ok()) {
      return months.status();
    }
    return draft.kind.status();
  }
  store::Command command = NewCommand(state, caller);
  store::ProposeCommand& propose = *command.mutable_propose();
  propose.set_kind(Stored(*draft.kind));
  propose.set_unit_id(draft.unit_id);
  propose.set_metric_id(metric->id);
  propose.set_year(year);
  propose.set_month(month);
  for (const auto& [key, value] : draft.values) {
    store::ProposedValue* v = propose.add_values();
    v->set_unit_id(key);
    v->set_value(value);
  }
  propose.set_reason(draft.reason);
  propose.set_has_base_plan_version(draft.base_plan_version.has_value());
  propose.set_base_plan_version(draft.base_plan_version.value_or(0));
  store::ProposalRecord record;
  absl::Status s =
      state.commands().Run(std::move(command), [&](const store::Command& c, Applied& applied) {
        return ApplyPropose(state, c, applied, &record);
      });
  if (!s.ok()) return s;
  return ProposalOf(state, record);
}

absl::Status ApplyPropose(ServerState& state, const store::Command& command, Applied& applied,
                          store::ProposalRecord* out) {
  const store::ProposeCommand& propose = command.propose();
  const Caller caller = CallerOf(command);
  auto org = state.org();
  const Unit* unit = org->Find(propose.unit_id());
  if (unit == nullptr) return absl::NotFoundError("no unit '" + propose.unit_id() + "'");
  auto metric = RequireMetric(state, propose.metric_id());
  if (!metric.ok()) return metric.status();
  const int year = propose.year(), month = propose.month();
  const std::string month_text = MonthText(year, month);
  std::map<std::string, double> values;
  for (const store::ProposedValue& v : propose.values()) values[v.unit_id()] = v.value();
  auto months = ProposablePlan(state, metric->id, year, propose.unit_id(),
                               propose.has_base_plan_version()
                                   ? std::optional<int64_t>(propose.base_plan_version())
                                   : std::nullopt);
  if (!months.ok()) return months.status();
  const int64_t base = state.PlanVersion(metric->id, year);  // the base, checked above
  const ProposalKind kind = static_cast<ProposalKind>(propose.kind());
  nlohmann::json before = nlohmann::json::object();
  switch (kind) {
    case ProposalKind::kRedistribute: {
      if (metric->kind != MetricKind::kCount) {
        return absl::InvalidArgumentError("a ratio target is inherited, not redistributed");
      }
      const auto& children = org->ChildrenEver(propose.unit_id());
      double total = 0;
      for (const std::string& child : children) {
        auto row = LoadPlanRow(state, metric->id, year, child);
        if (!row.ok()) return row.status();
        const double now = row->has_value() ? (**row)[month - 1] : 0;
        before[child] = now;
        auto it = values.find(child);
        total += it != values.end() ? it->second : now;
      }
      for (const auto& [key, value] : values) {
        if (!before.contains(key)) {
          return absl::InvalidArgumentError("'" + key + "' is not a child of '" +
                                            propose.unit_id() + "'");
        }
      }
      const double month_total = (*months)[month - 1];
      if (total != month_total) {
        return absl::InvalidArgumentError(
            "a redistribution keeps the total: the children would sum to " +
            std::to_string(static_cast<int64_t>(total)) + " but " + propose.unit_id() + "'s " +
            month_text + " is " + std::to_string(static_cast<int64_t>(month_total)));
      }
      break;
    }
    case ProposalKind::kChangeTarget:
      if (values.size() != 1 || !values.contains(propose.unit_id())) {
        return absl::InvalidArgumentError("a target change has one value, for '" +
                                          propose.unit_id() + "' itself");
      }
      if (unit->ParentOn(Date{year, month, 1}).empty()) {
        return absl::InvalidArgumentError("the top unit's target is set with okrctl target set");
      }
      before[propose.unit_id()] = (*months)[month - 1];
      break;
    default:
      return absl::InvalidArgumentError("proposal kind " + std::to_string(propose.kind()) +
                                        " is not one this okrd knows; nothing was changed");
  }
  store::ProposalRecord record;
  record.set_kind(propose.kind());
  record.set_unit_id(propose.unit_id());
  record.set_metric_id(metric->id);
  record.set_year(year);
  record.set_month(month);
  for (const auto& [k, v] : values) (*record.mutable_values())[k] = v;
  // What approving it would do, worked out now: approval needs this very plan version, so
  // it is what approval will write. A proposal that could not be applied is refused here.
  const Application application = ApplicationOf(*org, record);
  for (const Hold& hold : application.holds) {
    if (absl::Status s = CheckHoldOnActiveAgent(*org, year, hold); !s.ok()) return s;
  }
  auto change = PlanMonth(state, *org, *metric, year, month, application.root, application.holds);
  if (!change.ok()) {
    return absl::FailedPreconditionError("proposal cannot be applied to the plan: " +
                                         std::string(change.status().message()));
  }
  ToRecord(change->diff, &record);
  record.set_proposal_id(state.NextCounter(applied.batch, "proposal"));
  record.set_status(Stored(ProposalStatus::kPending));
  record.set_reason(propose.reason());
  record.set_proposed_by(caller.Actor());
  record.set_proposer_token_id(caller.token_id);
  // Only a lead above this unit may decide (kDecideProposal); a director's proposal has no
  // lead above it, whatever unit its token names.
  if (caller.role == Role::kLead) record.set_proposer_unit_id(caller.unit_id);
  record.set_proposed_at_unix(command.accepted_unix_micros() / 1000000);
  record.set_base_plan_version(base);
  applied.batch.PutProto(store::Cf::kProposals, store::ProposalKey(record.proposal_id()), record);
  store::AuditRecord audit =
      NewAudit(command, "proposal.create", propose.unit_id(), metric->id, propose.reason());
  // Before: the proposed cells now, and every cell approval would move; after: the proposal,
  // its values, and those cells as approval would leave them.
  nlohmann::json audit_before = {{"month", month_text}};
  nlohmann::json values_before = nlohmann::json::object();
  for (const auto& [key, value] : values) values_before[key] = before[key];
  audit_before["values"] = values_before;
  audit.set_before_json(CellsJsonText(change->diff, year, CellsSide::kBefore, audit_before));
  nlohmann::json after = {{"proposal", record.proposal_id()}, {"status", "pending"}};
  after["month"] = month_text;
  after["values"] = values;
  audit.set_after_json(CellsJsonText(change->diff, year, CellsSide::kAfter, after));
  state.Audit(applied.batch, std::move(audit));
  if (out != nullptr) *out = std::move(record);
  return absl::OkStatus();
}

absl::StatusOr<Proposal> Decide(ServerState& state, const Caller& caller,
                                const Decision& decision) {
  std::lock_guard<std::mutex> lock(state.plan_mu);
  store::Command command = NewCommand(state, caller);
  command.mutable_decide_proposal()->set_proposal_id(decision.proposal_id);
  command.mutable_decide_proposal()->set_approve(decision.approve);
  command.mutable_decide_proposal()->set_reason(decision.reason);
  store::ProposalRecord record;
  absl::Status s =
      state.commands().Run(std::move(command), [&](const store::Command& c, Applied& applied) {
        return ApplyDecideProposal(state, c, applied, &record);
      });
  if (!s.ok()) return s;
  return ProposalOf(state, record);
}

absl::Status ApplyDecideProposal(ServerState& state, const store::Command& command,
                                 Applied& applied, store::ProposalRecord* out) {
  const store::DecideProposalCommand& decision = command.decide_proposal();
  const bool approve = decision.approve();
  auto record = LoadProposal(state, decision.proposal_id());
  if (!record.ok()) return record.status();
  // Who may decide is the access table's rule (kDecideProposal), checked before this runs.
  auto org = state.org();
  if (record->status() != Stored(ProposalStatus::kPending)) {
    return absl::FailedPreconditionError("proposal #" + std::to_string(record->proposal_id()) +
                                         " is already decided");
  }
  if (!approve && decision.reason().empty()) {
    return absl::InvalidArgumentError("a rejection needs a reason");
  }
  auto metric = RequireMetric(state, record->metric_id());
  if (!metric.ok()) return metric.status();
  store::Batch& batch = applied.batch;
  int64_t version = 0;
  const std::string month = MonthText(record->year(), record->month());
  nlohmann::json before = {{"proposal", record->proposal_id()}, {"status", "pending"}};
  nlohmann::json after = {{"proposal", record->proposal_id()}};
  std::optional<PlanDiff> moved;  // the cells an approval moves, for both sides
  if (approve) {
    const int64_t current = state.PlanVersion(metric->id, record->year());
    if (record->base_plan_version() != current) {
      return StaleError(record->base_plan_version(), current);
    }
    const Application application = ApplicationOf(*org, *record);
    for (const Hold& hold : application.holds) {
      if (absl::Status s = CheckHoldOnActiveAgent(*org, record->year(), hold); !s.ok()) return s;
    }
    auto change = PlanMonth(state, *org, *metric, record->year(), record->month(), application.root,
                            application.holds);
    if (!change.ok()) return change.status();
    // Holds before and after: approved values become holds of the month.
    nlohmann::json holds_before = nlohmann::json::object();
    nlohmann::json holds_after = nlohmann::json::object();
    for (const Hold& hold : application.holds) {
      store::HoldRecord held;
      auto had = state.db().GetProto(
          store::Cf::kHolds, store::HoldKey(metric->id, record->year(), hold.unit_id, hold.month),
          &held);
      if (!had.ok()) return had.status();
      holds_before[hold.unit_id] = *had ? nlohmann::json(held.value()) : nlohmann::json();
      holds_after[hold.unit_id] = hold.value;
    }
    auto written = WriteMonth(state, batch, *metric, record->year(), application.root,
                              application.holds, *change, command.accepted_unix_micros());
    if (!written.ok()) return written.status();
    version = *written;
    ToRecord(change->diff, &*record);
    moved = change->diff;
    before["holds"] = holds_before;
    after["holds"] = holds_after;
  }
  before["month"] = month;
  after["month"] = month;
  after["status"] = approve ? "approved" : "rejected";
  record->set_status(Stored(approve ? ProposalStatus::kApproved : ProposalStatus::kRejected));
  record->set_decided_by(CallerOf(command).Actor());
  record->set_decided_at_unix(command.accepted_unix_micros() / 1000000);
  record->set_decision_reason(decision.reason());
  batch.PutProto(store::Cf::kProposals, store::ProposalKey(record->proposal_id()), *record);
  store::AuditRecord audit = NewAudit(command, approve ? "proposal.approve" : "proposal.reject",
                                      record->unit_id(), record->metric_id(), decision.reason());
  audit.set_plan_version(version);
  if (moved) {
    audit.set_before_json(CellsJsonText(*moved, record->year(), CellsSide::kBefore, before));
    audit.set_after_json(CellsJsonText(*moved, record->year(), CellsSide::kAfter, after));
  } else {
    audit.set_before_json(before.dump());
    audit.set_after_json(after.dump());
  }
  state.Audit(batch, std::move(audit));
  if (out != nullptr) *out = *std::move(record);
  return absl::OkStatus();
}

absl::StatusOr<ProposalPage> ListProposals(ServerState& state, const Caller& caller,
                                           const ProposalFilter& filter) {
  auto org = state.org();
  const auto tokens = TokensById(state);
  ProposalPage page;
  std::string last_key;
  // Keys are I64(id): the page starts just above the cursor's key.
  const std::string begin =
      filter.page.after.empty() ? "" : filter.page.after + std::string(1, '\0');
  absl::Status scanned = state.db().ScanRange(
      store::Cf::kProposals, begin, "", [&](std::string_view key, std::string_view v) {
        store::ProposalRecord record;
        if (!record.ParseFromArray(v.data(), static_cast<int>(v.size()))) return true;
        if (filter.status && record.status() != Stored(*filter.status)) return true;
        if (!filter.unit_id.empty() && !org->IsInSubtreeEver(filter.unit_id, record.unit_id())) {
          return true;
        }
        if (!MayRead(caller, record.unit_id(), *org)) return true;
        if (page.proposals.size() == filter.page.limit) {  // one more: a next page follows
          page.next_cursor = last_key;
          return false;
        }
        page.proposals.push_back(ProposalOf(record, *org, tokens));
        last_key = key;
        return true;
      });
  if (!scanned.ok()) return scanned;
  return page;
}

absl::StatusOr<Proposal> GetProposal(ServerState& state, int64_t id) {
  auto record = LoadProposal(state, id);
  if (!record.ok()) return record.status();
  return ProposalOf(state, *record);
}

absl::StatusOr<Proposal> Comment(ServerState& state, const Caller& caller, const NewComment& note) {
  if (note.text.empty()) return absl::InvalidArgumentError("a comment needs text");
  std::lock_guard<std::mutex> lock(state.plan_mu);
  store::Command command = NewCommand(state, caller);
  command.mutable_comment_proposal()->set_proposal_id(note.proposal_id);
  command.mutable_comment_proposal()->set_text(note.text);
  store::ProposalRecord record;
  absl::Status s =
      state.commands().Run(std::move(command), [&](const store::Command& c, Applied& applied) {
        return ApplyCommentProposal(state, c, applied, &record);
      });
  if (!s.ok()) return s;
  return ProposalOf(state, record);
}

absl::Status ApplyCommentProposal(ServerState& state, const store::Command& command,
                                  Applied& applied, store::ProposalRecord* out) {
  const store::CommentProposalCommand& note = command.comment_proposal();
  auto record = LoadProposal(state, note.proposal_id());
  if (!record.ok()) return record.status();
  store::CommentRecord* comment = record->add_comments();
  comment->set_author(CallerOf(command).Actor());
  comment->set_at_unix(command.accepted_unix_micros() / 1000000);
  comment->set_text(note.text());
  applied.batch.PutProto(store::Cf::kProposals, store::ProposalKey(record->proposal_id()), *record);
  store::AuditRecord audit =
      NewAudit(command, "proposal.comment", record->unit_id(), record->metric_id(), note.text());
  state.Audit(applied.batch, std::move(audit));
  if (out != nullptr) *out = *std::move(record);
  return absl::OkStatus();
}

}  // namespace okr
