// okrctl explain, and okrctl admin backup
#include <iostream>
#include <memory>

#include "clients/okrctl/commands.h"
#include "clients/okrctl/table.h"
#include "okr/v1/explain.grpc.pb.h"

namespace okrctl {

void AddExplainCommands(CLI::App& app, Context& ctx) {
  struct Args {
    std::string unit, metric, period, as_of, dir;
  };
  auto a = std::make_shared<Args>();
  auto* explain = app.add_subcommand("explain", "why this target, this status, this payout");
  explain->add_option("--unit", a->unit, "unit")->required();
  explain->add_option("--metric", a->metric, "metric")->required();
  explain->add_option("--period", a->period, "YYYY-MM")->required();
  explain->add_option("--as-of", a->as_of, "status as of this day (default today)");
  explain->callback([&ctx, a] {
    ctx.Set([a](Client& c) {
      okr::v1::ExplainRequest request;
      request.set_unit_id(a->unit);
      request.set_metric_id(a->metric);
      request.set_month(a->period);
      request.set_as_of(a->as_of);
      okr::v1::Explanation reply;
      auto stub = okr::v1::ExplainService::NewStub(c.channel());
      grpc::Status status = stub->Explain(c.NewContext().get(), request, &reply);
      if (!status.ok()) return ReportError(status);
      if (c.json()) {
        nlohmann::json chain = nlohmann::json::array();
        for (const auto& s : reply.chain()) {
          chain.push_back({{"unit", s.unit_id()},
                           {"period", s.period()},
                           {"value", Number(s.value())},
                           {"rule", s.rule()},
                           {"detail", s.detail()}});
        }
        nlohmann::json payouts = nlohmann::json::array(), awards = nlohmann::json::array(),
                       alerts = nlohmann::json::array();
        for (const auto& p : reply.payouts()) {
          payouts.push_back({{"amount", Number(p.amount())},
                             {"currency", p.currency()},
                             {"rule", p.rule()},
                             {"explanation", p.explanation()},
                             {"plugin", p.plugin()}});
        }
        for (const auto& w : reply.awards()) {
          awards.push_back(
              {{"award", w.award()}, {"explanation", w.explanation()}, {"plugin", w.plugin()}});
        }
        for (const auto& al : reply.alerts()) {
          alerts.push_back({{"id", al.alert_id()},
                            {"rule", al.rule()},
                            {"severity", al.severity()},
                            {"figures", al.figures()}});
        }
        PrintJson({{"unit", reply.unit_id()},
                   {"metric", reply.metric_id()},
                   {"period", reply.period()},
                   {"target", Number(reply.target())},
                   {"chain", chain},
                   {"actual", Number(reply.actual())},
                   {"status", reply.status()},
                   {"payouts", payouts},
                   {"awards", awards},
                   {"alerts", alerts}});
        return 0;
      }
      std::cout << reply.metric_id() << " " << reply.period() << " for " << reply.unit_id()
                << ": target " << FormatNumber(reply.target()) << ", actual "
                << FormatNumber(reply.actual()) << ", " << reply.status() << "\n\n";
      Table table({"STEP", "UNIT", "PERIOD", "VALUE", "RULE", "WHY"});
      table.AlignRight({0, 3});
      int n = 0;
      for (const auto& s : reply.chain()) {
        table.Add({std::to_string(++n), s.unit_id(), s.period(), FormatNumber(s.value()), s.rule(),
                   s.detail()});
      }
      table.Print(std::cout);
      for (const auto& p : reply.payouts()) {
        std::cout << "\npayout " << FormatNumber(p.amount()) << " " << p.currency() << " ("
                  << p.plugin() << "): " << p.explanation();
      }
      for (const auto& w : reply.awards()) {
        std::cout << "\naward " << w.award() << " (" << w.plugin() << "): " << w.explanation();
      }
      for (const auto& al : reply.alerts()) {
        std::cout << "\nalert " << al.alert_id() << " " << al.rule() << ": " << al.figures();
      }
      std::cout << "\n";
      return 0;
    });
  });

  CLI::App* admin = app.add_subcommand("admin", "administration: backup");
  admin->require_subcommand(1);
  auto* backup = admin->add_subcommand(
      "backup",
      "online checkpoint into a new folder under okrd's --backup-dir (mode 0700, audited; start "
      "okrd --data-dir FOLDER from it)");
  backup
      ->add_option("NAME", a->dir,
                   "a new folder name inside --backup-dir (no '..'; an absolute path must lie "
                   "inside it)")
      ->required();
  backup->callback([&ctx, a] {
    ctx.Set([a](Client& c) {
      okr::v1::BackupRequest request;
      request.set_dir(a->dir);
      okr::v1::BackupReply reply;
      auto stub = okr::v1::AdminService::NewStub(c.channel());
      grpc::Status status = stub->Backup(c.NewContext().get(), request, &reply);
      if (!status.ok()) return ReportError(status);
      if (c.json()) {
        PrintJson({{"dir", reply.dir()}, {"bytes", reply.bytes()}});
      } else {
        std::cout << "backup in " << reply.dir() << " (" << reply.bytes() << " bytes)\n";
      }
      return 0;
    });
  });
}

}  // namespace okrctl
