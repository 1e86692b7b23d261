// okrctl alerts [--unit U] [--status S] | alerts ack|resolve ID [--note TEXT] | alerts watch,
// kudos give --to U --reason R | kudos list [--unit U] [--month YYYY-MM]
#include <iostream>
#include <memory>

#include "clients/okrctl/commands.h"
#include "clients/okrctl/paging_flags.h"
#include "clients/okrctl/table.h"
#include "okr/v1/plugins.grpc.pb.h"

namespace okrctl {
namespace {

std::string AlertStatusText(okr::v1::AlertStatus s) {
  switch (s) {
    case okr::v1::ALERT_STATUS_OPEN:
      return "open";
    case okr::v1::ALERT_STATUS_ACKED:
      return "acked";
    case okr::v1::ALERT_STATUS_RESOLVED:
      return "resolved";
    default:
      return "?";
  }
}

nlohmann::json AlertJson(const okr::v1::Alert& a) {
  return {{"id", a.alert_id()},
          {"unit", a.unit_id()},
          {"unit_name", a.unit_name()},
          {"rule", a.rule()},
          {"severity", a.severity()},
          {"figures", a.figures()},
          {"status", AlertStatusText(a.status())},
          {"opened_at", a.opened_at()},
          {"as_of", a.as_of()},
          {"last_seen", a.last_seen()},
          {"latest_figures", a.latest_figures()},
          {"escalated_to", a.escalated_to()},
          {"escalation_level", a.escalation_level()},
          {"plugin", a.plugin()},
          {"ack_note", a.ack_note()},
          {"acked_by", a.acked_by()},
          {"acked_at", a.acked_at()},
          {"resolve_note", a.resolve_note()},
          {"resolved_by", a.resolved_by()},
          {"resolved_at", a.resolved_at()}};
}

// The notes of an alert for a table cell: "ack: called her; resolved: coached".
std::string NotesText(const okr::v1::Alert& a) {
  std::string notes;
  if (!a.ack_note().empty()) notes = "ack: " + a.ack_note();
  if (!a.resolve_note().empty()) {
    notes += (notes.empty() ? "" : "; ") + std::string("resolved: ") + a.resolve_note();
  }
  return notes;
}

void PrintAlertTable(const google::protobuf::RepeatedPtrField<okr::v1::Alert>& alerts) {
  Table table({"ID", "STATUS", "SEVERITY", "UNIT", "RULE", "FIGURES", "LAST SEEN", "ESCALATED TO",
               "OPENED", "NOTES"});
  for (const auto& a : alerts) {
    table.Add({a.alert_id(), AlertStatusText(a.status()), a.severity(), a.unit_id(), a.rule(),
               a.latest_figures().empty() ? a.figures() : a.latest_figures(), a.last_seen(),
               a.escalated_to() + (a.escalation_level() > 0
                                       ? " (level " + std::to_string(a.escalation_level()) + ")"
                                       : ""),
               a.opened_at(), NotesText(a)});
  }
  table.Print(std::cout);
}

okr::v1::AlertStatus ParseAlertStatus(const std::string& s) {
  if (s == "open") return okr::v1::ALERT_STATUS_OPEN;
  if (s == "acked") return okr::v1::ALERT_STATUS_ACKED;
  if (s == "resolved") return okr::v1::ALERT_STATUS_RESOLVED;
  return okr::v1::ALERT_STATUS_UNSPECIFIED;
}

void AddKudosCommands(CLI::App& app, Context& ctx) {
  struct Args {
    std::string to, reason, unit, month;
    PageFlags page;
  };
  auto a = std::make_shared<Args>();
  CLI::App* kudos = app.add_subcommand("kudos", "peer recognition: give, list");
  kudos->require_subcommand(1);
  auto* give = kudos->add_subcommand(
      "give", "give kudos to an agent who works today (one a day to the same colleague)");
  give->add_option("--to", a->to, "the agent")->required();
  give->add_option("--reason", a->reason, "what for")->required();
  give->callback([&ctx, a] {
    ctx.Set([a](Client& c) {
      okr::v1::GiveKudosRequest request;
      request.set_to_unit_id(a->to);
      request.set_reason(a->reason);
      okr::v1::GiveKudosReply reply;
      auto stub = okr::v1::CloseService::NewStub(c.channel());
      grpc::Status status = stub->GiveKudos(c.NewContext().get(), request, &reply);
      if (!status.ok()) return ReportError(status);
      if (c.json()) {
        PrintJson({{"id", reply.kudos_id()}, {"to", a->to}});
      } else {
        std::cout << "kudos " << reply.kudos_id() << " to " << a->to << "\n";
      }
      return 0;
    });
  });
  auto* list = kudos->add_subcommand("list", "kudos received at or below a unit, oldest first");
  list->add_option("--unit", a->unit, "received at or below this unit (default: your scope)");
  list->add_option("--month", a->month, "YYYY-MM (default: every month)");
  AddPageFlags(list, a->page);
  list->callback([&ctx, a] {
    ctx.Set([a](Client& c) {
      okr::v1::ListKudosRequest request;
      request.set_unit_id(a->unit);
      request.set_month(a->month);
      SetPage(request, a->page);
      okr::v1::ListKudosReply reply;
      auto stub = okr::v1::CloseService::NewStub(c.channel());
      grpc::Status status = stub->ListKudos(c.NewContext().get(), request, &reply);
      if (!status.ok()) return ReportError(status);
      if (c.json()) {
        nlohmann::json all = nlohmann::json::array();
        for (const auto& k : reply.kudos()) {
          all.push_back({{"id", k.kudos_id()},
                         {"giver", k.giver()},
                         {"giver_role", k.giver_role()},
                         {"receiver", k.receiver_id()},
                         {"receiver_name", k.receiver_name()},
                         {"reason", k.reason()},
                         {"date", k.date()},
                         {"peer", k.peer()}});
        }
        PrintJson(WithNextPage({{"kudos", all}}, reply.next_page_token()));
        return 0;
      }
      Table table({"ID", "DATE", "GIVER", "RECEIVER", "NAME", "PEER", "REASON"});
      for (const auto& k : reply.kudos()) {
        table.Add({k.kudos_id(), k.date(), k.giver(), k.receiver_id(), k.receiver_name(),
                   k.peer() ? "yes" : "no (" + k.giver_role() + ")", k.reason()});
      }
      table.Print(std::cout);
      PrintNextPage(reply.next_page_token());
      return 0;
    });
  });
}

}  // namespace

void AddAlertCommands(CLI::App& app, Context& ctx) {
  struct Args {
    std::string unit, status;
    PageFlags page;
  };
  auto a = std::make_shared<Args>();
  CLI::App* alerts = app.add_subcommand(
      "alerts", "red-line alerts: list (by id, A1 A2 ... A10), ack, resolve, watch");
  alerts->add_option("--unit", a->unit, "at or below this unit");
  alerts->add_option("--status", a->status, "open, acked or resolved")
      ->check(CLI::IsMember({"open", "acked", "resolved"}));
  AddPageFlags(alerts, a->page);
  alerts->callback([&ctx, a, alerts] {
    if (!alerts->get_subcommands().empty()) return;
    ctx.Set([a](Client& c) {
      okr::v1::ListAlertsRequest request;
      request.set_unit_id(a->unit);
      request.set_status(ParseAlertStatus(a->status));
      SetPage(request, a->page);
      okr::v1::ListAlertsReply reply;
      auto stub = okr::v1::AlertService::NewStub(c.channel());
      grpc::Status status = stub->ListAlerts(c.NewContext().get(), request, &reply);
      if (!status.ok()) return ReportError(status);
      if (c.json()) {
        nlohmann::json all = nlohmann::json::array();
        for (const auto& al : reply.alerts()) all.push_back(AlertJson(al));
        PrintJson(WithNextPage({{"alerts", all}}, reply.next_page_token()));
        return 0;
      }
      PrintAlertTable(reply.alerts());
      PrintNextPage(reply.next_page_token());
      return 0;
    });
  });
  for (const char* verb : {"ack", "resolve"}) {
    const bool ack = std::string(verb) == "ack";
    auto* cmd = alerts->add_subcommand(
        verb, ack ? "acknowledge an alert: you are on it (it escalates no further)"
                  : "resolve an alert: it has been dealt with");
    struct Ref {
      std::string id, note;
    };
    auto ref = std::make_shared<Ref>();
    cmd->add_option("ID", ref->id, "alert id (A12)")->required();
    cmd->add_option("--note", ref->note,
                    "what was done or is planned (kept with the alert and in the history)");
    cmd->callback([&ctx, ref, ack] {
      ctx.Set([ref, ack](Client& c) {
        okr::v1::AlertRef request;
        request.set_alert_id(ref->id);
        request.set_note(ref->note);
        okr::v1::Alert reply;
        auto stub = okr::v1::AlertService::NewStub(c.channel());
        grpc::Status status = ack ? stub->AckAlert(c.NewContext().get(), request, &reply)
                                  : stub->ResolveAlert(c.NewContext().get(), request, &reply);
        if (!status.ok()) return ReportError(status);
        if (c.json()) {
          PrintJson(AlertJson(reply));
        } else {
          std::cout << reply.alert_id() << " " << AlertStatusText(reply.status()) << "\n";
        }
        return 0;
      });
    });
  }
  auto* watch = alerts->add_subcommand("watch", "stream alerts as they open or escalate");
  watch->callback([&ctx, a] {
    ctx.Set([a](Client& c) {
      okr::v1::ListAlertsRequest request;
      request.set_unit_id(a->unit);
      request.set_status(ParseAlertStatus(a->status));
      auto context = c.NewContext();
      context->set_deadline(std::chrono::system_clock::time_point::max());
      auto stub = okr::v1::AlertService::NewStub(c.channel());
      auto reader = stub->WatchAlerts(context.get(), request);
      okr::v1::Alert alert;
      while (reader->Read(&alert)) {
        if (c.json()) {
          std::cout << AlertJson(alert).dump() << std::endl;
        } else {
          std::cout << alert.alert_id() << "  " << AlertStatusText(alert.status()) << "  "
                    << alert.severity() << "  " << alert.unit_id() << "  " << alert.rule() << ": "
                    << alert.figures() << "  -> " << alert.escalated_to() << std::endl;
        }
      }
      grpc::Status status = reader->Finish();
      return status.ok() ? 0 : ReportError(status);
    });
  });
  AddKudosCommands(app, ctx);
}

}  // namespace okrctl
