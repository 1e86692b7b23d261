#include "services/core/plugin_ops.h"

#include <algorithm>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <utility>

#include "okr/plugin/v1/plugin.pb.h"
#include "plugins/host/plugin_host.h"
#include "services/core/access_policy.h"
#include "services/core/actuals_ops.h"
#include "services/core/alerts.h"
#include "services/core/apply.h"
#include "services/core/kudos.h"
#include "services/core/log.h"
#include "services/core/metrics.h"
#include "services/core/outcomes.h"
#include "services/core/plan_ops.h"
#include "services/core/progress_ops.h"
#include "services/domain/month_close.h"
#include "services/domain/plugin_output.h"
#include "services/domain/volume.h"
#include "store/codecs.h"
#include "store/keys.h"

namespace okr {
namespace {

namespace abi = okr::plugin::v1;

Period MonthPeriod(int year, int month) { return Period{Period::Kind::kMonth, year, month}; }

// An agent's month for the incentive and recognition plugins.
absl::StatusOr<abi::AgentMonth> BuildAgentMonth(ServerState& state, const OrgSnapshot& org,
                                                const Unit& agent, int year, int month,
                                                const std::vector<Metric>& metrics,
                                                const std::map<std::string, int>& kudos) {
  const Date first{year, month, 1};
  const Date last{year, month, DaysInMonth(year, month)};
  abi::AgentMonth out;
  out.set_unit_id(agent.id);
  out.set_group_id(agent.ParentOn(last));
  out.set_name(agent.name);
  bool primary_history_set = false;
  for (const Metric& metric : metrics) {
    int64_t events = 0;
    auto progress = UnitProgress(state, metric, agent.id, MonthPeriod(year, month), last, &events);
    if (!progress.ok()) return progress.status();
    if (progress->status == ProgressStatus::kNoTarget && events == 0) continue;
    // A ratio without a single event has no value at all (not 0%): leave it out, so a gate
    // on it says "no data" rather than "failed: 0".
    if (metric.kind == MetricKind::kRatio && events == 0) continue;
    abi::MetricMonth* m = out.add_metrics();
    m->set_metric_id(metric.id);
    m->set_kind(std::string(MetricKindName(metric.kind)));
    m->set_direction(std::string(DirectionName(metric.direction)));
    m->set_target(progress->target);
    m->set_actual(progress->actual);
    m->set_attainment_pct(progress->attainment_pct);
    m->set_status(std::string(ProgressStatusName(progress->status)));
    m->set_events(events);
    auto sums = ReadActualSums(state, agent.id, metric.id, first, last);
    if (!sums.ok()) return sums.status();
    m->set_volume(Volume(metric, *sums));
    for (int earlier = 1; earlier < month; ++earlier) {
      const Date end{year, earlier, DaysInMonth(year, earlier)};
      auto past = UnitProgress(state, metric, agent.id, MonthPeriod(year, earlier), end);
      if (!past.ok()) return past.status();
      m->add_previous_statuses(std::string(ProgressStatusName(past->status)));
    }
    // The agent-level history follows the first metric where higher counts are better.
    if (!primary_history_set && metric.kind == MetricKind::kCount &&
        metric.direction == Direction::kUp) {
      *out.mutable_previous_statuses() = m->previous_statuses();
      primary_history_set = true;
    }
    if (metric.kind == MetricKind::kCount) {
      auto ytd = ReadActualSums(state, agent.id, metric.id, Date{year, 1, 1}, last);
      if (!ytd.ok()) return ytd.status();
      (*out.mutable_year_to_date())[metric.id] = static_cast<double>(ytd->value_micros) / 1e6;
    }
  }
  auto it = kudos.find(agent.id);
  out.set_kudos_received(it == kudos.end() ? 0 : it->second);
  return out;
}

bool ActiveInMonth(const Unit& unit, int year, int month) {
  if (unit.kind != UnitKind::kAgent || unit.deactivated) return false;
  const Date first{year, month, 1}, last{year, month, DaysInMonth(year, month)};
  if (unit.start_date && *unit.start_date > last) return false;
  if (unit.end_date && *unit.end_date < first) return false;
  return true;
}

// Results of one plugin for one group of agents sharing a config.
struct Evaluation {
  std::string plugin, version, config;
  std::string output;
};

}  // namespace

absl::StatusOr<CloseResult> ClosePeriod(ServerState& state, const Caller& caller, int year,
                                        int month) {
  if (absl::Status s =
          CheckMonthClosable(year, month, state.clock().Today(), state.clock().zone.name());
      !s.ok()) {
    return s;
  }
  const std::string month_key = MonthText(year, month);
  plugins::PluginHost* host = state.plugin_host();
  if (host == nullptr) return absl::FailedPreconditionError("no plugin host in this server");
  CloseResult out;
  // The close reads its inputs from one snapshot and calls the plugins holding no lock that
  // anyone but another close needs: reads and other writes go on meanwhile. Only closes write
  // a month's results and its close counter, and no other change reads them, so under
  // close_mu the close is serialisable at its snapshot and its commit has nothing to re-check:
  // a change committed after the snapshot comes after the close (a later close includes it).
  std::lock_guard<std::mutex> close_lock(state.close_mu);
  std::optional<RollupSnapshot> inputs(std::in_place, state.rollups());
  auto org = state.org();
  const std::vector<Metric> metrics = state.Metrics();

  const std::map<std::string, int> kudos = PeerKudosReceived(state, month_key);

  std::vector<abi::AgentMonth> agents;
  for (const Unit& unit : org->units()) {
    if (!ActiveInMonth(unit, year, month)) continue;
    auto agent = BuildAgentMonth(state, *org, unit, year, month, metrics, kudos);
    if (!agent.ok()) return agent.status();
    agents.push_back(*std::move(agent));
  }
  const Date last{year, month, DaysInMonth(year, month)};

  std::vector<store::PayoutRecord> payouts;
  std::vector<store::AwardRecord> awards;
  for (const plugins::PluginInfo& info : host->List()) {
    if (!info.enabled || info.kind == plugins::PluginKind::kRedline) continue;
    // Agents grouped by the config that applies to them; none for an agent where the plugin
    // is not configured (it does nothing there).
    std::map<std::string, std::vector<const abi::AgentMonth*>> by_config;
    EffectivePluginConfigs configs(state, info);
    for (const abi::AgentMonth& agent : agents) {
      if (auto config = configs.For(agent.unit_id(), last)) by_config[*config].push_back(&agent);
    }
    out.problems.insert(out.problems.end(), configs.problems().begin(), configs.problems().end());
    for (const auto& [config, group] : by_config) {
      std::string input;
      if (info.kind == plugins::PluginKind::kIncentive) {
        abi::IncentiveInput in;
        in.set_month(month_key);
        in.set_config_json(config);
        for (const auto* a : group) *in.add_agents() = *a;
        input = in.SerializeAsString();
      } else {
        abi::RecognitionInput in;
        in.set_month(month_key);
        in.set_config_json(config);
        for (const auto* a : group) *in.add_agents() = *a;
        input = in.SerializeAsString();
      }
      auto output = host->Evaluate(info.name, config, input, absl::Milliseconds(kPluginBudgetMs));
      Metrics::Global().Add("okr_plugin_evaluations_total",
                            {{"plugin", info.name}, {"result", output.ok() ? "ok" : "fault"}});
      if (!output.ok()) {
        out.problems.push_back(info.name + ": " + std::string(output.status().message()));
        continue;
      }
      std::set<std::string> given;
      for (const auto* a : group) given.insert(a->unit_id());
      // An entry the rules refuse is reported and not stored (services/domain/plugin_output.h).
      auto refused = [&](const absl::Status& s) {
        if (s.ok()) return false;
        out.problems.push_back(info.name + ": " + std::string(s.message()));
        return true;
      };
      if (info.kind == plugins::PluginKind::kIncentive) {
        abi::IncentiveOutput result;
        result.ParseFromString(*output);
        for (const auto& p : result.payouts()) {
          if (refused(CheckPluginPayout(
                  {p.unit_id(), p.amount(), p.currency(), p.rule(), p.explanation()}, given))) {
            continue;
          }
          store::PayoutRecord r;
          r.set_unit_id(p.unit_id());
          r.set_month(month_key);
          r.set_amount(p.amount());
          r.set_currency(p.currency());
          r.set_rule(p.rule());
          r.set_explanation(p.explanation());
          r.set_plugin(info.name);
          r.set_plugin_version(info.version);
          r.set_config_json(config);
          payouts.push_back(std::move(r));
        }
      } else {
        abi::RecognitionOutput result;
        result.ParseFromString(*output);
        for (const auto& a : result.awards()) {
          if (refused(
                  CheckPluginAward({a.unit_id(), a.award(), a.explanation(), a.score()}, given))) {
            continue;
          }
          store::AwardRecord r;
          r.set_unit_id(a.unit_id());
          r.set_month(month_key);
          r.set_award(a.award());
          r.set_explanation(a.explanation());
          r.set_score(a.score());
          r.set_plugin(info.name);
          r.set_plugin_version(info.version);
          r.set_config_json(config);
          awards.push_back(std::move(r));
        }
      }
    }
  }

  inputs.reset();  // what the command reads (the results it replaces) is read as it is now

  store::Command command = NewCommand(state, caller);
  store::ClosePeriodCommand& close = *command.mutable_close_period();
  close.set_month(month_key);
  for (store::PayoutRecord& r : payouts) *close.add_payouts() = std::move(r);
  for (store::AwardRecord& r : awards) *close.add_awards() = std::move(r);
  absl::Status s =
      state.commands().Run(std::move(command), [&](const store::Command& c, Applied& applied) {
        return ApplyClosePeriod(state, c, applied, &out);
      });
  if (!s.ok()) return s;
  return out;
}

absl::Status ApplyClosePeriod(ServerState& state, const store::Command& command, Applied& applied,
                              CloseResult* out) {
  const store::ClosePeriodCommand& close = command.close_period();
  const std::string& month_key = close.month();
  // Replace the month's results as a whole, keeping the earlier ones in the history.
  auto old_payouts = LoadPayouts(state, month_key);
  if (!old_payouts.ok()) return old_payouts.status();
  auto old_awards = LoadAwards(state, month_key);
  if (!old_awards.ok()) return old_awards.status();
  auto summary = [](const auto& p, const auto& a) {
    nlohmann::json payouts = nlohmann::json::array(), awards = nlohmann::json::array();
    for (const auto& r : p) {
      payouts.push_back({{"unit", r.unit_id()}, {"amount", r.amount()}, {"rule", r.rule()}});
    }
    for (const auto& r : a) awards.push_back({{"unit", r.unit_id()}, {"award", r.award()}});
    return nlohmann::json{{"payouts", payouts}, {"awards", awards}};
  };
  store::Batch& batch = applied.batch;
  for (const std::string& prefix : {PayoutPrefix(month_key), AwardPrefix(month_key)}) {
    absl::Status scanned =
        state.db().Scan(store::Cf::kOutcomes, prefix, [&](std::string_view key, std::string_view) {
          batch.Delete(store::Cf::kOutcomes, key);
          return true;
        });
    if (!scanned.ok()) return scanned;
  }
  const int64_t version = state.NextCounter(batch, CloseCounterName(month_key));
  std::map<std::pair<std::string, std::string>, int> index;
  for (store::PayoutRecord r : close.payouts()) {
    r.set_close_version(version);
    const int i = index[{r.unit_id(), r.plugin()}]++;
    batch.PutProto(store::Cf::kOutcomes, PayoutKey(month_key, r.unit_id(), r.plugin(), i), r);
  }
  index.clear();
  for (store::AwardRecord r : close.awards()) {
    r.set_close_version(version);
    const int i = index[{r.unit_id(), r.plugin()}]++;
    batch.PutProto(store::Cf::kOutcomes, AwardKey(month_key, r.unit_id(), r.plugin(), i), r);
  }
  store::AuditRecord audit = NewAudit(command, "period.close", {}, {}, month_key);
  audit.set_plan_version(version);
  if (!old_payouts->empty() || !old_awards->empty()) {
    audit.set_before_json(summary(*old_payouts, *old_awards).dump());
  }
  audit.set_after_json(summary(close.payouts(), close.awards()).dump());
  state.Audit(batch, std::move(audit));
  if (out != nullptr) {
    out->month = month_key;
    out->payouts = close.payouts_size();
    out->awards = close.awards_size();
    out->close_version = version;
  }
  return absl::OkStatus();
}

namespace {

// Days of actuals a red-line plugin sees, ending on the day it evaluates.
constexpr int kRedlineWindowDays = 31;

// One agent's data that its red-line windows are cut from, read once per evaluation.
struct AgentHistory {
  std::vector<std::map<int, ActualSums>> daily;                  // per metric: day number -> sums
  std::vector<std::map<int, std::optional<MonthValues>>> plans;  // per metric: year -> months
};

absl::StatusOr<AgentHistory> ReadAgentHistory(ServerState& state, const std::string& agent_id,
                                              const std::vector<Metric>& metrics, const Date& first,
                                              const Date& last) {
  AgentHistory history;
  for (const Metric& metric : metrics) {
    auto daily = ReadDailyActualSums(state, agent_id, metric.id, first, last);
    if (!daily.ok()) return daily.status();
    history.daily.push_back(*std::move(daily));
    std::map<int, std::optional<MonthValues>>& plans = history.plans.emplace_back();
    for (int year = first.year; year <= last.year; ++year) {
      auto plan = LoadPlanRow(state, metric.id, year, agent_id);
      if (!plan.ok()) return plan.status();
      plans[year] = *std::move(plan);
    }
  }
  return history;
}

ActualSums SumDays(const std::map<int, ActualSums>& daily, const Date& first, const Date& last) {
  ActualSums sums;
  for (auto it = daily.lower_bound(first.DayNumber());
       it != daily.end() && it->first <= last.DayNumber(); ++it) {
    sums += it->second;
  }
  return sums;
}

// What a red-line plugin sees of one agent as of a day: its daily values over the window
// ending that day and its month's progress (the progress rule, on the same sums a progress
// query reads). `history` covers the window. nullopt when the agent is not employed in it.
std::optional<abi::AgentWindow> AgentRedlineWindow(const Unit& agent,
                                                   const std::vector<Metric>& metrics,
                                                   const AgentHistory& history, const Date& as_of) {
  const Date from = Date::FromDayNumber(as_of.DayNumber() - kRedlineWindowDays + 1);
  if (agent.start_date && *agent.start_date > as_of) return std::nullopt;
  if (agent.end_date && *agent.end_date < from) return std::nullopt;
  abi::AgentWindow w;
  w.set_unit_id(agent.id);
  w.set_group_id(agent.ParentOn(as_of));
  const Period month = MonthPeriod(as_of.year, as_of.month);
  for (size_t i = 0; i < metrics.size(); ++i) {
    const Metric& metric = metrics[i];
    const std::map<int, ActualSums>& daily = history.daily[i];
    for (auto it = daily.lower_bound(from.DayNumber());
         it != daily.end() && it->first <= as_of.DayNumber(); ++it) {
      const ActualSums& sums = it->second;
      if (sums.events == 0) continue;
      abi::DailyValue* v = w.add_days();
      v->set_date(Date::FromDayNumber(it->first).ToString());
      v->set_metric_id(metric.id);
      v->set_value(static_cast<double>(sums.value_micros) / 1e6);
      v->set_denominator(static_cast<double>(sums.denominator_micros) / 1e6);
    }
    // The month so far lies inside the window (a month has at most 31 days).
    ActualSums to_date;
    if (auto days = ActualsWindow(month, as_of)) to_date = SumDays(daily, days->first, days->last);
    const Progress progress =
        ComputeProgress(metric, month, as_of, history.plans[i].at(as_of.year), to_date);
    if (progress.status == ProgressStatus::kNoTarget && to_date.events == 0) continue;
    abi::MetricMonth* m = w.add_month();
    m->set_metric_id(metric.id);
    m->set_kind(std::string(MetricKindName(metric.kind)));
    m->set_direction(std::string(DirectionName(metric.direction)));
    m->set_target(progress.target);
    m->set_actual(progress.actual);
    m->set_attainment_pct(progress.attainment_pct);
    m->set_status(std::string(ProgressStatusName(progress.status)));
    m->set_events(to_date.events);
  }
  return w;
}

}  // namespace

absl::Status EvaluateRedlines(ServerState& state, const std::vector<std::string>& agent_ids,
                              const std::vector<Date>& days) {
  plugins::PluginHost* host = state.plugin_host();
  if (host == nullptr) return absl::OkStatus();
  std::vector<plugins::PluginInfo> redlines;
  for (const auto& info : host->List()) {
    if (info.enabled && info.kind == plugins::PluginKind::kRedline) redlines.push_back(info);
  }
  if (redlines.empty() || days.empty()) return absl::OkStatus();
  auto org = state.org();
  const std::vector<Metric> metrics = state.Metrics();
  std::vector<std::string> ids = agent_ids;
  if (ids.empty()) {
    for (const Unit& u : org->units()) {
      if (u.kind == UnitKind::kAgent) ids.push_back(u.id);
    }
  }
  // Every window lies in [earliest day - 30, latest day]: each agent's days there (one scan
  // per metric) and plan rows are read once and cut into its windows, not read per window.
  int span_first = std::numeric_limits<int>::max();
  int span_last = std::numeric_limits<int>::min();
  for (const Date& as_of : days) {
    span_first = std::min(span_first, as_of.DayNumber() - kRedlineWindowDays + 1);
    span_last = std::max(span_last, as_of.DayNumber());
  }
  std::vector<std::vector<abi::AgentWindow>> windows_by_day(days.size());
  {
    // Every agent's window from one point in time. (The breach checks below read the alerts as
    // they are now, under alerts_mu, so that a breach is never opened twice.)
    RollupSnapshot snapshot(state.rollups());
    for (const std::string& id : ids) {
      const Unit* agent = org->Find(id);
      if (agent == nullptr || agent->kind != UnitKind::kAgent) continue;
      auto history = ReadAgentHistory(state, id, metrics, Date::FromDayNumber(span_first),
                                      Date::FromDayNumber(span_last));
      if (!history.ok()) return history.status();
      for (size_t d = 0; d < days.size(); ++d) {
        auto window = AgentRedlineWindow(*agent, metrics, *history, days[d]);
        if (window) windows_by_day[d].push_back(*std::move(window));
      }
    }
  }
  for (size_t d = 0; d < days.size(); ++d) {
    const Date& as_of = days[d];
    const std::vector<abi::AgentWindow>& windows = windows_by_day[d];
    for (const auto& info : redlines) {
      std::map<std::string, std::vector<const abi::AgentWindow*>> by_config;
      EffectivePluginConfigs configs(state, info);  // none: the plugin does nothing there
      for (const auto& w : windows) {
        if (auto config = configs.For(w.unit_id(), as_of)) by_config[*config].push_back(&w);
      }
      for (const auto& [config, group] : by_config) {
        abi::RedlineInput in;
        in.set_as_of(as_of.ToString());
        in.set_config_json(config);
        in.set_window_days(kRedlineWindowDays);
        for (const auto* w : group) *in.add_agents() = *w;
        auto output = host->Evaluate(info.name, config, in.SerializeAsString(),
                                     absl::Milliseconds(kPluginBudgetMs));
        Metrics::Global().Add("okr_plugin_evaluations_total",
                              {{"plugin", info.name}, {"result", output.ok() ? "ok" : "fault"}});
        if (!output.ok()) continue;
        abi::RedlineOutput result;
        result.ParseFromString(*output);
        std::set<std::string> given;
        for (const auto* w : group) given.insert(w->unit_id());
        std::vector<store::LoggedBreach> breaches;
        for (const auto& alert : result.alerts()) {
          // A breach the rules refuse opens nothing; the plugin's fault is counted and logged.
          if (absl::Status s = CheckPluginAlert({alert.unit_id(), alert.rule(), alert.severity(),
                                                 alert.figures(), alert.breach_key()},
                                                given);
              !s.ok()) {
            Metrics::Global().Add("okr_plugin_evaluations_total",
                                  {{"plugin", info.name}, {"result", "refused_entry"}});
            Log(LogLevel::kWarn, "plugin.alert_refused",
                {{"plugin", info.name},
                 {"day", as_of.ToString()},
                 {"error", std::string_view(s.message().data(), s.message().size())}});
            continue;
          }
          const Unit* unit = org->Find(alert.unit_id());
          store::LoggedBreach& breach = breaches.emplace_back();
          breach.set_unit_id(alert.unit_id());
          breach.set_rule(alert.rule());
          breach.set_severity(alert.severity());
          breach.set_figures(alert.figures());
          breach.set_breach_key(alert.breach_key());
          breach.set_window_first(alert.window_first());
          breach.set_lead_unit(unit != nullptr ? unit->ParentOn(as_of) : "");
        }
        std::lock_guard<std::mutex> lock(state.alerts_mu);
        if (absl::Status s =
                RecordBreaches(state, info.name, info.version, as_of, std::move(breaches));
            !s.ok()) {
          return s;
        }
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace okr
