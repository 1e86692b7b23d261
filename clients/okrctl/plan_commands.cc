// okrctl target set | cascade | hold | breakdown | history
#include <iostream>
#include <memory>
#include <sstream>

#include "clients/okrctl/commands.h"
#include "clients/okrctl/paging_flags.h"
#include "clients/okrctl/plan_check_commands.h"
#include "clients/okrctl/plan_diff_output.h"
#include "clients/okrctl/table.h"
#include "okr/v1/plan.grpc.pb.h"

namespace okrctl {
namespace {

constexpr const char* kMonthNames[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

nlohmann::json MonthsJson(const google::protobuf::RepeatedField<double>& months) {
  nlohmann::json out = nlohmann::json::array();
  for (double v : months) out.push_back(Number(v));
  return out;
}

nlohmann::json RowJson(const okr::v1::PlanRow& row) {
  return {{"unit", row.unit_id()},
          {"year_target", Number(row.year_target())},
          {"months", MonthsJson(row.months())}};
}

std::vector<std::string> RowCells(const std::string& label, double year,
                                  const google::protobuf::RepeatedField<double>& months) {
  std::vector<std::string> cells{label};
  for (double v : months) cells.push_back(FormatNumber(v));
  cells.push_back(FormatNumber(year));
  return cells;
}

// Months across, children down, the unit itself as the totals row.
void PrintPlanTable(const okr::v1::PlanRow& unit,
                    const google::protobuf::RepeatedPtrField<okr::v1::PlanRow>& children) {
  std::vector<std::string> header{"UNIT"};
  for (const char* m : kMonthNames) header.push_back(m);
  header.push_back("YEAR");
  Table table(header);
  std::vector<size_t> right;
  for (size_t i = 1; i <= 13; ++i) right.push_back(i);
  table.AlignRight(right);
  for (const auto& child : children) {
    table.Add(RowCells(child.unit_id(), child.year_target(), child.months()));
  }
  if (!children.empty()) table.Separator();
  table.Add(RowCells(unit.unit_id() + (children.empty() ? "" : " (total)"), unit.year_target(),
                     unit.months()));
  table.Print(std::cout);
}

// "C=W,C=W" -> map; false on a malformed pair.
bool ParseWeights(const std::string& text, google::protobuf::Map<std::string, double>* out,
                  std::string* error) {
  std::stringstream in(text);
  std::string pair;
  while (std::getline(in, pair, ',')) {
    const size_t eq = pair.find('=');
    if (eq == std::string::npos || eq == 0) {
      *error = "bad weight '" + pair + "': expected CHILD=WEIGHT";
      return false;
    }
    try {
      size_t used = 0;
      const std::string number = pair.substr(eq + 1);
      (*out)[pair.substr(0, eq)] = std::stod(number, &used);
      if (used != number.size()) throw std::invalid_argument(number);
    } catch (const std::exception&) {
      *error = "bad weight '" + pair + "': the weight is not a number";
      return false;
    }
  }
  return true;
}

bool ParseSeasonality(const std::string& text, google::protobuf::RepeatedField<double>* out,
                      std::string* error) {
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    try {
      size_t used = 0;
      out->Add(std::stod(item, &used));
      if (used != item.size()) throw std::invalid_argument(item);
    } catch (const std::exception&) {
      *error = "bad seasonality weight '" + item + "'";
      return false;
    }
  }
  if (out->size() != 12) {
    *error = "--seasonality needs 12 weights, got " + std::to_string(out->size());
    return false;
  }
  return true;
}

// One metric's cascade as JSON: the fixed keys, and the diff against the stored plan.
nlohmann::json CascadeJson(const std::string& unit, int year, const okr::v1::CascadeReply& reply) {
  nlohmann::json children = nlohmann::json::array();
  for (const auto& child : reply.children()) children.push_back(RowJson(child));
  return {{"unit", unit},
          {"metric", reply.metric_id()},
          {"year", year},
          {"plan_version", reply.plan_version()},
          {"dry_run", reply.dry_run()},
          {"units", reply.units()},
          {"year_target", Number(reply.root().year_target())},
          {"months", MonthsJson(reply.root().months())},
          {"children", children},
          {"diff", PlanDiffJson(reply.diff())}};
}

void PrintCascade(const std::string& unit, int year, const okr::v1::CascadeReply& reply) {
  std::cout << (reply.dry_run() ? "dry run: " : "") << "cascaded " << reply.metric_id() << " "
            << year << " from " << unit << " to " << reply.units() << " units";
  if (!reply.dry_run()) std::cout << " (plan version " << reply.plan_version() << ")";
  std::cout << "\n\n";
  PrintPlanTable(reply.root(), reply.children());
  // A dry run is for seeing what would change: every changed cell, down to agents.
  if (reply.dry_run()) {
    std::cout << "\n";
    PrintPlanDiff(reply.diff(), std::cout);
  }
}

}  // namespace

void AddPlanCommands(CLI::App& app, Context& ctx) {
  // target set
  CLI::App* target = app.add_subcommand("target", "annual targets");
  target->require_subcommand(1);
  struct TargetArgs {
    std::string unit, metric, seasonality, reason;
    int year = 0;
    double value = 0;
  };
  auto t = std::make_shared<TargetArgs>();
  auto* set = target->add_subcommand("set", "set a unit's annual target for a metric");
  set->add_option("--unit", t->unit, "unit")->required();
  set->add_option("--metric", t->metric, "metric")->required();
  set->add_option("--year", t->year, "year")->required();
  set->add_option("--value", t->value, "year total (count) or target value (ratio)")->required();
  set->add_option("--seasonality", t->seasonality, "12 month weights w1,...,w12");
  set->add_option("--reason", t->reason, "why (kept in the history)");
  set->callback([&ctx, t] {
    ctx.Set([t](Client& c) {
      okr::v1::SetTargetRequest request;
      request.set_unit_id(t->unit);
      request.set_metric_id(t->metric);
      request.set_year(t->year);
      request.set_value(t->value);
      request.set_reason(t->reason);
      std::string error;
      if (!t->seasonality.empty() &&
          !ParseSeasonality(t->seasonality, request.mutable_seasonality(), &error)) {
        return ReportError("INVALID_ARGUMENT", error);
      }
      okr::v1::Target reply;
      auto stub = okr::v1::TargetService::NewStub(c.channel());
      grpc::Status status = stub->SetTarget(c.NewContext().get(), request, &reply);
      if (!status.ok()) return ReportError(status);
      if (c.json()) {
        PrintJson({{"unit", reply.unit_id()},
                   {"metric", reply.metric_id()},
                   {"year", reply.year()},
                   {"value", Number(reply.value())}});
      } else {
        std::cout << "target " << reply.metric_id() << " " << reply.year() << " for "
                  << reply.unit_id() << ": " << FormatNumber(reply.value())
                  << " (run okrctl cascade to spread it)\n";
      }
      return 0;
    });
  });

  // cascade
  struct CascadeArgs {
    std::string unit, metric, method = "fte", weights, from, reason;
    int year = 0;
    bool dry_run = false;
    bool all_metrics = false;
  };
  auto a = std::make_shared<CascadeArgs>();
  auto* cascade = app.add_subcommand("cascade", "spread a unit's annual target down the org");
  cascade->add_option("--unit", a->unit, "the unit whose target is spread")->required();
  auto* metric = cascade->add_option("--metric", a->metric, "metric");
  auto* all_metrics = cascade->add_flag(
      "--all-metrics", a->all_metrics,
      "every metric the unit has a target or plan for in the year, all or none written");
  metric->excludes(all_metrics);
  cascade->add_option("--year", a->year, "year")->required();
  cascade->add_option("--method", a->method, "fte, even or weights")
      ->check(CLI::IsMember({"fte", "even", "weights"}))
      ->capture_default_str();
  cascade->add_option("--weights", a->weights, "explicit weights CHILD=W,... (method weights)");
  cascade->add_option("--from", a->from, "re-spread from this month on (YYYY-MM)");
  cascade->add_flag("--dry-run", a->dry_run, "compute and show the plan; write nothing");
  cascade->add_option("--reason", a->reason, "why (kept in the history)");
  cascade->callback([&ctx, a] {
    ctx.Set([a](Client& c) {
      if (a->metric.empty() && !a->all_metrics) {
        return ReportError("INVALID_ARGUMENT", "cascade needs --metric M or --all-metrics");
      }
      okr::v1::CascadeRequest request;
      request.set_unit_id(a->unit);
      request.set_metric_id(a->metric);
      request.set_all_metrics(a->all_metrics);
      request.set_year(a->year);
      request.set_method(a->method == "even"      ? okr::v1::SPLIT_METHOD_EVEN
                         : a->method == "weights" ? okr::v1::SPLIT_METHOD_WEIGHTS
                                                  : okr::v1::SPLIT_METHOD_FTE);
      std::string error;
      if (!a->weights.empty() && !ParseWeights(a->weights, request.mutable_weights(), &error)) {
        return ReportError("INVALID_ARGUMENT", error);
      }
      request.set_from_month(a->from);
      request.set_dry_run(a->dry_run);
      request.set_reason(a->reason);
      okr::v1::CascadeReply reply;
      auto stub = okr::v1::TargetService::NewStub(c.channel());
      grpc::Status status = stub->Cascade(c.NewContext().get(), request, &reply);
      if (!status.ok()) return ReportError(status);
      if (a->all_metrics) {
        if (c.json()) {
          nlohmann::json metrics = nlohmann::json::array();
          for (const auto& one : reply.metrics())
            metrics.push_back(CascadeJson(a->unit, a->year, one));
          PrintJson({{"unit", a->unit},
                     {"year", a->year},
                     {"dry_run", reply.dry_run()},
                     {"metrics", metrics}});
          return 0;
        }
        for (int i = 0; i < reply.metrics_size(); ++i) {
          if (i > 0) std::cout << "\n";
          PrintCascade(a->unit, a->year, reply.metrics(i));
        }
        return 0;
      }
      if (c.json()) {
        PrintJson(CascadeJson(a->unit, a->year, reply));
        return 0;
      }
      PrintCascade(a->unit, a->year, reply);
      return 0;
    });
  });

  // hold
  struct HoldArgs {
    std::string unit, metric, period, reason;
    double value = 0;
    bool clear = false;
  };
  auto h = std::make_shared<HoldArgs>();
  auto* hold = app.add_subcommand("hold", "pin a month or a year total; a cascade keeps it");
  hold->add_option("--unit", h->unit, "unit")->required();
  hold->add_option("--metric", h->metric, "metric")->required();
  hold->add_option("--period", h->period, "YYYY (year total) or YYYY-MM")->required();
  auto* value = hold->add_option("--value", h->value, "the held value");
  auto* clear = hold->add_flag("--clear", h->clear, "remove the hold");
  value->excludes(clear);
  hold->add_option("--reason", h->reason, "why (kept in the history)");
  hold->callback([&ctx, h, value] {
    const bool has_value = value->count() > 0;
    ctx.Set([h, has_value](Client& c) {
      if (!has_value && !h->clear) {
        return ReportError("INVALID_ARGUMENT", "hold needs --value V or --clear");
      }
      okr::v1::HoldRequest request;
      request.set_unit_id(h->unit);
      request.set_metric_id(h->metric);
      request.set_period(h->period);
      request.set_value(h->value);
      request.set_clear(h->clear);
      request.set_reason(h->reason);
      okr::v1::HoldReply reply;
      auto stub = okr::v1::TargetService::NewStub(c.channel());
      grpc::Status status = stub->Hold(c.NewContext().get(), request, &reply);
      if (!status.ok()) return ReportError(status);
      if (c.json()) {
        PrintJson({{"unit", reply.unit_id()},
                   {"metric", reply.metric_id()},
                   {"period", reply.period()},
                   {"held", reply.held()},
                   {"value", Number(reply.value())}});
      } else if (reply.held()) {
        std::cout << "held " << reply.metric_id() << " " << reply.period() << " of "
                  << reply.unit_id() << " at " << FormatNumber(reply.value())
                  << " (cascade to apply)\n";
      } else {
        std::cout << "cleared the hold on " << reply.metric_id() << " " << reply.period() << " of "
                  << reply.unit_id() << "\n";
      }
      return 0;
    });
  });

  // breakdown
  struct BreakdownArgs {
    std::string unit, metric;
    int year = 0;
  };
  auto b = std::make_shared<BreakdownArgs>();
  auto* breakdown = app.add_subcommand("breakdown", "a unit's 12 months and its children's");
  breakdown->add_option("--unit", b->unit, "unit")->required();
  breakdown->add_option("--metric", b->metric, "metric")->required();
  breakdown->add_option("--year", b->year, "year")->required();
  breakdown->callback([&ctx, b] {
    ctx.Set([b](Client& c) {
      okr::v1::BreakdownRequest request;
      request.set_unit_id(b->unit);
      request.set_metric_id(b->metric);
      request.set_year(b->year);
      okr::v1::Breakdown reply;
      auto stub = okr::v1::TargetService::NewStub(c.channel());
      grpc::Status status = stub->GetBreakdown(c.NewContext().get(), request, &reply);
      if (!status.ok()) return ReportError(status);
      if (c.json()) {
        nlohmann::json children = nlohmann::json::array();
        for (const auto& child : reply.children()) children.push_back(RowJson(child));
        nlohmann::json held = nlohmann::json::array();
        for (const auto& p : reply.held_months()) held.push_back(p);
        PrintJson({{"unit", reply.unit_id()},
                   {"metric", reply.metric_id()},
                   {"year", reply.year()},
                   {"year_target", Number(reply.year_target())},
                   {"months", MonthsJson(reply.months())},
                   {"children", children},
                   {"holds", held},
                   {"plan_version", reply.plan_version()}});
        return 0;
      }
      okr::v1::PlanRow unit;
      unit.set_unit_id(reply.unit_id());
      unit.set_year_target(reply.year_target());
      *unit.mutable_months() = reply.months();
      std::cout << reply.metric_id() << " " << reply.year() << " for " << reply.unit_id()
                << " (plan version " << reply.plan_version() << ")\n\n";
      PrintPlanTable(unit, reply.children());
      if (!reply.held_months().empty()) {
        std::cout << "\nheld:";
        for (const auto& p : reply.held_months()) std::cout << " " << p;
        std::cout << "\n";
      }
      return 0;
    });
  });

  // history
  struct HistoryArgs {
    std::string unit, metric, actor, since, until;
    PageFlags page;
  };
  auto hi = std::make_shared<HistoryArgs>();
  auto* history = app.add_subcommand("history", "who changed what, when, why");
  history->add_option("--unit", hi->unit, "about this unit (and what is above or below it)");
  history->add_option("--metric", hi->metric, "metric");
  history->add_option("--actor", hi->actor, "changes by this actor");
  history->add_option("--since", hi->since, "from (YYYY-MM-DD or RFC 3339)");
  history->add_option("--until", hi->until, "until (YYYY-MM-DD or RFC 3339)");
  history->add_option("--limit", hi->page.limit,
                      "newest N entries (default 1000, at most 10000); older ones: --page-token");
  AddPageFlags(history, hi->page, /*with_limit=*/false);
  history->callback([&ctx, hi] {
    ctx.Set([hi](Client& c) {
      okr::v1::HistoryRequest request;
      request.set_unit_id(hi->unit);
      request.set_metric_id(hi->metric);
      request.set_actor(hi->actor);
      request.set_since(hi->since);
      request.set_until(hi->until);
      SetPage(request, hi->page);
      okr::v1::HistoryReply reply;
      auto stub = okr::v1::TargetService::NewStub(c.channel());
      grpc::Status status = stub->History(c.NewContext().get(), request, &reply);
      if (!status.ok()) return ReportError(status);
      if (c.json()) {
        nlohmann::json entries = nlohmann::json::array();
        for (const auto& e : reply.entries()) {
          auto parse = [](const std::string& text) {
            return text.empty() ? nlohmann::json() : nlohmann::json::parse(text, nullptr, false);
          };
          nlohmann::json entry = {{"seq", e.seq()},
                                  {"at", e.at()},
                                  {"actor", e.actor()},
                                  {"action", e.action()},
                                  {"unit", e.unit_id()},
                                  {"metric", e.metric_id()},
                                  {"reason", e.reason()},
                                  {"before", parse(e.before())},
                                  {"after", parse(e.after())},
                                  {"plan_version", e.plan_version()}};
          // Only on a cut entry, so that other entries print exactly as before.
          if (e.truncated()) entry["truncated"] = true;
          entries.push_back(std::move(entry));
        }
        PrintJson(WithNextPage({{"entries", entries}}, reply.next_page_token()));
        return 0;
      }
      if (reply.entries().empty()) std::cout << "no history\n";
      for (const auto& e : reply.entries()) {
        std::cout << e.at() << "  #" << e.seq() << "  " << e.action() << "  by " << e.actor();
        if (!e.unit_id().empty()) std::cout << "  unit " << e.unit_id();
        if (!e.metric_id().empty()) std::cout << "  metric " << e.metric_id();
        if (e.plan_version() != 0) std::cout << "  plan v" << e.plan_version();
        if (e.truncated()) std::cout << "  (before/after too large to show: summaries)";
        std::cout << "\n";
        if (!e.reason().empty()) std::cout << "    why:    " << e.reason() << "\n";
        if (!e.before().empty()) std::cout << "    before: " << e.before() << "\n";
        if (!e.after().empty()) std::cout << "    after:  " << e.after() << "\n";
      }
      PrintNextPage(reply.next_page_token());
      return 0;
    });
  });

  AddPlanCheckCommands(app, ctx);
}

}  // namespace okrctl
