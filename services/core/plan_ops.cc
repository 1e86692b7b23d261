#include "services/core/plan_ops.h"

#include <chrono>
#include <cmath>
#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "services/core/hold_check.h"
#include "services/core/metrics.h"
#include "services/core/plan_changes.h"
#include "store/codecs.h"
#include "store/keys.h"

namespace okr {
namespace {

nlohmann::json MonthsJson(const MonthValues& months) {
  nlohmann::json out = nlohmann::json::array();
  for (double v : months) out.push_back(v);
  return out;
}

MonthValues FromRepeated(const google::protobuf::RepeatedField<double>& values) {
  MonthValues months{};
  for (int i = 0; i < 12 && i < values.size(); ++i) months[i] = values[i];
  return months;
}

absl::StatusOr<const Unit*> RequireUnit(const OrgSnapshot& org, std::string_view unit_id) {
  if (unit_id.empty()) return absl::InvalidArgumentError("unit_id is required");
  const Unit* unit = org.Find(unit_id);
  if (unit == nullptr) return absl::NotFoundError("no unit '" + std::string(unit_id) + "'");
  return unit;
}

void FillRow(const Metric& metric, const std::string& unit_id, const MonthValues& months,
             v1::PlanRow* row) {
  row->set_unit_id(unit_id);
  row->set_year_target(YearFigure(metric, months));
  for (double v : months) row->add_months(v);
}

// The children listed under a unit in a breakdown: every unit ever below it, in id order.
std::vector<std::string> ChildrenOf(const OrgSnapshot& org, const std::string& unit_id) {
  return org.ChildrenEver(unit_id);
}

// A child's row as its parent sees it: only the months in which the child sat below `parent`
// (the tree of a month is the tree on its 1st, as in the cascade); the others are 0, so the
// children of a month sum to their parent's month across dated moves. The year figure is
// over those months (a ratio's mean of them). False when the child was never below `parent`
// in the year.
bool FillChildRow(const Metric& metric, const OrgSnapshot& org, const std::string& parent,
                  const std::string& child, int year, const MonthValues& months, v1::PlanRow* row) {
  const Unit* unit = org.Find(child);
  if (unit == nullptr) return false;
  MonthValues below{};
  int months_below = 0;
  double sum = 0;
  for (int m = 1; m <= 12; ++m) {
    if (unit->ParentOn(Date{year, m, 1}) != parent) continue;
    below[m - 1] = months[m - 1];
    sum += months[m - 1];
    ++months_below;
  }
  if (months_below == 0) return false;
  row->set_unit_id(child);
  row->set_year_target(metric.kind == MetricKind::kCount ? sum : sum / months_below);
  for (double v : below) row->add_months(v);
  return true;
}

// A target for the audit: {"year", "value", "seasonality"} (null when none; seasonality null
// when the year is spread by days).
nlohmann::json TargetJson(int year, const store::TargetRecord* target) {
  nlohmann::json seasonality;
  if (target != nullptr && target->seasonality_size() == 12) {
    seasonality = MonthsJson(FromRepeated(target->seasonality()));
  }
  return {{"year", year},
          {"value", target != nullptr ? nlohmann::json(target->value()) : nlohmann::json()},
          {"seasonality", seasonality}};
}

}  // namespace

double YearFigure(const Metric& metric, const MonthValues& months) {
  return YearFigureOf(metric, months);
}

absl::StatusOr<Metric> RequireMetric(const ServerState& state, std::string_view metric_id) {
  if (metric_id.empty()) return absl::InvalidArgumentError("metric is required");
  auto metric = state.FindMetric(metric_id);
  if (!metric) {
    return absl::NotFoundError("no metric '" + std::string(metric_id) +
                               "' (define it with okrctl metric define)");
  }
  return *metric;
}

absl::StatusOr<UnitMetricMonth> ResolveUnitMetricMonth(const ServerState& state,
                                                       const OrgSnapshot& org,
                                                       std::string_view unit_id,
                                                       std::string_view metric_id,
                                                       std::string_view month) {
  UnitMetricMonth out;
  auto unit = RequireUnit(org, unit_id);
  if (!unit.ok()) return unit.status();
  out.unit = *unit;
  auto metric = RequireMetric(state, metric_id);
  if (!metric.ok()) return metric.status();
  out.metric = *metric;
  auto ym = ParseYearMonth(month);
  if (!ym.ok()) return ym.status();
  out.year = ym->first;
  out.month = ym->second;
  return out;
}

absl::Status CheckPlanValue(double value, std::string_view what) {
  if (!std::isfinite(value) || value < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(std::string(what), " must be a finite number >= 0"));
  }
  if (value > kMaxPlanValue) {
    return absl::OutOfRangeError(
        absl::StrCat(std::string(what), " ", value, " is above the largest plan value ", "10^15"));
  }
  return absl::OkStatus();
}

absl::Status CheckPercentage(const Metric& metric, double value, std::string_view what) {
  if (!IsPercentage(metric) || value <= 100) {
    return absl::OkStatus();
  }
  return absl::OutOfRangeError(absl::StrCat("metric '", metric.id, "' is a percentage: its ",
                                            std::string(what), " must be within 0-100, got ",
                                            value));
}

absl::Status RequireYear(int year) {
  if (year < 1900 || year > 9999) {
    return absl::InvalidArgumentError("bad year " + std::to_string(year) + ": expected 1900..9999");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<MonthValues>> LoadPlanRow(ServerState& state,
                                                       std::string_view metric_id, int year,
                                                       std::string_view unit_id) {
  store::PlanRecord record;
  auto found =
      state.db().GetProto(store::Cf::kPlans, store::PlanKey(metric_id, year, unit_id), &record);
  if (!found.ok()) return found.status();
  if (!*found) return std::optional<MonthValues>();
  return std::optional<MonthValues>(FromRepeated(record.months()));
}

absl::StatusOr<std::vector<Hold>> LoadHolds(ServerState& state, std::string_view metric_id,
                                            int year) {
  std::vector<Hold> holds;
  absl::Status scanned = state.db().Scan(
      store::Cf::kHolds, store::HoldPrefix(metric_id, year),
      [&](std::string_view key, std::string_view value) {
        store::KeyReader reader(key);
        reader.Str();
        reader.I32();
        auto unit = reader.Str();
        auto month = reader.I32();
        store::HoldRecord record;
        if (unit && month && record.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
          holds.push_back(Hold{*unit, *month, record.value()});
        }
        return true;
      });
  if (!scanned.ok()) return scanned;
  return holds;
}

absl::StatusOr<CascadeRequest> BuildCascadeRequest(ServerState& state, const Metric& metric,
                                                   int year, const std::string& root,
                                                   SplitMethod method,
                                                   std::map<std::string, double> weights,
                                                   int from_month) {
  CascadeRequest request;
  request.metric = metric;
  request.year = year;
  request.root_unit = root;
  request.method = method;
  request.weights = std::move(weights);
  request.from_month = from_month;

  store::TargetRecord target;
  auto has_target =
      state.db().GetProto(store::Cf::kTargets, store::TargetKey(metric.id, year, root), &target);
  if (!has_target.ok()) return has_target.status();
  if (*has_target) {
    request.year_target = target.value();
    if (target.seasonality_size() == 12) request.seasonality = FromRepeated(target.seasonality());
  } else {
    auto months = LoadPlanRow(state, metric.id, year, root);
    if (!months.ok()) return months.status();
    if (!months->has_value()) {
      return absl::FailedPreconditionError(
          "no target for unit '" + root + "', metric '" + metric.id + "', " + std::to_string(year) +
          ": set one with okrctl target set, or cascade from above");
    }
    request.root_months = **months;
  }
  auto holds = LoadHolds(state, metric.id, year);
  if (!holds.ok()) return holds.status();
  request.holds = *std::move(holds);
  if (from_month > 1) {
    auto rows = LoadPlanRows(state, metric.id, year);
    if (!rows.ok()) return rows.status();
    for (const auto& [unit, record] : *rows) {
      request.previous_plan[unit] = FromRepeated(record.months());
    }
  }
  return request;
}

absl::StatusOr<std::map<std::string, store::PlanRecord>> LoadPlanRows(ServerState& state,
                                                                      std::string_view metric_id,
                                                                      int year) {
  std::map<std::string, store::PlanRecord> rows;
  absl::Status scanned = state.db().Scan(
      store::Cf::kPlans, store::PlanPrefix(metric_id, year),
      [&](std::string_view key, std::string_view value) {
        store::KeyReader reader(key);
        reader.Str();
        reader.I32();
        auto unit = reader.Str();
        store::PlanRecord record;
        if (unit && record.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
          rows[*unit] = std::move(record);
        }
        return true;
      });
  if (!scanned.ok()) return scanned;
  return rows;
}

absl::StatusOr<int64_t> WritePlan(ServerState& state, store::Batch& batch, const Metric& metric,
                                  int year, const std::string& root, const CascadePlan& plan,
                                  const CascadeRequest& request) {
  auto rows = RowsAsWritten(state, metric, year, plan);
  if (!rows.ok()) return rows.status();
  const int64_t version = state.BumpPlanVersion(batch, metric.id, year);
  const int64_t now = state.clock().now_unix_micros();
  for (const auto& [unit_id, months] : *rows) {
    store::PlanRecord record;
    for (double v : months) record.add_months(v);
    record.set_plan_version(version);
    record.set_root_unit(root);
    record.set_written_at_unix_micros(now);
    if (unit_id == root) {
      record.set_method(static_cast<int>(request.method));
      for (const auto& [child, weight] : request.weights)
        (*record.mutable_weights())[child] = weight;
      record.set_from_month(request.from_month);
    }
    batch.PutProto(store::Cf::kPlans, store::PlanKey(metric.id, year, unit_id), record);
  }
  return version;
}

absl::Status SetTarget(ServerState& state, const Caller& caller, const v1::SetTargetRequest& req,
                       v1::Target* out) {
  auto org = state.org();
  if (auto unit = RequireUnit(*org, req.unit_id()); !unit.ok()) return unit.status();
  auto metric = RequireMetric(state, req.metric_id());
  if (!metric.ok()) return metric.status();
  if (absl::Status s = RequireYear(req.year()); !s.ok()) return s;
  if (absl::Status s = CheckPlanValue(req.value(), "target value"); !s.ok()) return s;
  if (metric->kind == MetricKind::kCount && req.value() != std::floor(req.value())) {
    return absl::InvalidArgumentError("metric '" + metric->id +
                                      "' counts: its target must be a whole number");
  }
  if (absl::Status s = CheckPercentage(*metric, req.value(), "target"); !s.ok()) return s;
  if (req.seasonality_size() != 0) {
    if (req.seasonality_size() != 12) {
      return absl::InvalidArgumentError("seasonality needs 12 weights, got " +
                                        std::to_string(req.seasonality_size()));
    }
    double sum = 0;
    for (double w : req.seasonality()) {
      if (!std::isfinite(w) || w < 0) {
        return absl::InvalidArgumentError("seasonality weights must be finite and >= 0");
      }
      sum += w;
    }
    if (sum <= 0) return absl::InvalidArgumentError("seasonality weights are all zero");
  }
  std::lock_guard<std::mutex> lock(state.plan_mu);
  const std::string key = store::TargetKey(metric->id, req.year(), req.unit_id());
  store::TargetRecord before;
  auto had = state.db().GetProto(store::Cf::kTargets, key, &before);
  if (!had.ok()) return had.status();
  store::TargetRecord record;
  record.set_unit_id(req.unit_id());
  record.set_metric_id(metric->id);
  record.set_year(req.year());
  record.set_value(req.value());
  *record.mutable_seasonality() = req.seasonality();
  record.set_set_by(caller.Actor());
  record.set_set_at_unix(state.clock().NowUnix());

  store::Batch batch = state.db().NewBatch();
  batch.PutProto(store::Cf::kTargets, key, record);
  store::AuditRecord audit;
  audit.set_actor(caller.Actor());
  audit.set_action("target.set");
  audit.set_unit_id(req.unit_id());
  audit.set_metric_id(metric->id);
  audit.set_reason(req.reason());
  // Before: the target replaced (value null when there was none).
  audit.set_before_json(TargetJson(req.year(), *had ? &before : nullptr).dump());
  audit.set_after_json(TargetJson(req.year(), &record).dump());
  audit.set_plan_version(state.BumpPlanVersion(batch, metric->id, req.year()));
  state.Audit(batch, std::move(audit));
  if (absl::Status s = state.db().Commit(batch); !s.ok()) return s;

  out->set_unit_id(req.unit_id());
  out->set_metric_id(metric->id);
  out->set_year(req.year());
  out->set_value(req.value());
  *out->mutable_seasonality() = req.seasonality();
  out->set_set_by(record.set_by());
  return absl::OkStatus();
}

namespace {

absl::StatusOr<SplitMethod> MethodOf(const v1::CascadeRequest& req) {
  switch (req.method()) {
    case v1::SPLIT_METHOD_UNSPECIFIED:
    case v1::SPLIT_METHOD_FTE:
      return SplitMethod::kFte;
    case v1::SPLIT_METHOD_EVEN:
      return SplitMethod::kEven;
    case v1::SPLIT_METHOD_WEIGHTS:
      if (req.weights().empty()) {
        return absl::InvalidArgumentError("method weights needs --weights CHILD=W,...");
      }
      return SplitMethod::kWeights;
    default:
      return absl::InvalidArgumentError("unknown split method");
  }
}

// One metric's cascade, computed and compared with the stored plan, not yet written.
struct PreparedCascade {
  Metric metric;
  CascadeRequest request;
  CascadePlan plan;
  PlanDiff diff;
  std::optional<MonthValues> root_before;
};

// Under plan_mu.
absl::StatusOr<PreparedCascade> PrepareCascade(ServerState& state, const OrgSnapshot& org,
                                               const Metric& metric, int year,
                                               const std::string& root, SplitMethod method,
                                               const std::map<std::string, double>& weights,
                                               int from_month) {
  PreparedCascade out;
  out.metric = metric;
  auto request = BuildCascadeRequest(state, metric, year, root, method, weights, from_month);
  if (!request.ok()) return request.status();
  out.request = *std::move(request);
  out.request.org = &org;
  auto before = LoadPlanRow(state, metric.id, year, root);
  if (!before.ok()) return before.status();
  out.root_before = *before;
  auto plan = Cascade(out.request);
  if (!plan.ok()) return plan.status();
  out.plan = *std::move(plan);
  auto diff = DiffAgainstStored(state, org, metric, year, root, out.plan);
  if (!diff.ok()) return diff.status();
  out.diff = *std::move(diff);
  return out;
}

void FillCascadeReply(const OrgSnapshot& org, const PreparedCascade& prepared, int year,
                      const std::string& root, bool dry_run, v1::CascadeReply* out) {
  const Metric& metric = prepared.metric;
  out->set_metric_id(metric.id);
  out->set_units(prepared.plan.rows.size());
  out->set_dry_run(dry_run);
  const auto root_row = prepared.plan.rows.find(root);
  if (root_row != prepared.plan.rows.end()) {
    FillRow(metric, root, root_row->second.months, out->mutable_root());
  }
  for (const std::string& child : ChildrenOf(org, root)) {
    auto it = prepared.plan.rows.find(child);
    if (it == prepared.plan.rows.end()) continue;
    v1::PlanRow row;
    if (FillChildRow(metric, org, root, child, year, it->second.months, &row)) {
      *out->add_children() = std::move(row);
    }
  }
  ToProto(prepared.diff, year, out->mutable_diff());
}

// Adds the plan and its audit entry (the cells it moves, before and after) to `batch`.
absl::StatusOr<int64_t> AddCascadeToBatch(ServerState& state, const Caller& caller,
                                          store::Batch& batch, const PreparedCascade& prepared,
                                          int year, const std::string& root,
                                          const std::string& reason) {
  const Metric& metric = prepared.metric;
  auto version = WritePlan(state, batch, metric, year, root, prepared.plan, prepared.request);
  if (!version.ok()) return version.status();
  store::AuditRecord audit;
  audit.set_actor(caller.Actor());
  audit.set_action("cascade");
  audit.set_unit_id(root);
  audit.set_metric_id(metric.id);
  audit.set_reason(reason);
  audit.set_plan_version(*version);
  const int from_month = prepared.request.from_month;
  nlohmann::json before = CellsBeforeJson(prepared.diff, year);
  before["year"] = year;
  before["from"] = from_month;
  before["months"] = prepared.root_before ? MonthsJson(*prepared.root_before) : nlohmann::json();
  audit.set_before_json(before.dump());
  const auto root_row = prepared.plan.rows.find(root);
  nlohmann::json after = CellsAfterJson(prepared.diff, year);
  after["year"] = year;
  after["units"] = prepared.plan.rows.size();
  after["from"] = from_month;
  after["months"] = root_row != prepared.plan.rows.end() ? MonthsJson(root_row->second.months)
                                                         : nlohmann::json::array();
  audit.set_after_json(after.dump());
  state.Audit(batch, std::move(audit));
  return version;
}

// True when `unit` has a target or a plan row for (metric, year): something to cascade.
absl::StatusOr<bool> HasSomethingToCascade(ServerState& state, const std::string& metric_id,
                                           int year, const std::string& unit) {
  auto target = state.db().Get(store::Cf::kTargets, store::TargetKey(metric_id, year, unit));
  if (!target.ok()) return target.status();
  if (target->has_value()) return true;
  auto plan = LoadPlanRow(state, metric_id, year, unit);
  if (!plan.ok()) return plan.status();
  return plan->has_value();
}

}  // namespace

absl::Status RunCascade(ServerState& state, const Caller& caller, const v1::CascadeRequest& req,
                        v1::CascadeReply* out) {
  auto org = state.org();
  if (auto unit = RequireUnit(*org, req.unit_id()); !unit.ok()) return unit.status();
  std::vector<Metric> metrics;
  if (req.all_metrics()) {
    if (!req.metric_id().empty()) {
      return absl::InvalidArgumentError("give a metric or all metrics, not both");
    }
  } else {
    auto metric = RequireMetric(state, req.metric_id());
    if (!metric.ok()) return metric.status();
    metrics.push_back(*metric);
  }
  if (absl::Status s = RequireYear(req.year()); !s.ok()) return s;
  auto method = MethodOf(req);
  if (!method.ok()) return method.status();
  std::map<std::string, double> weights;
  for (const auto& [child, weight] : req.weights()) {
    if (org->Find(child) == nullptr) {
      return absl::NotFoundError("weights name unknown unit '" + child + "'");
    }
    if (!std::isfinite(weight) || weight < 0) {
      return absl::InvalidArgumentError("weight of '" + child + "' must be finite and >= 0");
    }
    weights[child] = weight;
  }
  int from_month = 1;
  if (!req.from_month().empty()) {
    auto ym = ParseYearMonth(req.from_month());
    if (!ym.ok()) return ym.status();
    if (ym->first != req.year()) {
      return absl::InvalidArgumentError("--from " + req.from_month() + " is not in " +
                                        std::to_string(req.year()));
    }
    from_month = ym->second;
  }

  std::lock_guard<std::mutex> lock(state.plan_mu);
  const auto started = std::chrono::steady_clock::now();
  if (req.all_metrics()) {
    for (const Metric& metric : state.Metrics()) {
      auto has = HasSomethingToCascade(state, metric.id, req.year(), req.unit_id());
      if (!has.ok()) return has.status();
      if (*has) metrics.push_back(metric);
    }
    if (metrics.empty()) {
      return absl::FailedPreconditionError(
          "unit '" + req.unit_id() + "' has no target and no plan for any metric in " +
          std::to_string(req.year()) + ": set one with okrctl target set, or cascade from above");
    }
  }
  // Every metric is computed before anything is written: all of them or none.
  std::vector<PreparedCascade> prepared;
  for (const Metric& metric : metrics) {
    auto one = PrepareCascade(state, *org, metric, req.year(), req.unit_id(), *method, weights,
                              from_month);
    if (!one.ok()) {
      Metrics::Global().Add("okr_cascades_total", {{"result", "failed"}});
      if (!req.all_metrics()) return one.status();
      return absl::Status(one.status().code(), "metric '" + metric.id +
                                                   "': " + std::string(one.status().message()) +
                                                   " (nothing was written for any metric)");
    }
    prepared.push_back(*std::move(one));
  }

  std::vector<v1::CascadeReply*> replies;
  out->set_dry_run(req.dry_run());
  for (const PreparedCascade& one : prepared) {
    v1::CascadeReply* reply = req.all_metrics() ? out->add_metrics() : out;
    FillCascadeReply(*org, one, req.year(), req.unit_id(), req.dry_run(), reply);
    replies.push_back(reply);
  }
  if (req.dry_run()) return absl::OkStatus();

  store::Batch batch = state.db().NewBatch();
  std::vector<int64_t> versions;
  for (const PreparedCascade& one : prepared) {
    auto version =
        AddCascadeToBatch(state, caller, batch, one, req.year(), req.unit_id(), req.reason());
    if (!version.ok()) return version.status();
    versions.push_back(*version);
  }
  if (absl::Status s = state.db().Commit(batch); !s.ok()) return s;
  for (size_t i = 0; i < replies.size(); ++i) {
    replies[i]->set_plan_version(versions[i]);
    Metrics::Global().Add("okr_cascades_total", {{"result", "written"}});
  }
  Metrics::Global().Observe(
      "okr_cascade_duration_seconds", {},
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  return absl::OkStatus();
}

absl::Status SetHold(ServerState& state, const Caller& caller, const v1::HoldRequest& req,
                     v1::HoldReply* out) {
  auto org = state.org();
  if (auto unit = RequireUnit(*org, req.unit_id()); !unit.ok()) return unit.status();
  auto metric = RequireMetric(state, req.metric_id());
  if (!metric.ok()) return metric.status();
  auto period = Period::Parse(req.period());
  if (!period.ok()) return period.status();
  if (period->kind == Period::Kind::kQuarter) {
    return absl::InvalidArgumentError("a hold is on a month (YYYY-MM) or a year total (YYYY)");
  }
  if (absl::Status s = RequireYear(period->year); !s.ok()) return s;
  const int month = period->kind == Period::Kind::kMonth ? period->index : 0;
  if (!req.clear()) {
    if (absl::Status s = CheckPlanValue(req.value(), "hold value"); !s.ok()) return s;
    if (metric->kind == MetricKind::kCount && req.value() != std::floor(req.value())) {
      return absl::InvalidArgumentError("metric '" + metric->id +
                                        "' counts: a hold must be a whole number");
    }
    if (absl::Status s = CheckPercentage(*metric, req.value(), "hold"); !s.ok()) return s;
  }
  const Hold hold{req.unit_id(), month, req.value()};
  if (!req.clear()) {
    if (absl::Status s = CheckHoldOnActiveAgent(*org, period->year, hold); !s.ok()) return s;
  }
  std::lock_guard<std::mutex> lock(state.plan_mu);
  if (!req.clear()) {
    if (absl::Status s = CheckHoldIsCarried(state, *org, *metric, period->year, hold); !s.ok()) {
      return s;
    }
  }
  const std::string key = store::HoldKey(metric->id, period->year, req.unit_id(), month);
  store::HoldRecord before;
  auto had = state.db().GetProto(store::Cf::kHolds, key, &before);
  if (!had.ok()) return had.status();
  if (req.clear() && !*had) {
    return absl::NotFoundError("no hold on unit '" + req.unit_id() + "', metric '" + metric->id +
                               "', " + req.period());
  }
  store::Batch batch = state.db().NewBatch();
  store::AuditRecord audit;
  audit.set_actor(caller.Actor());
  audit.set_unit_id(req.unit_id());
  audit.set_metric_id(metric->id);
  audit.set_reason(req.reason());
  // Both sides name the period; a value of null is no hold.
  const std::string period_text = period->ToString();
  audit.set_before_json(nlohmann::json{
      {"period", period_text}, {"value", *had ? nlohmann::json(before.value()) : nlohmann::json()}}
                            .dump());
  if (req.clear()) {
    batch.Delete(store::Cf::kHolds, key);
    audit.set_action("hold.clear");
    audit.set_after_json(nlohmann::json{{"period", period_text}, {"value", nullptr}}.dump());
  } else {
    store::HoldRecord record;
    record.set_value(req.value());
    record.set_set_by(caller.Actor());
    record.set_set_at_unix(state.clock().NowUnix());
    record.set_reason(req.reason());
    batch.PutProto(store::Cf::kHolds, key, record);
    audit.set_action("hold.set");
    audit.set_after_json(nlohmann::json{{"period", period_text}, {"value", req.value()}}.dump());
  }
  audit.set_plan_version(state.BumpPlanVersion(batch, metric->id, period->year));
  state.Audit(batch, std::move(audit));
  if (absl::Status s = state.db().Commit(batch); !s.ok()) return s;
  out->set_unit_id(req.unit_id());
  out->set_metric_id(metric->id);
  out->set_period(period->ToString());
  out->set_held(!req.clear());
  out->set_value(req.clear() ? 0 : req.value());
  return absl::OkStatus();
}

absl::Status GetBreakdown(ServerState& state, const v1::BreakdownRequest& req, v1::Breakdown* out) {
  auto org = state.org();
  if (auto unit = RequireUnit(*org, req.unit_id()); !unit.ok()) return unit.status();
  auto metric = RequireMetric(state, req.metric_id());
  if (!metric.ok()) return metric.status();
  if (absl::Status s = RequireYear(req.year()); !s.ok()) return s;
  // One plan version: its months, its children's rows, its holds and the version itself, all
  // from one snapshot, with no lock (a cascade or a close never holds a breakdown up). The
  // version is the stored one, written in the same batch as the rows: the writers' in-memory
  // figure runs ahead of what is committed, and pairing it with the old months would make a
  // proposal based on them be refused as an invalid total instead of as stale.
  store::ReadSnapshot snapshot(state.db());
  auto months = LoadPlanRow(state, metric->id, req.year(), req.unit_id());
  if (!months.ok()) return months.status();
  if (!months->has_value()) {
    return absl::NotFoundError("no plan for unit '" + req.unit_id() + "', metric '" + metric->id +
                               "', " + std::to_string(req.year()) +
                               ": set a target and cascade it");
  }
  out->set_unit_id(req.unit_id());
  out->set_metric_id(metric->id);
  out->set_year(req.year());
  out->set_year_target(YearFigure(*metric, **months));
  for (double v : **months) out->add_months(v);
  auto version = state.StoredPlanVersion(metric->id, req.year());
  if (!version.ok()) return version.status();
  out->set_plan_version(*version);
  for (const std::string& child : ChildrenOf(*org, req.unit_id())) {
    auto child_months = LoadPlanRow(state, metric->id, req.year(), child);
    if (!child_months.ok()) return child_months.status();
    v1::PlanRow row;
    if (child_months->has_value() &&
        FillChildRow(*metric, *org, req.unit_id(), child, req.year(), **child_months, &row)) {
      *out->add_children() = std::move(row);
    }
  }
  auto holds = LoadHolds(state, metric->id, req.year());
  if (!holds.ok()) return holds.status();
  for (const Hold& hold : *holds) {
    if (hold.unit_id != req.unit_id()) continue;
    Period p;
    p.year = req.year();
    p.kind = hold.month == 0 ? Period::Kind::kYear : Period::Kind::kMonth;
    p.index = hold.month;
    out->add_held_months(p.ToString());
  }
  return absl::OkStatus();
}

}  // namespace okr
