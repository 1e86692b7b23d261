#include "services/api/target_service.h"

#include <cstdio>
#include <string>

#include "services/api/convert.h"
#include "services/api/plan_convert.h"
#include "services/api/rpc.h"
#include "services/core/history.h"
#include "services/core/paging.h"
#include "services/core/plan_check.h"
#include "services/core/plan_ops.h"

namespace okr {
namespace {

void ToProto(const UnitPlan& row, v1::PlanRow* out) {
  out->set_unit_id(row.unit_id);
  out->set_year_target(row.year_target);
  for (double v : row.months) out->add_months(v);
}

// okr.v1's split methods: unspecified is fte. A number this server does not know is refused by
// RunCascade after its unit, metric and year checks.
Parsed<SplitMethod> MethodOf(v1::SplitMethod method) {
  switch (method) {
    case v1::SPLIT_METHOD_UNSPECIFIED:
    case v1::SPLIT_METHOD_FTE:
      return SplitMethod::kFte;
    case v1::SPLIT_METHOD_EVEN:
      return SplitMethod::kEven;
    case v1::SPLIT_METHOD_WEIGHTS:
      return SplitMethod::kWeights;
    default:
      return absl::InvalidArgumentError("unknown split method");
  }
}

CascadeRun CascadeRunOf(const v1::CascadeRequest& req) {
  CascadeRun run;
  run.unit_id = req.unit_id();
  run.metric_id = req.metric_id();
  run.all_metrics = req.all_metrics();
  run.year = req.year();
  run.method = MethodOf(req.method());
  run.weights.insert(req.weights().begin(), req.weights().end());
  if (!req.from_month().empty()) {
    auto from = ParseYearMonth(req.from_month());
    if (from.ok()) {
      run.from_month = std::optional<std::pair<int, int>>(*from);
    } else {
      run.from_month = from.status();
    }
  }
  run.dry_run = req.dry_run();
  run.reason = req.reason();
  return run;
}

void ToProto(const MetricCascade& cascade, int year, bool dry_run, v1::CascadeReply* out) {
  out->set_metric_id(cascade.metric_id);
  out->set_units(cascade.units);
  out->set_dry_run(dry_run);
  if (cascade.root) ToProto(*cascade.root, out->mutable_root());
  for (const UnitPlan& child : cascade.children) ToProto(child, out->add_children());
  ToProto(cascade.diff, year, out->mutable_diff());
  out->set_plan_version(cascade.plan_version);
}

// One metric's cascade is the reply itself; every metric's are its `metrics`.
void ToProto(const CascadeResult& result, bool all_metrics, v1::CascadeReply* out) {
  out->set_dry_run(result.dry_run);
  for (const MetricCascade& cascade : result.metrics) {
    ToProto(cascade, result.year, result.dry_run, all_metrics ? out->add_metrics() : out);
  }
}

// "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SSZ" -> unix micros; day starts at 00:00 UTC.
absl::StatusOr<int64_t> ParseInstant(std::string_view text, bool end_of_day) {
  auto date = Date::Parse(text.substr(0, 10));
  if (!date.ok()) return date.status();
  int64_t seconds = static_cast<int64_t>(date->DayNumber()) * 86400;
  if (text.size() >= 19 && text[10] == 'T') {
    int h = 0, m = 0, s = 0;
    if (std::sscanf(std::string(text.substr(11, 8)).c_str(), "%d:%d:%d", &h, &m, &s) != 3) {
      return absl::InvalidArgumentError("bad time '" + std::string(text) + "'");
    }
    seconds += h * 3600 + m * 60 + s;
  } else if (end_of_day) {
    seconds += 86399;
  }
  return seconds * 1000000;
}

absl::StatusOr<HistoryQuery> HistoryQueryOf(const v1::HistoryRequest& req) {
  HistoryQuery query;
  query.unit_id = req.unit_id();
  query.metric_id = req.metric_id();
  query.actor = req.actor();
  if (!req.since().empty()) {
    auto t = ParseInstant(req.since(), false);
    if (!t.ok()) return t.status();
    query.since_unix_micros = *t;
  }
  if (!req.until().empty()) {
    auto t = ParseInstant(req.until(), true);
    if (!t.ok()) return t.status();
    query.until_unix_micros = *t;
  }
  auto page = ParsePageRequest("history", req.limit(), req.page_token());
  if (!page.ok()) return page.status();
  query.limit = page->limit;
  query.before_cursor = page->after;
  return query;
}

void ToProto(const AuditEntry& entry, v1::AuditEntry* out) {
  out->set_seq(entry.seq);
  out->set_at(FormatTime(entry.at_unix_micros / 1000000));
  out->set_actor(entry.actor);
  out->set_action(entry.action);
  out->set_unit_id(entry.unit_id);
  out->set_metric_id(entry.metric_id);
  out->set_reason(entry.reason);
  out->set_before(entry.before_json);
  out->set_after(entry.after_json);
  out->set_plan_version(entry.plan_version);
  out->set_truncated(entry.truncated);
}

void ToProto(const MetricCheck& check, int year, v1::MetricCheck* out) {
  out->set_metric_id(check.metric_id);
  out->set_planned(check.planned);
  for (const MissingTarget& missing : check.missing) {
    v1::MissingTarget* m = out->add_missing();
    m->set_unit_id(missing.unit_id);
    m->set_name(missing.name);
    m->set_kind(std::string(UnitKindName(missing.kind)));
  }
  for (const StalePlan& stale : check.stale) {
    v1::StalePlan* plan = out->add_stale();
    plan->set_root_unit_id(stale.root_unit_id);
    plan->set_units(stale.units);
    if (stale.planned_at_unix_micros != 0) {
      plan->set_planned_at(FormatTime(stale.planned_at_unix_micros / 1000000));
    }
  }
  for (const HoldMisfit& misfit : check.holds) {
    v1::HoldMisfit* hold = out->add_holds();
    hold->set_unit_id(misfit.hold.unit_id);
    hold->set_period(HeldPeriod(year, misfit.hold.month).ToString());
    hold->set_value(misfit.hold.value);
    hold->set_problem(misfit.problem);
  }
}

}  // namespace

grpc::ServerUnaryReactor* TargetServiceImpl::SetTarget(grpc::CallbackServerContext* ctx,
                                                       const v1::SetTargetRequest* request,
                                                       v1::Target* reply) {
  return ServeUnary(state_, ctx, "/okr.v1.TargetService/SetTarget", request, reply,
                    [this](const Caller& caller, const v1::SetTargetRequest& req, v1::Target* out) {
                      auto target = okr::SetTarget(
                          state_, caller,
                          {req.unit_id(), req.metric_id(), req.year(), req.value(),
                           std::vector<double>(req.seasonality().begin(), req.seasonality().end()),
                           req.reason()});
                      if (!target.ok()) return target.status();
                      out->set_unit_id(target->unit_id);
                      out->set_metric_id(target->metric_id);
                      out->set_year(target->year);
                      out->set_value(target->value);
                      for (double w : target->seasonality) out->add_seasonality(w);
                      out->set_set_by(target->set_by);
                      return absl::OkStatus();
                    });
}

grpc::ServerUnaryReactor* TargetServiceImpl::Cascade(grpc::CallbackServerContext* ctx,
                                                     const v1::CascadeRequest* request,
                                                     v1::CascadeReply* reply) {
  return ServeUnary(
      state_, ctx, "/okr.v1.TargetService/Cascade", request, reply,
      [this](const Caller& caller, const v1::CascadeRequest& req, v1::CascadeReply* out) {
        auto result = RunCascade(state_, caller, CascadeRunOf(req));
        if (!result.ok()) return result.status();
        ToProto(*result, req.all_metrics(), out);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* TargetServiceImpl::Hold(grpc::CallbackServerContext* ctx,
                                                  const v1::HoldRequest* request,
                                                  v1::HoldReply* reply) {
  return ServeUnary(state_, ctx, "/okr.v1.TargetService/Hold", request, reply,
                    [this](const Caller& caller, const v1::HoldRequest& req, v1::HoldReply* out) {
                      // A bad period is refused by SetHold after its unit and metric checks.
                      auto held =
                          SetHold(state_, caller,
                                  {req.unit_id(), req.metric_id(), Period::Parse(req.period()),
                                   req.value(), req.clear(), req.reason()});
                      if (!held.ok()) return held.status();
                      out->set_unit_id(held->unit_id);
                      out->set_metric_id(held->metric_id);
                      out->set_period(held->period.ToString());
                      out->set_held(held->held);
                      out->set_value(held->value);
                      return absl::OkStatus();
                    });
}

grpc::ServerUnaryReactor* TargetServiceImpl::GetBreakdown(grpc::CallbackServerContext* ctx,
                                                          const v1::BreakdownRequest* request,
                                                          v1::Breakdown* reply) {
  return ServeUnary(
      state_, ctx, "/okr.v1.TargetService/GetBreakdown", request, reply,
      [this](const Caller&, const v1::BreakdownRequest& req, v1::Breakdown* out) {
        auto breakdown = okr::GetBreakdown(state_, {req.unit_id(), req.metric_id(), req.year()});
        if (!breakdown.ok()) return breakdown.status();
        out->set_unit_id(breakdown->unit_id);
        out->set_metric_id(breakdown->metric_id);
        out->set_year(breakdown->year);
        out->set_year_target(breakdown->year_target);
        for (double v : breakdown->months) out->add_months(v);
        out->set_plan_version(breakdown->plan_version);
        for (const UnitPlan& child : breakdown->children) ToProto(child, out->add_children());
        for (const Period& held : breakdown->held) out->add_held_months(held.ToString());
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* TargetServiceImpl::History(grpc::CallbackServerContext* ctx,
                                                     const v1::HistoryRequest* request,
                                                     v1::HistoryReply* reply) {
  return ServeUnary(
      state_, ctx, "/okr.v1.TargetService/History", request, reply,
      [this](const Caller& caller, const v1::HistoryRequest& req, v1::HistoryReply* out) {
        auto query = HistoryQueryOf(req);
        if (!query.ok()) return query.status();
        auto page = QueryHistory(state_, caller, *query);
        if (!page.ok()) return page.status();
        for (const AuditEntry& entry : page->entries) ToProto(entry, out->add_entries());
        out->set_next_page_token(PageToken("history", page->next_cursor));
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* TargetServiceImpl::CheckPlans(grpc::CallbackServerContext* ctx,
                                                        const v1::PlanCheckRequest* request,
                                                        v1::PlanCheckReply* reply) {
  return ServeUnary(
      state_, ctx, "/okr.v1.TargetService/CheckPlans", request, reply,
      [this](const Caller& caller, const v1::PlanCheckRequest& req, v1::PlanCheckReply* out) {
        auto check = okr::CheckPlans(state_, caller, {req.year(), req.metric_id(), req.unit_id()});
        if (!check.ok()) return check.status();
        out->set_year(check->year);
        if (check->last_org_change_at_unix_micros != 0) {
          out->set_last_org_change_at(FormatTime(check->last_org_change_at_unix_micros / 1000000));
          out->set_last_org_change(check->last_org_change);
        }
        for (const MetricCheck& metric : check->metrics) {
          ToProto(metric, check->year, out->add_metrics());
        }
        return absl::OkStatus();
      });
}

}  // namespace okr
