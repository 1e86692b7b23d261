// okrctl org ... and okrctl metric ...
#include <iostream>
#include <memory>

#include "clients/okrctl/commands.h"
#include "clients/okrctl/paging_flags.h"
#include "clients/okrctl/table.h"
#include "clients/okrctl/upload.h"
#include "okr/v1/metric.grpc.pb.h"
#include "okr/v1/org.grpc.pb.h"

namespace okrctl {
namespace {

std::string KindName(okr::v1::UnitKind kind) {
  switch (kind) {
    case okr::v1::UNIT_KIND_COMPANY:
      return "company";
    case okr::v1::UNIT_KIND_TEAM:
      return "team";
    case okr::v1::UNIT_KIND_GROUP:
      return "group";
    case okr::v1::UNIT_KIND_AGENT:
      return "agent";
    default:
      return "?";
  }
}

nlohmann::json UnitJson(const okr::v1::Unit& unit) {
  nlohmann::json moves = nlohmann::json::array();
  for (const auto& move : unit.moves()) {
    moves.push_back({{"effective", move.effective()}, {"parent_id", move.parent_id()}});
  }
  return {{"unit_id", unit.unit_id()},
          {"parent_id", unit.parent_id()},
          {"kind", KindName(unit.kind())},
          {"name", unit.name()},
          {"fte", unit.fte()},
          {"start_date", unit.start_date()},
          {"end_date", unit.end_date()},
          {"moves", moves}};
}

nlohmann::json RowErrorsJson(const google::protobuf::RepeatedPtrField<okr::v1::RowError>& errors) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& error : errors) {
    out.push_back({{"line", error.line()}, {"message", error.message()}});
  }
  return out;
}

int ImportOrg(Client& client, const std::string& file, const std::string& encoding, bool dry_run) {
  if (std::string error = CheckCsvFile(file, encoding); !error.empty()) {
    return ReportError("INVALID_ARGUMENT", error);  // nothing sent
  }
  auto stub = okr::v1::OrgService::NewStub(client.channel());
  auto context = client.NewContext();
  okr::v1::ImportUnitsReply reply;
  auto writer = stub->ImportUnits(context.get(), &reply);
  if (std::string error = UploadCsv(file, encoding, *writer, false, dry_run); !error.empty()) {
    context->TryCancel();
    writer->Finish();
    return ReportError("INVALID_ARGUMENT", error);
  }
  grpc::Status status = writer->Finish();
  if (!status.ok()) return ReportError(status);
  if (client.json()) {
    nlohmann::json groups = nlohmann::json::array();
    for (const auto& g : reply.groups()) {
      groups.push_back({{"unit", g.unit_id()},
                        {"name", g.name()},
                        {"agents", g.agents()},
                        {"fte", Number(g.fte())}});
    }
    PrintJson(
        {{"created", reply.created()},
         {"updated", reply.updated()},
         {"unchanged", reply.unchanged()},
         {"rejected", reply.rejected()},
         {"errors", RowErrorsJson(reply.errors())},
         {"warnings", std::vector<std::string>(reply.warnings().begin(), reply.warnings().end())},
         {"groups", groups},
         {"groups_as_of", reply.groups_as_of()}});
  } else {
    std::cout << "created " << reply.created() << ", updated " << reply.updated() << ", unchanged "
              << reply.unchanged() << ", rejected " << reply.rejected() << "\n";
    for (const auto& error : reply.errors()) std::cout << "  " << error.message() << "\n";
    for (const auto& warning : reply.warnings()) std::cout << "  warning: " << warning << "\n";
    if (reply.groups_size() > 0) {
      std::cout << "\nagents and FTE per group on " << reply.groups_as_of() << ":\n";
      Table table({"GROUP", "NAME", "AGENTS", "FTE"});
      table.AlignRight({2, 3});
      for (const auto& g : reply.groups()) {
        table.Add({g.unit_id(), g.name(), std::to_string(g.agents()), Number(g.fte()).dump()});
      }
      table.Print(std::cout);
    }
  }
  if (reply.rejected() > 0) {
    return ReportError("INVALID_ARGUMENT", std::to_string(reply.rejected()) + " bad row(s) in " +
                                               file + "; nothing was stored");
  }
  return 0;
}

// Without --limit or --page-token every page, so that `org show` prints the whole tree
// however large; with either, that one page and the next page's token.
int ShowOrg(Client& client, const std::string& unit, int depth, const std::string& as_of,
            const PageFlags& page) {
  auto stub = okr::v1::OrgService::NewStub(client.channel());
  okr::v1::ListSubtreeRequest request;
  request.set_unit_id(unit);
  request.set_depth(depth);
  request.set_as_of(as_of);
  SetPage(request, page);
  const bool one_page = page.limit > 0 || !page.page_token.empty();
  okr::v1::ListSubtreeReply reply;
  while (true) {
    okr::v1::ListSubtreeReply part;
    grpc::Status status = stub->ListSubtree(client.NewContext().get(), request, &part);
    if (!status.ok()) return ReportError(status);
    reply.mutable_nodes()->MergeFrom(part.nodes());
    reply.set_next_page_token(part.next_page_token());
    if (one_page || part.next_page_token().empty()) break;
    request.set_page_token(part.next_page_token());
  }
  if (client.json()) {
    nlohmann::json units = nlohmann::json::array();
    for (const auto& node : reply.nodes()) {
      nlohmann::json entry = UnitJson(node.unit());
      entry["depth"] = node.depth();
      entry["active"] = node.active();
      units.push_back(entry);
    }
    PrintJson(WithNextPage({{"units", units}}, reply.next_page_token()));
    return 0;
  }
  Table table({"UNIT", "KIND", "NAME", "FTE", "START", "END"});
  table.AlignRight({3});
  for (const auto& node : reply.nodes()) {
    const auto& u = node.unit();
    std::string label = std::string(node.depth() * 2, ' ') + u.unit_id();
    if (!node.active()) label += " (inactive)";
    table.Add({label, KindName(u.kind()), u.name(),
               u.kind() == okr::v1::UNIT_KIND_AGENT ? FormatNumber(u.fte()) : "", u.start_date(),
               u.end_date()});
  }
  table.Print(std::cout);
  PrintNextPage(reply.next_page_token());
  return 0;
}

int PrintUnit(Client& client, const okr::v1::Unit& unit) {
  if (client.json()) {
    PrintJson(UnitJson(unit));
  } else {
    std::cout << unit.unit_id() << " (" << KindName(unit.kind()) << ") below "
              << (unit.parent_id().empty() ? "-" : unit.parent_id());
    for (const auto& move : unit.moves()) {
      std::cout << ", below " << move.parent_id() << " from " << move.effective();
    }
    if (!unit.end_date().empty()) std::cout << ", until " << unit.end_date();
    std::cout << "\n";
  }
  return 0;
}

std::string DirectionText(okr::v1::Direction d) {
  return d == okr::v1::DIRECTION_DOWN ? "down" : "up";
}
std::string MetricKindText(okr::v1::MetricKind k) {
  return k == okr::v1::METRIC_KIND_RATIO ? "ratio" : "count";
}

nlohmann::json MetricJson(const okr::v1::Metric& m) {
  return {{"id", m.metric_id()},
          {"kind", MetricKindText(m.kind())},
          {"direction", DirectionText(m.direction())},
          {"scale", Number(m.scale())},
          {"unit", m.unit()},
          {"name", m.name()}};
}

}  // namespace

void AddOrgCommands(CLI::App& app, Context& ctx) {
  CLI::App* org = app.add_subcommand("org", "the org tree: import, show, move, deactivate");
  org->require_subcommand(1);

  auto* import_units = org->add_subcommand("import",
                                           "import units from a CSV file "
                                           "(unit_id,parent_id,kind,name,fte,start_date,end_date)");
  auto file = std::make_shared<std::string>();
  auto encoding = std::make_shared<std::string>();
  auto dry_run = std::make_shared<bool>(false);
  import_units->add_option("FILE", *file, "CSV file")->required();
  import_units->add_option(
      "--encoding", *encoding,
      "the file's encoding when it is not UTF-8 (GB18030, GBK, windows-1251, ...: "
      "any name `iconv -l` lists); it is converted to UTF-8 before sending");
  import_units->add_flag("--dry-run", *dry_run, "validate only; store nothing");
  import_units->callback([&ctx, file, encoding, dry_run] {
    ctx.Set(
        [file, encoding, dry_run](Client& c) { return ImportOrg(c, *file, *encoding, *dry_run); });
  });

  auto* show = org->add_subcommand("show", "show the tree below a unit (default: everything)");
  auto unit = std::make_shared<std::string>();
  auto depth = std::make_shared<int>(0);
  auto as_of = std::make_shared<std::string>();
  show->add_option("UNIT", *unit, "the unit at the top");
  show->add_option("--depth", *depth, "levels below the unit (0: all)");
  show->add_option("--as-of", *as_of, "the tree on this day (YYYY-MM-DD; default today)");
  auto page = std::make_shared<PageFlags>();
  show->add_option("--limit", page->limit,
                   "only one page of at most N units (at most 10000; default: every page)");
  AddPageFlags(show, *page, /*with_limit=*/false);
  show->callback([&ctx, unit, depth, as_of, page] {
    ctx.Set([=](Client& c) { return ShowOrg(c, *unit, *depth, *as_of, *page); });
  });

  auto* move = org->add_subcommand("move", "move a unit below another parent from a date");
  auto move_unit = std::make_shared<std::string>();
  auto to = std::make_shared<std::string>();
  auto effective = std::make_shared<std::string>();
  auto reason = std::make_shared<std::string>();
  move->add_option("--unit", *move_unit, "the unit to move")->required();
  move->add_option("--to", *to, "the new parent")->required();
  move->add_option("--effective", *effective, "first day below the new parent (YYYY-MM-DD)")
      ->required();
  move->add_option("--reason", *reason, "why (kept in the history)");
  move->callback([&ctx, move_unit, to, effective, reason] {
    ctx.Set([=](Client& c) {
      auto stub = okr::v1::OrgService::NewStub(c.channel());
      okr::v1::MoveUnitRequest request;
      request.set_unit_id(*move_unit);
      request.set_new_parent_id(*to);
      request.set_effective(*effective);
      request.set_reason(*reason);
      okr::v1::Unit reply;
      grpc::Status status = stub->MoveUnit(c.NewContext().get(), request, &reply);
      return status.ok() ? PrintUnit(c, reply) : ReportError(status);
    });
  });

  auto* deactivate = org->add_subcommand("deactivate", "end a unit (an agent's last day)");
  auto d_unit = std::make_shared<std::string>();
  auto end = std::make_shared<std::string>();
  deactivate->add_option("--unit", *d_unit, "the unit")->required();
  deactivate->add_option("--end-date", *end, "last active day (YYYY-MM-DD)");
  deactivate->callback([&ctx, d_unit, end] {
    ctx.Set([=](Client& c) {
      auto stub = okr::v1::OrgService::NewStub(c.channel());
      okr::v1::DeactivateUnitRequest request;
      request.set_unit_id(*d_unit);
      request.set_end_date(*end);
      okr::v1::Unit reply;
      grpc::Status status = stub->DeactivateUnit(c.NewContext().get(), request, &reply);
      return status.ok() ? PrintUnit(c, reply) : ReportError(status);
    });
  });
}

void AddMetricCommands(CLI::App& app, Context& ctx) {
  CLI::App* metric = app.add_subcommand("metric", "metrics: define, list");
  metric->require_subcommand(1);

  struct Args {
    std::string id, kind, direction = "up", unit, name;
    double scale = 1.0;
  };
  auto args = std::make_shared<Args>();
  auto* define = metric->add_subcommand("define", "define a metric (or update its labels)");
  define->add_option("ID", args->id, "metric id")->required();
  define->add_option("--kind", args->kind, "count or ratio")->required();
  define->add_option("--direction", args->direction, "up or down")->capture_default_str();
  define->add_option("--scale", args->scale, "display factor (100 for a percentage)")
      ->capture_default_str();
  define->add_option("--unit", args->unit, "display label");
  define->add_option("--name", args->name, "display name");
  define->callback([&ctx, args] {
    ctx.Set([args](Client& c) {
      okr::v1::DefineMetricRequest request;
      auto* m = request.mutable_metric();
      m->set_metric_id(args->id);
      if (args->kind == "count") {
        m->set_kind(okr::v1::METRIC_KIND_COUNT);
      } else if (args->kind == "ratio") {
        m->set_kind(okr::v1::METRIC_KIND_RATIO);
      } else {
        return ReportError("INVALID_ARGUMENT",
                           "bad metric kind '" + args->kind + "': expected count or ratio");
      }
      if (args->direction == "up") {
        m->set_direction(okr::v1::DIRECTION_UP);
      } else if (args->direction == "down") {
        m->set_direction(okr::v1::DIRECTION_DOWN);
      } else {
        return ReportError("INVALID_ARGUMENT",
                           "bad direction '" + args->direction + "': expected up or down");
      }
      m->set_scale(args->scale);
      m->set_unit(args->unit);
      m->set_name(args->name);
      auto stub = okr::v1::MetricService::NewStub(c.channel());
      okr::v1::Metric reply;
      grpc::Status status = stub->DefineMetric(c.NewContext().get(), request, &reply);
      if (!status.ok()) return ReportError(status);
      if (c.json()) {
        PrintJson(MetricJson(reply));
      } else {
        std::cout << "metric " << reply.metric_id() << " (" << MetricKindText(reply.kind()) << ", "
                  << DirectionText(reply.direction()) << ") defined\n";
      }
      return 0;
    });
  });

  auto* list = metric->add_subcommand("list", "list the metrics");
  list->callback([&ctx] {
    ctx.Set([](Client& c) {
      auto stub = okr::v1::MetricService::NewStub(c.channel());
      okr::v1::ListMetricsReply reply;
      grpc::Status status =
          stub->ListMetrics(c.NewContext().get(), okr::v1::ListMetricsRequest(), &reply);
      if (!status.ok()) return ReportError(status);
      if (c.json()) {
        nlohmann::json metrics = nlohmann::json::array();
        for (const auto& m : reply.metrics()) metrics.push_back(MetricJson(m));
        PrintJson({{"metrics", metrics}});
        return 0;
      }
      Table table({"METRIC", "KIND", "DIRECTION", "SCALE", "UNIT", "NAME"});
      for (const auto& m : reply.metrics()) {
        table.Add({m.metric_id(), MetricKindText(m.kind()), DirectionText(m.direction()),
                   FormatNumber(m.scale()), m.unit(), m.name()});
      }
      table.Print(std::cout);
      return 0;
    });
  });
}

}  // namespace okrctl
