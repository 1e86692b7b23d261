#include "services/core/plan_ops.h"

#include <chrono>
#include <cmath>
#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "services/core/apply.h"
#include "services/core/cells_json.h"
#include "services/core/hold_check.h"
#include "services/core/metrics.h"
#include "services/core/plan_changes.h"
#include "services/core/plan_trace.h"
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

UnitPlan RowOf(const Metric& metric, const std::string& unit_id, const MonthValues& months) {
  return UnitPlan{unit_id, YearFigure(metric, months), months};
}

// The children listed under a unit in a breakdown: every unit ever below it, in id order.
std::vector<std::string> ChildrenOf(const OrgSnapshot& org, const std::string& unit_id) {
  return org.ChildrenEver(unit_id);
}

// A child's row as its parent sees it: only the months in which the child sat below `parent`
// (the tree of a month is the tree on its 1st, as in the cascade); the others are 0, so the
// children of a month sum to their parent's month across dated moves. The year figure is
// over those months (a ratio's mean of them). None when the child was never below `parent`
// in the year.
std::optional<UnitPlan> ChildRow(const Metric& metric, const OrgSnapshot& org,
                                 const std::string& parent, const std::string& child, int year,
                                 const MonthValues& months) {
  const Unit* unit = org.Find(child);
  if (unit == nullptr) return std::nullopt;
  MonthValues below{};
  int months_below = 0;
  double sum = 0;
  for (int m = 1; m <= 12; ++m) {
    if (unit->ParentOn(Date{year, m, 1}) != parent) continue;
    below[m - 1] = months[m - 1];
    sum += months[m - 1];
    ++months_below;
  }
  if (months_below == 0) return std::nullopt;
  return UnitPlan{child, metric.kind == MetricKind::kCount ? sum : sum / months_below, below};
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
                                                       const Parsed<std::pair<int, int>>& month) {
  UnitMetricMonth out;
  auto unit = RequireUnit(org, unit_id);
  if (!unit.ok()) return unit.status();
  out.unit = *unit;
  auto metric = RequireMetric(state, metric_id);
  if (!metric.ok()) return metric.status();
  out.metric = *metric;
  if (!month.ok()) return month.status();
  out.year = month->first;
  out.month = month->second;
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

Period HeldPeriod(int year, int month) {
  Period period;
  period.year = year;
  period.kind = month == 0 ? Period::Kind::kYear : Period::Kind::kMonth;
  period.index = month;
  return period;
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
        std::optional<std::string> unit = store::PlanKeyUnit(key);
        store::PlanRecord record;
        if (unit && record.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
          rows[*unit] = std::move(record);
        }
        return true;
      });
  if (!scanned.ok()) return scanned;
  return rows;
}

namespace {

// The row's trace (when the cascade made one) into `record`: the months it traced anew, the
// others as stored before (read only when some month keeps its earlier trace).
absl::Status AddTrace(ServerState& state, const Metric& metric, int year,
                      const std::string& unit_id, const PlanRow& row, int traced_month,
                      store::PlanRecord* record) {
  if (row.trace == nullptr) return absl::OkStatus();
  bool keeps = traced_month >= 1;
  for (int m = 0; m < 12; ++m)
    keeps = keeps || !row.covered[m] || row.trace->rules[m] == CellRule::kGiven;
  store::PlanRecord existing;
  bool had = false;
  if (keeps) {
    auto found =
        state.db().GetProto(store::Cf::kPlans, store::PlanKey(metric.id, year, unit_id), &existing);
    if (!found.ok()) return found.status();
    had = *found;
  }
  const store::PlanRecord* before = had ? &existing : nullptr;
  SetRowTrace(*row.trace, FreshMonths(row, traced_month, before), before, record);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<int64_t> WritePlan(ServerState& state, store::Batch& batch, const Metric& metric,
                                  int year, const std::string& root, const CascadePlan& plan,
                                  const std::map<std::string, MonthValues>& rows,
                                  const CascadeRequest& request, int64_t now_unix_micros,
                                  int traced_month) {
  const int64_t version = state.BumpPlanVersion(batch, metric.id, year);
  for (const auto& [unit_id, months] : rows) {
    store::PlanRecord record;
    for (double v : months) record.add_months(v);
    record.set_plan_version(version);
    record.set_root_unit(root);
    record.set_written_at_unix_micros(now_unix_micros);
    if (unit_id == root) {
      record.set_method(static_cast<int>(request.method));
      for (const auto& [child, weight] : request.weights)
        (*record.mutable_weights())[child] = weight;
      record.set_from_month(request.from_month);
    }
    if (absl::Status s =
            AddTrace(state, metric, year, unit_id, plan.rows.at(unit_id), traced_month, &record);
        !s.ok()) {
      return s;
    }
    batch.PutProto(store::Cf::kPlans, store::PlanKey(metric.id, year, unit_id), record);
  }
  return version;
}

absl::StatusOr<Target> SetTarget(ServerState& state, const Caller& caller,
                                 const TargetChange& change) {
  auto org = state.org();
  if (auto unit = RequireUnit(*org, change.unit_id); !unit.ok()) return unit.status();
  auto metric = RequireMetric(state, change.metric_id);
  if (!metric.ok()) return metric.status();
  if (absl::Status s = CheckYear(change.year); !s.ok()) return s;
  if (absl::Status s = CheckPlanValue(change.value, "target value"); !s.ok()) return s;
  if (metric->kind == MetricKind::kCount && change.value != std::floor(change.value)) {
    return absl::InvalidArgumentError("metric '" + metric->id +
                                      "' counts: its target must be a whole number");
  }
  if (absl::Status s = CheckPercentage(*metric, change.value, "target"); !s.ok()) return s;
  if (!change.seasonality.empty()) {
    if (change.seasonality.size() != 12) {
      return absl::InvalidArgumentError("seasonality needs 12 weights, got " +
                                        std::to_string(change.seasonality.size()));
    }
    double sum = 0;
    for (double w : change.seasonality) {
      if (!std::isfinite(w) || w < 0) {
        return absl::InvalidArgumentError("seasonality weights must be finite and >= 0");
      }
      sum += w;
    }
    if (sum <= 0) return absl::InvalidArgumentError("seasonality weights are all zero");
  }
  std::lock_guard<std::mutex> lock(state.plan_mu);
  store::Command command = NewCommand(state, caller);
  store::SetTargetCommand& set = *command.mutable_set_target();
  set.set_unit_id(change.unit_id);
  set.set_metric_id(metric->id);
  set.set_year(change.year);
  set.set_value(change.value);
  for (double w : change.seasonality) set.add_seasonality(w);
  set.set_reason(change.reason);
  store::TargetRecord record;
  absl::Status s =
      state.commands().Run(std::move(command), [&](const store::Command& c, Applied& applied) {
        return ApplySetTarget(state, c, applied, &record);
      });
  if (!s.ok()) return s;
  return Target{change.unit_id, metric->id,         change.year,
                change.value,   change.seasonality, record.set_by()};
}

absl::Status ApplySetTarget(ServerState& state, const store::Command& command, Applied& applied,
                            store::TargetRecord* out) {
  const store::SetTargetCommand& set = command.set_target();
  const std::string key = store::TargetKey(set.metric_id(), set.year(), set.unit_id());
  store::TargetRecord before;
  auto had = state.db().GetProto(store::Cf::kTargets, key, &before);
  if (!had.ok()) return had.status();
  store::TargetRecord record;
  record.set_unit_id(set.unit_id());
  record.set_metric_id(set.metric_id());
  record.set_year(set.year());
  record.set_value(set.value());
  *record.mutable_seasonality() = set.seasonality();
  record.set_set_by(CallerOf(command).Actor());
  record.set_set_at_unix(command.accepted_unix_micros() / 1000000);

  applied.batch.PutProto(store::Cf::kTargets, key, record);
  store::AuditRecord audit =
      NewAudit(command, "target.set", set.unit_id(), set.metric_id(), set.reason());
  // Before: the target replaced (value null when there was none).
  audit.set_before_json(TargetJson(set.year(), *had ? &before : nullptr).dump());
  audit.set_after_json(TargetJson(set.year(), &record).dump());
  audit.set_plan_version(state.BumpPlanVersion(applied.batch, set.metric_id(), set.year()));
  state.Audit(applied.batch, std::move(audit));
  if (out != nullptr) *out = std::move(record);
  return absl::OkStatus();
}

namespace {

// One metric's cascade, computed and compared with the stored plan, not yet written.
struct PreparedCascade {
  Metric metric;
  CascadeRequest request;
  CascadePlan plan;
  std::map<std::string, MonthValues> rows;  // as WritePlan writes them
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
  out.request.want_row_trace = true;  // stored with the rows for explain
  auto before = LoadPlanRow(state, metric.id, year, root);
  if (!before.ok()) return before.status();
  out.root_before = *before;
  auto plan = Cascade(out.request);
  if (!plan.ok()) return plan.status();
  out.plan = *std::move(plan);
  auto change = DiffAgainstStored(state, org, metric, year, root, out.plan);
  if (!change.ok()) return change.status();
  out.rows = std::move(change->rows);
  out.diff = std::move(change->diff);
  return out;
}

// What the reply shows of a prepared cascade (plan_version 0: not written yet).
MetricCascade MetricCascadeOf(const OrgSnapshot& org, const PreparedCascade& prepared, int year,
                              const std::string& root) {
  const Metric& metric = prepared.metric;
  MetricCascade out;
  out.metric_id = metric.id;
  out.units = prepared.plan.rows.size();
  const auto root_row = prepared.plan.rows.find(root);
  if (root_row != prepared.plan.rows.end()) {
    out.root = RowOf(metric, root, root_row->second.months);
  }
  for (const std::string& child : ChildrenOf(org, root)) {
    auto it = prepared.plan.rows.find(child);
    if (it == prepared.plan.rows.end()) continue;
    if (auto row = ChildRow(metric, org, root, child, year, it->second.months)) {
      out.children.push_back(*std::move(row));
    }
  }
  out.diff = prepared.diff;
  return out;
}

// Adds the plan and its audit entry (the cells it moves, before and after) to `batch`.
absl::StatusOr<int64_t> AddCascadeToBatch(ServerState& state, const store::Command& command,
                                          store::Batch& batch, const PreparedCascade& prepared,
                                          int year, const std::string& root,
                                          const std::string& reason) {
  const Metric& metric = prepared.metric;
  auto version = WritePlan(state, batch, metric, year, root, prepared.plan, prepared.rows,
                           prepared.request, command.accepted_unix_micros());
  if (!version.ok()) return version.status();
  store::AuditRecord audit = NewAudit(command, "cascade", root, metric.id, reason);
  audit.set_plan_version(*version);
  const int from_month = prepared.request.from_month;
  nlohmann::json before = {{"year", year}, {"from", from_month}};
  before["months"] = prepared.root_before ? MonthsJson(*prepared.root_before) : nlohmann::json();
  audit.set_before_json(CellsJsonText(prepared.diff, year, CellsSide::kBefore, before));
  const auto root_row = prepared.plan.rows.find(root);
  nlohmann::json after = {
      {"year", year}, {"units", prepared.plan.rows.size()}, {"from", from_month}};
  after["months"] = root_row != prepared.plan.rows.end() ? MonthsJson(root_row->second.months)
                                                         : nlohmann::json::array();
  audit.set_after_json(CellsJsonText(prepared.diff, year, CellsSide::kAfter, after));
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

// Every metric of a cascade computed against the stored plans, before anything is written:
// all of them or none. Under plan_mu.
absl::StatusOr<std::vector<PreparedCascade>> PrepareCascades(ServerState& state,
                                                             const OrgSnapshot& org,
                                                             const store::CascadeCommand& run) {
  std::vector<Metric> metrics;
  if (run.all_metrics()) {
    for (const Metric& metric : state.Metrics()) {
      auto has = HasSomethingToCascade(state, metric.id, run.year(), run.unit_id());
      if (!has.ok()) return has.status();
      if (*has) metrics.push_back(metric);
    }
    if (metrics.empty()) {
      return absl::FailedPreconditionError(
          "unit '" + run.unit_id() + "' has no target and no plan for any metric in " +
          std::to_string(run.year()) + ": set one with okrctl target set, or cascade from above");
    }
  } else {
    auto metric = RequireMetric(state, run.metric_id());
    if (!metric.ok()) return metric.status();
    metrics.push_back(*metric);
  }
  std::map<std::string, double> weights;
  for (const store::SplitWeight& w : run.weights()) weights[w.unit_id()] = w.weight();
  std::vector<PreparedCascade> prepared;
  for (const Metric& metric : metrics) {
    auto one = PrepareCascade(state, org, metric, run.year(), run.unit_id(),
                              static_cast<SplitMethod>(run.method()), weights, run.from_month());
    if (!one.ok()) {
      Metrics::Global().Add("okr_cascades_total", {{"result", "failed"}});
      if (!run.all_metrics()) return one.status();
      return absl::Status(one.status().code(), "metric '" + metric.id +
                                                   "': " + std::string(one.status().message()) +
                                                   " (nothing was written for any metric)");
    }
    prepared.push_back(*std::move(one));
  }
  return prepared;
}

// What the reply shows of prepared cascades (plan versions 0: not written yet).
CascadeResult CascadeResultOf(const OrgSnapshot& org, const std::vector<PreparedCascade>& prepared,
                              const store::CascadeCommand& run) {
  CascadeResult result;
  result.year = run.year();
  for (const PreparedCascade& one : prepared) {
    result.metrics.push_back(MetricCascadeOf(org, one, run.year(), run.unit_id()));
  }
  return result;
}

}  // namespace

absl::StatusOr<CascadeResult> RunCascade(ServerState& state, const Caller& caller,
                                         const CascadeRun& run) {
  auto org = state.org();
  if (auto unit = RequireUnit(*org, run.unit_id); !unit.ok()) return unit.status();
  std::vector<Metric> metrics;
  if (run.all_metrics) {
    if (!run.metric_id.empty()) {
      return absl::InvalidArgumentError("give a metric or all metrics, not both");
    }
  } else {
    auto metric = RequireMetric(state, run.metric_id);
    if (!metric.ok()) return metric.status();
    metrics.push_back(*metric);
  }
  if (absl::Status s = CheckYear(run.year); !s.ok()) return s;
  if (!run.method.ok()) return run.method.status();
  if (*run.method == SplitMethod::kWeights && run.weights.empty()) {
    return absl::InvalidArgumentError("method weights needs --weights CHILD=W,...");
  }
  for (const auto& [child, weight] : run.weights) {
    if (org->Find(child) == nullptr) {
      return absl::NotFoundError("weights name unknown unit '" + child + "'");
    }
    if (!std::isfinite(weight) || weight < 0) {
      return absl::InvalidArgumentError("weight of '" + child + "' must be finite and >= 0");
    }
  }
  int from_month = 1;
  if (!run.from_month.ok()) return run.from_month.status();
  if (const auto& from = *run.from_month) {
    if (from->first != run.year) {
      return absl::InvalidArgumentError("--from " + MonthText(from->first, from->second) +
                                        " is not in " + std::to_string(run.year));
    }
    from_month = from->second;
  }

  std::lock_guard<std::mutex> lock(state.plan_mu);
  const auto started = std::chrono::steady_clock::now();
  store::Command command = NewCommand(state, caller);
  store::CascadeCommand& cascade = *command.mutable_cascade();
  cascade.set_unit_id(run.unit_id);
  if (!run.all_metrics) cascade.set_metric_id(metrics.front().id);
  cascade.set_all_metrics(run.all_metrics);
  cascade.set_year(run.year);
  cascade.set_method(static_cast<int>(*run.method));
  for (const auto& [child, weight] : run.weights) {
    store::SplitWeight* w = cascade.add_weights();
    w->set_unit_id(child);
    w->set_weight(weight);
  }
  cascade.set_from_month(from_month);
  cascade.set_reason(run.reason);
  if (run.dry_run) {
    auto current = state.org();
    auto prepared = PrepareCascades(state, *current, cascade);
    if (!prepared.ok()) return prepared.status();
    CascadeResult result = CascadeResultOf(*current, *prepared, cascade);
    result.dry_run = true;
    return result;
  }
  CascadeResult result;
  absl::Status s =
      state.commands().Run(std::move(command), [&](const store::Command& c, Applied& applied) {
        return ApplyCascade(state, c, applied, &result);
      });
  if (!s.ok()) return s;
  Metrics::Global().Add("okr_cascades_total", {{"result", "written"}},
                        static_cast<double>(result.metrics.size()));
  Metrics::Global().Observe(
      "okr_cascade_duration_seconds", {},
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  return result;
}

absl::Status ApplyCascade(ServerState& state, const store::Command& command, Applied& applied,
                          CascadeResult* out) {
  const store::CascadeCommand& run = command.cascade();
  auto org = state.org();
  auto prepared = PrepareCascades(state, *org, run);
  if (!prepared.ok()) return prepared.status();
  CascadeResult result = CascadeResultOf(*org, *prepared, run);
  for (size_t i = 0; i < prepared->size(); ++i) {
    auto version = AddCascadeToBatch(state, command, applied.batch, (*prepared)[i], run.year(),
                                     run.unit_id(), run.reason());
    if (!version.ok()) return version.status();
    result.metrics[i].plan_version = *version;
  }
  if (out != nullptr) *out = std::move(result);
  return absl::OkStatus();
}

absl::StatusOr<HoldResult> SetHold(ServerState& state, const Caller& caller,
                                   const HoldChange& change) {
  auto org = state.org();
  if (auto unit = RequireUnit(*org, change.unit_id); !unit.ok()) return unit.status();
  auto metric = RequireMetric(state, change.metric_id);
  if (!metric.ok()) return metric.status();
  if (!change.period.ok()) return change.period.status();
  const Period& period = *change.period;
  if (period.kind == Period::Kind::kQuarter) {
    return absl::InvalidArgumentError("a hold is on a month (YYYY-MM) or a year total (YYYY)");
  }
  if (absl::Status s = CheckYear(period.year); !s.ok()) return s;
  const int month = period.kind == Period::Kind::kMonth ? period.index : 0;
  if (!change.clear) {
    if (absl::Status s = CheckPlanValue(change.value, "hold value"); !s.ok()) return s;
    if (metric->kind == MetricKind::kCount && change.value != std::floor(change.value)) {
      return absl::InvalidArgumentError("metric '" + metric->id +
                                        "' counts: a hold must be a whole number");
    }
    if (absl::Status s = CheckPercentage(*metric, change.value, "hold"); !s.ok()) return s;
  }
  const Hold hold{change.unit_id, month, change.value};
  if (!change.clear) {
    if (absl::Status s = CheckHoldOnActiveAgent(*org, period.year, hold); !s.ok()) return s;
  }
  std::lock_guard<std::mutex> lock(state.plan_mu);
  store::Command command = NewCommand(state, caller);
  store::SetHoldCommand& set = *command.mutable_set_hold();
  set.set_unit_id(change.unit_id);
  set.set_metric_id(metric->id);
  set.set_year(period.year);
  set.set_month(month);
  set.set_value(change.value);
  set.set_clear(change.clear);
  set.set_reason(change.reason);
  absl::Status s = state.commands().Run(
      std::move(command),
      [&](const store::Command& c, Applied& applied) { return ApplySetHold(state, c, applied); });
  if (!s.ok()) return s;
  return HoldResult{change.unit_id, metric->id, period, !change.clear,
                    change.clear ? 0 : change.value};
}

absl::Status ApplySetHold(ServerState& state, const store::Command& command, Applied& applied) {
  const store::SetHoldCommand& set = command.set_hold();
  auto metric = RequireMetric(state, set.metric_id());
  if (!metric.ok()) return metric.status();
  const Hold hold{set.unit_id(), set.month(), set.value()};
  if (!set.clear()) {
    if (absl::Status s = CheckHoldIsCarried(state, *state.org(), *metric, set.year(), hold);
        !s.ok()) {
      return s;
    }
  }
  // The period as the request wrote it: YYYY or YYYY-MM.
  const std::string period_text = HeldPeriod(set.year(), set.month()).ToString();
  const std::string key = store::HoldKey(metric->id, set.year(), set.unit_id(), set.month());
  store::HoldRecord before;
  auto had = state.db().GetProto(store::Cf::kHolds, key, &before);
  if (!had.ok()) return had.status();
  if (set.clear() && !*had) {
    return absl::NotFoundError("no hold on unit '" + set.unit_id() + "', metric '" + metric->id +
                               "', " + period_text);
  }
  store::AuditRecord audit = NewAudit(command, "", set.unit_id(), metric->id, set.reason());
  // A value of null is no hold.
  audit.set_before_json(nlohmann::json{
      {"period", period_text}, {"value", *had ? nlohmann::json(before.value()) : nlohmann::json()}}
                            .dump());
  if (set.clear()) {
    applied.batch.Delete(store::Cf::kHolds, key);
    audit.set_action("hold.clear");
    audit.set_after_json(nlohmann::json{{"period", period_text}, {"value", nullptr}}.dump());
  } else {
    store::HoldRecord record;
    record.set_value(set.value());
    record.set_set_by(CallerOf(command).Actor());
    record.set_set_at_unix(command.accepted_unix_micros() / 1000000);
    record.set_reason(set.reason());
    applied.batch.PutProto(store::Cf::kHolds, key, record);
    audit.set_action("hold.set");
    audit.set_after_json(nlohmann::json{{"period", period_text}, {"value", set.value()}}.dump());
  }
  audit.set_plan_version(state.BumpPlanVersion(applied.batch, metric->id, set.year()));
  state.Audit(applied.batch, std::move(audit));
  return absl::OkStatus();
}

absl::StatusOr<Breakdown> GetBreakdown(ServerState& state, const BreakdownQuery& query) {
  auto org = state.org();
  if (auto unit = RequireUnit(*org, query.unit_id); !unit.ok()) return unit.status();
  auto metric = RequireMetric(state, query.metric_id);
  if (!metric.ok()) return metric.status();
  if (absl::Status s = CheckYear(query.year); !s.ok()) return s;
  // One plan version: its months, its children's rows, its holds and the version itself, all
  // from one snapshot, with no lock (a cascade or a close never holds a breakdown up). The
  // version is the stored one, written in the same batch as the rows: the writers' in-memory
  // figure runs ahead of what is committed, and pairing it with the old months would make a
  // proposal based on them be refused as an invalid total instead of as stale.
  store::ReadSnapshot snapshot(state.db());
  auto months = LoadPlanRow(state, metric->id, query.year, query.unit_id);
  if (!months.ok()) return months.status();
  if (!months->has_value()) {
    return absl::NotFoundError("no plan for unit '" + query.unit_id + "', metric '" + metric->id +
                               "', " + std::to_string(query.year) +
                               ": set a target and cascade it");
  }
  Breakdown out;
  out.unit_id = query.unit_id;
  out.metric_id = metric->id;
  out.year = query.year;
  out.year_target = YearFigure(*metric, **months);
  out.months = **months;
  auto version = state.StoredPlanVersion(metric->id, query.year);
  if (!version.ok()) return version.status();
  out.plan_version = *version;
  for (const std::string& child : ChildrenOf(*org, query.unit_id)) {
    auto child_months = LoadPlanRow(state, metric->id, query.year, child);
    if (!child_months.ok()) return child_months.status();
    if (!child_months->has_value()) continue;
    if (auto row = ChildRow(*metric, *org, query.unit_id, child, query.year, **child_months)) {
      out.children.push_back(*std::move(row));
    }
  }
  auto holds = LoadHolds(state, metric->id, query.year);
  if (!holds.ok()) return holds.status();
  for (const Hold& hold : *holds) {
    if (hold.unit_id == query.unit_id) out.held.push_back(HeldPeriod(query.year, hold.month));
  }
  return out;
}

}  // namespace okr
