// okrctl actuals import | progress [--children] [--watch] | leaderboard
#include <iostream>
#include <memory>

#include "clients/okrctl/commands.h"
#include "clients/okrctl/table.h"
#include "clients/okrctl/upload.h"
#include "okr/v1/actuals.grpc.pb.h"
#include "okr/v1/progress.grpc.pb.h"

namespace okrctl {
namespace {

nlohmann::json ProgressJson(const okr::v1::Progress& p) {
  return {{"unit", p.unit_id()},
          {"metric", p.metric_id()},
          {"period", p.period()},
          {"target", Number(p.target())},
          {"actual", Number(p.actual())},
          {"attainment_pct", Number(p.attainment_pct())},
          {"expected_to_date", Number(p.expected_to_date())},
          {"status", p.status_name()},
          {"events", p.events()}};
}

std::string StatusWords(const std::string& status) {
  std::string words = status;
  for (char& c : words) {
    if (c == '_') c = ' ';
  }
  return words;
}

void AddProgressRow(Table& table, const okr::v1::Progress& p, const std::string& indent) {
  table.Add({indent + p.unit_id(), FormatNumber(p.target()), FormatNumber(p.actual()),
             FormatNumber(p.expected_to_date()), FormatNumber(p.attainment_pct(), 1) + "%",
             Bar(p.attainment_pct()), StatusWords(p.status_name())});
}

// One JSON document per reply: indented for a single answer, one line per update when
// watching (so a reader can take a line at a time).
void PrintProgress(const Client& client, const okr::v1::ProgressReply& reply, bool children,
                   bool one_line = false) {
  if (client.json()) {
    nlohmann::json doc = ProgressJson(reply.progress());
    if (children) {
      nlohmann::json list = nlohmann::json::array();
      for (const auto& child : reply.children()) list.push_back(ProgressJson(child));
      doc["children"] = list;
    }
    doc["as_of"] = reply.as_of();
    std::cout << (one_line ? doc.dump() : doc.dump(2)) << std::endl;
    return;
  }
  std::cout << reply.progress().metric_id() << " " << reply.progress().period() << " as of "
            << reply.as_of() << "\n";
  Table table({"UNIT", "TARGET", "ACTUAL", "EXPECTED", "ATTAIN", "", "STATUS"});
  table.AlignRight({1, 2, 3, 4});
  AddProgressRow(table, reply.progress(), "");
  for (const auto& child : reply.children()) AddProgressRow(table, child, "  ");
  table.Print(std::cout);
  std::cout << std::flush;
}

nlohmann::json RowErrorsJson(const google::protobuf::RepeatedPtrField<okr::v1::RowError>& errors) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& error : errors) {
    out.push_back({{"line", error.line()}, {"message", error.message()}});
  }
  return out;
}

nlohmann::json WarningsJson(const google::protobuf::RepeatedPtrField<std::string>& warnings) {
  return nlohmann::json(std::vector<std::string>(warnings.begin(), warnings.end()));
}

}  // namespace

void AddActualsCommands(CLI::App& app, Context& ctx) {
  CLI::App* actuals = app.add_subcommand("actuals", "actual events: import, delete");
  actuals->require_subcommand(1);
  struct Args {
    std::string file;
    std::string encoding;
    bool skip_invalid = false;
    bool dry_run = false;
  };
  auto a = std::make_shared<Args>();
  auto* import = actuals->add_subcommand(
      "import", "import events from a CSV file (event_id,unit_id,metric,date,value,denominator)");
  import->add_option("FILE", a->file, "CSV file")->required();
  import->add_option("--encoding", a->encoding,
                     "the file's encoding when it is not UTF-8 (GB18030, GBK, windows-1251, ...: "
                     "any name `iconv -l` lists); it is converted to UTF-8 before sending");
  import->add_flag("--skip-invalid", a->skip_invalid, "store the good rows even if some are bad");
  import->callback([&ctx, a] {
    ctx.Set([a](Client& c) {
      if (std::string error = CheckCsvFile(a->file, a->encoding); !error.empty()) {
    return ReportError("INVALID_ARGUMENT", error);  // nothing sent
  }
  auto stub = okr::v1::ActualsService::NewStub(c.channel());
  auto context = c.NewContext();
  okr::v1::IngestReply reply;
  auto writer = stub->ImportCsv(context.get(), &reply);
  if (std::string error = UploadCsv(a->file, a->encoding, *writer, a->skip_invalid, a->dry_run);
      !error.empty()) {
    context->TryCancel();
    writer->Finish();
    return ReportError("INVALID_ARGUMENT", error);
  }
  grpc::Status status = writer->Finish();
  if (!status.ok()) return ReportError(status);
  if (c.json()) {
    PrintJson({{"accepted", reply.accepted()},
               {"duplicates", reply.duplicates()},
               {"corrected", reply.corrected()},
               {"rejected", reply.rejected()},
               {"errors", RowErrorsJson(reply.errors())},
               {"warnings", WarningsJson(reply.warnings())}});
  } else {
    std::cout << "accepted " << reply.accepted() << ", duplicates " << reply.duplicates()
              << ", corrected " << reply.corrected() << ", rejected " << reply.rejected() << "\n";
    for (const auto& error : reply.errors()) std::cout << "  " << error.message() << "\n";
    for (const auto& warning : reply.warnings()) std::cout << "  warning: " << warning << "\n";
  }
  if (reply.rejected() > 0 && !a->skip_invalid) {
    return ReportError("INVALID_ARGUMENT",
                       std::to_string(reply.rejected()) + " bad row(s) in " + a->file +
                           "; nothing was stored (use --skip-invalid to keep the good rows)");
  }
  return 0;
});
}  // namespace okrctl
);

struct DeleteArgs {
  std::string event_id, reason;
};
auto d = std::make_shared<DeleteArgs>();
auto* remove = actuals->add_subcommand(
    "delete",
    "delete one event and what it added to the roll-ups (audited; not in a closed month)");
remove->add_option("--event-id", d->event_id, "the event's id")->required();
remove->add_option("--reason", d->reason, "why (kept in the history)");
remove->callback([&ctx, d] {
  ctx.Set([d](Client& c) {
    okr::v1::DeleteEventRequest request;
    request.set_event_id(d->event_id);
    request.set_reason(d->reason);
    okr::v1::DeleteEventReply reply;
    auto stub = okr::v1::ActualsService::NewStub(c.channel());
    grpc::Status status = stub->DeleteEvent(c.NewContext().get(), request, &reply);
    if (!status.ok()) return ReportError(status);
    const okr::v1::ActualEvent& e = reply.event();
    if (c.json()) {
      PrintJson({{"deleted", true},
                 {"event_id", e.event_id()},
                 {"unit_id", e.unit_id()},
                 {"metric", e.metric_id()},
                 {"date", e.date()},
                 {"value", Number(e.value())},
                 {"denominator", Number(e.denominator())}});
    } else {
      std::cout << "deleted event " << e.event_id() << ": " << e.unit_id() << " " << e.metric_id()
                << " " << e.date() << " value " << Number(e.value()).dump();
      if (e.denominator() != 0) std::cout << " of " << Number(e.denominator()).dump();
      std::cout << "\n";
    }
    return 0;
  });
});
}

void AddProgressCommands(CLI::App& app, Context& ctx) {
  struct Args {
    std::string unit, metric, period, as_of;
    bool children = false;
    bool watch = false;
    unsigned limit = 20;
    double min_volume = 0;
  };
  auto a = std::make_shared<Args>();
  auto* progress = app.add_subcommand("progress", "progress of a unit against its plan");
  progress->add_option("--unit", a->unit, "unit")->required();
  progress->add_option("--metric", a->metric, "metric")->required();
  progress->add_option("--period", a->period, "YYYY, YYYY-Qn or YYYY-MM")->required();
  progress->add_option("--as-of", a->as_of, "as of this day (YYYY-MM-DD; default today)");
  progress->add_flag("--children", a->children, "also each child of the unit");
  progress->add_flag("--watch", a->watch, "keep printing as actuals arrive (Ctrl-C stops)");
  progress->callback([&ctx, a] {
    ctx.Set([a](Client& c) {
      okr::v1::ProgressRequest request;
      request.set_unit_id(a->unit);
      request.set_metric_id(a->metric);
      request.set_period(a->period);
      request.set_as_of(a->as_of);
      request.set_children(a->children);
      auto stub = okr::v1::ProgressService::NewStub(c.channel());
      if (a->watch) {
        auto watch_context = c.NewContext();
        watch_context->set_deadline(std::chrono::system_clock::time_point::max());
        auto reader = stub->Watch(watch_context.get(), request);
        okr::v1::ProgressReply reply;
        while (reader->Read(&reply)) PrintProgress(c, reply, a->children, /*one_line=*/true);
        grpc::Status status = reader->Finish();
        return status.ok() ? 0 : ReportError(status);
      }
      okr::v1::ProgressReply reply;
      grpc::Status status = stub->GetProgress(c.NewContext().get(), request, &reply);
      if (!status.ok()) return ReportError(status);
      PrintProgress(c, reply, a->children);
      return 0;
    });
  });

  auto* leaderboard = app.add_subcommand("leaderboard", "agents below a unit by attainment");
  leaderboard->add_option("--unit", a->unit, "unit")->required();
  leaderboard->add_option("--metric", a->metric, "metric")->required();
  leaderboard->add_option("--period", a->period, "YYYY, YYYY-Qn or YYYY-MM")->required();
  leaderboard->add_option("--as-of", a->as_of, "as of this day (YYYY-MM-DD; default today)");
  leaderboard->add_option("--limit", a->limit, "top N (default 20)");
  CLI::Option* min_volume = leaderboard->add_option(
      "--min-volume", a->min_volume,
      "ratio metrics: leave out agents whose period volume (sum of denominators: responses, "
      "tickets) is below N (default 10; 0 ranks everyone)");
  leaderboard->callback([&ctx, a, min_volume] {
    const bool has_min_volume = min_volume->count() > 0;
    ctx.Set([a, has_min_volume](Client& c) {
      okr::v1::LeaderboardRequest request;
      request.set_unit_id(a->unit);
      request.set_metric_id(a->metric);
      request.set_period(a->period);
      request.set_as_of(a->as_of);
      request.set_limit(a->limit);
      if (has_min_volume) request.set_min_volume(a->min_volume);
      okr::v1::LeaderboardReply reply;
      auto stub = okr::v1::ProgressService::NewStub(c.channel());
      grpc::Status status = stub->Leaderboard(c.NewContext().get(), request, &reply);
      if (!status.ok()) return ReportError(status);
      if (c.json()) {
        nlohmann::json agents = nlohmann::json::array();
        for (const auto& p : reply.agents()) {
          nlohmann::json row = ProgressJson(p);
          row["name"] = p.unit_name();
          row["group"] = p.group_id();
          row["group_name"] = p.group_name();
          row["volume"] = Number(p.volume());
          agents.push_back(std::move(row));
        }
        PrintJson({{"unit", a->unit},
                   {"metric", a->metric},
                   {"period", a->period},
                   {"agents", agents},
                   {"min_volume", Number(reply.min_volume())},
                   {"below_min_volume", reply.below_min_volume()}});
        return 0;
      }
      Table table(
          {"#", "AGENT", "NAME", "GROUP", "TARGET", "ACTUAL", "VOLUME", "ATTAIN", "", "STATUS"});
      table.AlignRight({0, 4, 5, 6, 7});
      int rank = 0;
      for (const auto& p : reply.agents()) {
        table.Add(
            {std::to_string(++rank), p.unit_id(), p.unit_name(),
             p.group_name().empty() ? p.group_id() : p.group_id() + " (" + p.group_name() + ")",
             FormatNumber(p.target()), FormatNumber(p.actual()), FormatNumber(p.volume()),
             FormatNumber(p.attainment_pct(), 1) + "%", Bar(p.attainment_pct()),
             StatusWords(p.status_name())});
      }
      table.Print(std::cout);
      if (reply.below_min_volume() > 0) {
        std::cout << reply.below_min_volume() << " agent(s) left out: volume below "
                  << FormatNumber(reply.min_volume()) << " (--min-volume)\n";
      }
      return 0;
    });
  });
}

}  // namespace okrctl
