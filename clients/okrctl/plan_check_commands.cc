#include "clients/okrctl/plan_check_commands.h"

#include <iostream>
#include <memory>
#include <sstream>
#include <string>

#include "clients/okrctl/table.h"
#include "okr/v1/plan.grpc.pb.h"

namespace okrctl {
namespace {

bool Clean(const okr::v1::MetricCheck& m) {
  return m.planned() && m.missing().empty() && m.stale().empty() && m.holds().empty();
}

nlohmann::json CheckJson(const okr::v1::PlanCheckReply& reply) {
  nlohmann::json metrics = nlohmann::json::array();
  bool ok = true;
  for (const auto& m : reply.metrics()) {
    ok = ok && Clean(m);
    nlohmann::json missing = nlohmann::json::array();
    for (const auto& u : m.missing()) {
      missing.push_back({{"unit", u.unit_id()}, {"name", u.name()}, {"kind", u.kind()}});
    }
    nlohmann::json stale = nlohmann::json::array();
    for (const auto& p : m.stale()) {
      stale.push_back(
          {{"root", p.root_unit_id()}, {"units", p.units()}, {"planned_at", p.planned_at()}});
    }
    nlohmann::json holds = nlohmann::json::array();
    for (const auto& h : m.holds()) {
      holds.push_back({{"unit", h.unit_id()},
                       {"period", h.period()},
                       {"value", Number(h.value())},
                       {"problem", h.problem()}});
    }
    metrics.push_back({{"metric", m.metric_id()},
                       {"planned", m.planned()},
                       {"missing", missing},
                       {"stale", stale},
                       {"holds", holds}});
  }
  nlohmann::json change;
  if (!reply.last_org_change_at().empty()) {
    change = {{"at", reply.last_org_change_at()}, {"action", reply.last_org_change()}};
  }
  return {{"year", reply.year()}, {"ok", ok}, {"last_org_change", change}, {"metrics", metrics}};
}

void PrintCheck(const okr::v1::PlanCheckReply& reply, const std::string& unit) {
  std::cout << "plan check " << reply.year();
  if (!unit.empty()) std::cout << " below " << unit;
  if (!reply.last_org_change_at().empty()) {
    std::cout << " (last org change: " << reply.last_org_change() << " at "
              << reply.last_org_change_at() << ")";
  }
  std::cout << "\n";
  if (reply.metrics().empty()) std::cout << "no metrics defined\n";
  for (const auto& m : reply.metrics()) {
    std::cout << "\n" << m.metric_id() << ": ";
    if (!m.planned()) {
      std::cout << "no target in " << reply.year() << " (set one with okrctl target set)\n";
      continue;
    }
    if (Clean(m)) {
      std::cout << "every active unit has a target; no stale plan; every hold fits\n";
      continue;
    }
    std::cout << "\n";
    if (!m.missing().empty()) {
      std::cout << "  without a target (" << m.missing_size() << "):\n";
      Table table({"UNIT", "KIND", "NAME"});
      for (const auto& u : m.missing()) table.Add({u.unit_id(), u.kind(), u.name()});
      std::ostringstream text;
      table.Print(text);
      std::istringstream lines(text.str());
      for (std::string line; std::getline(lines, line);) std::cout << "    " << line << "\n";
    }
    for (const auto& p : m.stale()) {
      std::cout << "  stale: " << p.units() << (p.units() == 1 ? " unit" : " units")
                << " planned by the cascade of " << p.root_unit_id();
      if (!p.planned_at().empty()) std::cout << " at " << p.planned_at();
      std::cout << ", before the last org change; re-plan: okrctl cascade --unit "
                << p.root_unit_id() << " --metric " << m.metric_id() << " --year " << reply.year()
                << "\n";
    }
    for (const auto& h : m.holds()) {
      std::cout << "  hold that no longer fits: " << h.unit_id() << " " << h.period() << " = "
                << FormatNumber(h.value()) << ": " << h.problem() << "\n";
    }
  }
}

}  // namespace

void AddPlanCheckCommands(CLI::App& app, Context& ctx) {
  CLI::App* plan = app.add_subcommand("plan", "the state of a year's plans");
  plan->require_subcommand(1);
  struct CheckArgs {
    std::string metric, unit;
    int year = 0;
  };
  auto a = std::make_shared<CheckArgs>();
  auto* check = plan->add_subcommand(
      "check",
      "units without a target, plans older than the last org change, holds that no "
      "longer fit");
  check->add_option("--year", a->year, "year")->required();
  check->add_option("--metric", a->metric, "only this metric (default: every metric)");
  check->add_option("--unit", a->unit, "only this subtree (a lead: its own by default)");
  check->callback([&ctx, a] {
    ctx.Set([a](Client& c) {
      okr::v1::PlanCheckRequest request;
      request.set_year(a->year);
      request.set_metric_id(a->metric);
      request.set_unit_id(a->unit);
      okr::v1::PlanCheckReply reply;
      auto stub = okr::v1::TargetService::NewStub(c.channel());
      grpc::Status status = stub->CheckPlans(c.NewContext().get(), request, &reply);
      if (!status.ok()) return ReportError(status);
      if (c.json()) {
        PrintJson(CheckJson(reply));
      } else {
        PrintCheck(reply, a->unit);
      }
      return 0;
    });
  });
}

}  // namespace okrctl
