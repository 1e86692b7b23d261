#include "services/core/explain_ops.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "services/core/outcomes.h"
#include "services/core/plan_ops.h"
#include "services/core/plan_trace.h"
#include "services/core/progress_ops.h"
#include "store/codecs.h"

namespace okr {
namespace {

std::string Num(double v) {
  char buf[64];
  if (v == std::floor(v) && std::fabs(v) < 1e15) {
    std::snprintf(buf, sizeof buf, "%.0f", v);
  } else {
    std::snprintf(buf, sizeof buf, "%.4f", v);
    std::string text = buf;
    while (text.back() == '0') text.pop_back();
    if (text.back() == '.') text.pop_back();
    return text;
  }
  return buf;
}

// The rule names of the contract; the cascade's "year_hold" and "kept" keep their names.
std::string RuleName(const std::string& rule) { return rule; }

std::string Detail(const CellTrace& t, const std::string& parent, bool is_root_month) {
  std::string d;
  if (t.rule == "hold") return "held at this value by a person (a cascade never moves it)";
  if (t.rule == "kept") return "kept from the earlier plan (re-plan --from a later month)";
  if (t.rule == "inherit") return "ratio target inherited from " + parent;
  if (t.rule == "year_hold") {
    d = "part of a held year total, spread in proportion to " + parent + "'s months";
  } else if (is_root_month) {
    d = (t.rule == "seasonality" ? "seasonality weight " : "days in month ") + Num(t.weight) +
        " of " + Num(t.weight_total) + " x " + Num(t.pool);
  } else {
    d = t.rule + " weight " + Num(t.weight) + " of " + Num(t.weight_total) + " x " + Num(t.pool) +
        " left of " + parent + "'s month after holds";
  }
  d += " = " + Num(t.exact_share);
  if (t.remainder_unit) d += "; +1 by largest remainder";
  return d;
}

bool IsRootMonthRule(const std::string& rule) { return rule == "seasonality" || rule == "days"; }

// The month's steps from `down` (the root first) read from the rows' stored traces: one read
// a unit. None when a row on the chain is missing or has no trace for the month (written
// before traces were kept) or took its months as given with nothing stored before them.
absl::StatusOr<std::optional<std::vector<ChainStep>>> StoredChain(
    ServerState& state, const std::string& metric_id, int year, int month,
    const std::vector<std::string>& down) {
  std::vector<ChainStep> steps;
  const std::string month_text = MonthText(year, month);
  store::PlanRecord parent, row;
  for (size_t i = 0; i < down.size(); ++i) {
    row.Clear();
    auto found =
        state.db().GetProto(store::Cf::kPlans, store::PlanKey(metric_id, year, down[i]), &row);
    if (!found.ok()) return found.status();
    if (!*found || row.months_size() < month) return std::optional<std::vector<ChainStep>>();
    const double value = row.months(month - 1);
    auto trace = StoredCellTrace(row, i == 0 ? nullptr : &parent, month, value);
    if (!trace || trace->rule == "given") return std::optional<std::vector<ChainStep>>();
    std::string detail = Detail(*trace, i == 0 ? std::to_string(year) : down[i - 1],
                                i == 0 || IsRootMonthRule(trace->rule));
    // A unit below the root whose own annual target was cascaded since.
    if (i > 0 && IsRootMonthRule(trace->rule)) detail += " (of its own annual target)";
    steps.push_back({down[i], month_text, value, trace->rule, std::move(detail)});
    parent.Swap(&row);
  }
  return std::optional<std::vector<ChainStep>>(std::move(steps));
}

// The month's steps from `down` (the root first) by replaying, with a trace, the root's
// cascade with the split it was last cascaded with and the holds as stored: for rows written
// before traces were stored. Each step's value is the stored cell; a step whose replayed
// value differs (inputs changed since the last cascade) says so in its detail.
absl::StatusOr<std::vector<ChainStep>> ReplayChain(ServerState& state, const OrgSnapshot& org,
                                                   const Metric& metric, int year, int month,
                                                   const store::PlanRecord& root_record,
                                                   const std::vector<std::string>& down) {
  const std::string& root = down.front();
  std::map<std::string, double> weights(root_record.weights().begin(), root_record.weights().end());
  const int from_month = root_record.from_month() == 0 ? 1 : root_record.from_month();
  auto request =
      BuildCascadeRequest(state, metric, year, root, static_cast<SplitMethod>(root_record.method()),
                          weights, from_month);
  if (!request.ok()) return request.status();
  request->org = &org;
  request->want_trace = true;
  auto plan = Cascade(*request);
  std::vector<ChainStep> steps;
  const std::string month_text = MonthText(year, month);
  for (size_t i = 0; i < down.size(); ++i) {
    const std::string& id = down[i];
    auto row = LoadPlanRow(state, metric.id, year, id);
    if (!row.ok()) return row.status();
    const double stored = row->has_value() ? (**row)[month - 1] : 0;
    std::string rule = "given", detail;
    if (plan.ok()) {
      auto t = plan->trace.find({id, month});
      auto replayed = plan->rows.find(id);
      if (t != plan->trace.end()) {
        rule = RuleName(t->second.rule);
        detail = Detail(t->second, i == 0 ? std::to_string(year) : down[i - 1], i == 0);
      }
      if (replayed != plan->rows.end() && replayed->second.months[month - 1] != stored) {
        detail += "; the plan changed since the last cascade (replay gives " +
                  Num(replayed->second.months[month - 1]) + ")";
      }
    } else {
      detail = "cannot replay the cascade now: " + std::string(plan.status().message());
    }
    steps.push_back({id, month_text, stored, rule, detail});
  }
  return steps;
}

}  // namespace

absl::StatusOr<Explanation> Explain(ServerState& state, const ExplainQuery& req) {
  RollupSnapshot snapshot(state.rollups());  // plan, actuals and outcomes at one point in time
  auto org = state.org();
  auto ref = ResolveUnitMetricMonth(state, *org, req.unit_id, req.metric_id, req.month);
  if (!ref.ok()) return ref.status();
  const Metric* metric = &ref->metric;
  const int year = ref->year, month = ref->month;
  const Date first{year, month, 1};

  auto own = LoadPlanRow(state, metric->id, year, req.unit_id);
  if (!own.ok()) return own.status();
  if (!own->has_value()) {
    return absl::NotFoundError("no plan for unit '" + req.unit_id + "', metric '" + metric->id +
                               "', " + std::to_string(year));
  }
  Explanation out;
  out.unit_id = req.unit_id;
  out.metric_id = metric->id;
  const std::string month_text = MonthText(year, month);
  out.period = month_text;
  out.target = (**own)[month - 1];

  // The chain of the month's tree from the unit up; the annual target is the topmost unit
  // on it that has one.
  const std::vector<std::string> up = org->AncestryOn(req.unit_id, first);
  std::string root;
  store::TargetRecord target;
  for (const std::string& id : up) {
    store::TargetRecord candidate;
    auto found = state.db().GetProto(store::Cf::kTargets, store::TargetKey(metric->id, year, id),
                                     &candidate);
    if (!found.ok()) return found.status();
    if (*found) {
      root = id;
      target = candidate;
    }
  }
  if (root.empty()) {
    return absl::FailedPreconditionError("no annual target above '" + req.unit_id + "' for " +
                                         metric->id + " " + std::to_string(year));
  }
  store::PlanRecord root_record;
  auto has_root =
      state.db().GetProto(store::Cf::kPlans, store::PlanKey(metric->id, year, root), &root_record);
  if (!has_root.ok()) return has_root.status();
  const int from_month = root_record.from_month() == 0 ? 1 : root_record.from_month();
  auto root_row = LoadPlanRow(state, metric->id, year, root);
  if (!root_row.ok()) return root_row.status();
  const double root_year = root_row->has_value() ? YearFigure(*metric, **root_row) : target.value();
  std::string target_detail =
      "annual target " + Num(target.value()) + " set by " + target.set_by() + " at " +
      FormatTime(target.set_at_unix()) + "; plan version " +
      std::to_string(root_record.plan_version()) +
      (from_month > 1 ? "; re-planned from " + MonthText(year, from_month) : "");
  if (root_record.written_at_unix_micros() > 0 &&
      target.set_at_unix() * 1000000 > root_record.written_at_unix_micros()) {
    target_detail += "; the target was changed after the last cascade (cascade again to apply it)";
  }
  out.chain.push_back({root, std::to_string(year), root_year, "target", target_detail});
  // Walk from the root down to the unit.
  std::vector<std::string> down;
  for (const std::string& id : up) {
    down.insert(down.begin(), id);
    if (id == root) break;
  }
  auto stored = StoredChain(state, metric->id, year, month, down);
  if (!stored.ok()) return stored.status();
  if (stored->has_value()) {
    for (ChainStep& step : **stored) out.chain.push_back(std::move(step));
  } else {
    auto replayed = ReplayChain(state, *org, *metric, year, month, root_record, down);
    if (!replayed.ok()) return replayed.status();
    for (ChainStep& step : *replayed) out.chain.push_back(std::move(step));
  }

  // Outcome: the month's progress as of the request's day (default today).
  if (!req.as_of.ok()) return req.as_of.status();
  const Date as_of = req.as_of->value_or(state.clock().Today());
  Period period;
  period.kind = Period::Kind::kMonth;
  period.year = year;
  period.index = month;
  int64_t events = 0;
  auto progress = UnitProgress(state, *metric, req.unit_id, period, as_of, &events);
  if (!progress.ok()) return progress.status();
  out.actual = progress->actual;
  out.status = progress->status;
  auto outcomes = LoadUnitOutcomes(state, req.unit_id, month_text);
  if (!outcomes.ok()) return outcomes.status();
  out.outcomes = *std::move(outcomes);
  return out;
}

}  // namespace okr
