// okrctl plugin list|load|unload|reload|configure, period close, payouts, awards (alerts and
// kudos: alert_commands.cc)
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "clients/okrctl/commands.h"
#include "clients/okrctl/paging_flags.h"
#include "clients/okrctl/table.h"
#include "okr/v1/plugins.grpc.pb.h"

namespace okrctl {
namespace {

std::string KindText(okr::v1::PluginKind k) {
  switch (k) {
    case okr::v1::PLUGIN_KIND_INCENTIVE:
      return "incentive";
    case okr::v1::PLUGIN_KIND_REDLINE:
      return "redline";
    case okr::v1::PLUGIN_KIND_RECOGNITION:
      return "recognition";
    default:
      return "?";
  }
}

nlohmann::json PluginJson(const okr::v1::PluginInfo& p) {
  nlohmann::json configs = nlohmann::json::object();
  for (const auto& [unit, json] : p.configs()) {
    configs[unit] = nlohmann::json::parse(json, nullptr, false);
  }
  nlohmann::json schema = nullptr;
  if (p.has_config_schema()) schema = nlohmann::json::parse(p.config_schema_json(), nullptr, false);
  return {{"name", p.name()},
          {"kind", KindText(p.kind())},
          {"version", p.version()},
          {"abi_version", p.abi_version()},
          {"path", p.path()},
          {"enabled", p.enabled()},
          {"faults", p.faults()},
          {"last_error", p.last_error()},
          {"configs", configs},
          // Without a config the plugin does nothing anywhere.
          {"configured", p.configs_size() > 0},
          {"config_schema", schema}};
}

// "not configured" or "2 units": where configs are set (the plugin does nothing elsewhere).
std::string ConfiguredText(const okr::v1::PluginInfo& p) {
  if (p.configs_size() == 0) return "not configured";
  return std::to_string(p.configs_size()) + (p.configs_size() == 1 ? " unit" : " units");
}

int PrintPlugin(const Client& c, const okr::v1::PluginInfo& p, const std::string& verb) {
  if (c.json()) {
    PrintJson(PluginJson(p));
  } else {
    std::cout << verb << " " << p.name() << " " << p.version() << " (" << KindText(p.kind())
              << ")\n";
  }
  return 0;
}

}  // namespace

void AddPluginCommands(CLI::App& app, Context& ctx) {
  struct Args {
    std::string path, name, unit, config, config_file, month, status, alert_id, to, reason;
  };
  auto a = std::make_shared<Args>();

  CLI::App* plugin = app.add_subcommand("plugin", "plugins: list, load, unload, reload, configure");
  plugin->require_subcommand(1);
  plugin->add_subcommand("list", "loaded plugins")->callback([&ctx] {
    ctx.Set([](Client& c) {
      okr::v1::ListPluginsReply reply;
      auto stub = okr::v1::PluginService::NewStub(c.channel());
      grpc::Status status =
          stub->ListPlugins(c.NewContext().get(), okr::v1::ListPluginsRequest(), &reply);
      if (!status.ok()) return ReportError(status);
      if (c.json()) {
        nlohmann::json all = nlohmann::json::array();
        for (const auto& p : reply.plugins()) all.push_back(PluginJson(p));
        PrintJson({{"plugins", all}});
        return 0;
      }
      Table table({"NAME", "KIND", "VERSION", "ENABLED", "FAULTS", "CONFIGS", "CONFIG SCHEMA",
                   "PATH", "LAST ERROR"});
      for (const auto& p : reply.plugins()) {
        table.Add({p.name(), KindText(p.kind()), p.version(), p.enabled() ? "yes" : "no",
                   std::to_string(p.faults()), ConfiguredText(p),
                   p.has_config_schema() ? "yes" : "none: configs unchecked", p.path(),
                   p.last_error()});
      }
      table.Print(std::cout);
      return 0;
    });
  });
  auto* load = plugin->add_subcommand(
      "load",
      "load a plugin from okrd's --plugin-dir: a name (tiered_bonus loads tiered_bonus.so) or a "
      "file in that folder; the file must be owned by root or okrd's user and writable by no one "
      "else");
  load->add_option("NAME", a->path, "plugin name, or a path on the server inside --plugin-dir")
      ->required();
  load->callback([&ctx, a] {
    ctx.Set([a](Client& c) {
      okr::v1::LoadPluginRequest request;
      request.set_path(a->path);
      okr::v1::PluginInfo reply;
      auto stub = okr::v1::PluginService::NewStub(c.channel());
      grpc::Status status = stub->LoadPlugin(c.NewContext().get(), request, &reply);
      return status.ok() ? PrintPlugin(c, reply, "loaded") : ReportError(status);
    });
  });
  for (const char* verb : {"unload", "reload"}) {
    auto* cmd = plugin->add_subcommand(verb, std::string(verb) + " a plugin by name");
    auto name = std::make_shared<std::string>();
    cmd->add_option("NAME", *name, "plugin name")->required();
    const std::string v = verb;
    cmd->callback([&ctx, name, v] {
      ctx.Set([name, v](Client& c) {
        okr::v1::PluginRef request;
        request.set_name(*name);
        okr::v1::PluginInfo reply;
        auto stub = okr::v1::PluginService::NewStub(c.channel());
        grpc::Status status = v == "unload"
                                  ? stub->UnloadPlugin(c.NewContext().get(), request, &reply)
                                  : stub->ReloadPlugin(c.NewContext().get(), request, &reply);
        return status.ok() ? PrintPlugin(c, reply, v + "ed") : ReportError(status);
      });
    });
  }
  auto* configure = plugin->add_subcommand("configure", "set a plugin's config for a subtree");
  configure->add_option("NAME", a->name, "plugin name")->required();
  configure->add_option("--unit", a->unit, "the subtree the config applies to")->required();
  auto* inline_config = configure->add_option("--config", a->config, "config JSON");
  auto* file_config = configure->add_option("--config-file", a->config_file, "config JSON file");
  inline_config->excludes(file_config);
  configure->callback([&ctx, a] {
    ctx.Set([a](Client& c) {
      okr::v1::ConfigurePluginRequest request;
      request.set_name(a->name);
      request.set_unit_id(a->unit);
      std::string config = a->config;
      if (!a->config_file.empty()) {
        std::ifstream in(a->config_file);
        if (!in) return ReportError("INVALID_ARGUMENT", "cannot read " + a->config_file);
        std::ostringstream text;
        text << in.rdbuf();
        config = text.str();
      }
      if (config.empty()) return ReportError("INVALID_ARGUMENT", "give --config or --config-file");
      request.set_config_json(config);
      okr::v1::PluginInfo reply;
      auto stub = okr::v1::PluginService::NewStub(c.channel());
      grpc::Status status = stub->ConfigurePlugin(c.NewContext().get(), request, &reply);
      return status.ok() ? PrintPlugin(c, reply, "configured") : ReportError(status);
    });
  });

  AddPluginConfigCommand(*plugin, ctx);

  CLI::App* period = app.add_subcommand("period", "month close");
  period->require_subcommand(1);
  auto* close = period->add_subcommand("close",
                                       "run incentive and recognition plugins over a "
                                       "month's final progress and store the results");
  close->add_option("MONTH", a->month, "YYYY-MM")->required();
  close->callback([&ctx, a] {
    ctx.Set([a](Client& c) {
      okr::v1::ClosePeriodRequest request;
      request.set_month(a->month);
      okr::v1::ClosePeriodReply reply;
      auto stub = okr::v1::CloseService::NewStub(c.channel());
      grpc::Status status = stub->ClosePeriod(c.NewContext().get(), request, &reply);
      if (!status.ok()) return ReportError(status);
      if (c.json()) {
        nlohmann::json problems = nlohmann::json::array();
        for (const auto& p : reply.problems()) problems.push_back(p);
        PrintJson({{"month", reply.month()},
                   {"payouts", reply.payouts()},
                   {"awards", reply.awards()},
                   {"close_version", reply.close_version()},
                   {"problems", problems}});
      } else {
        std::cout << "closed " << reply.month() << " (version " << reply.close_version()
                  << "): " << reply.payouts() << " payouts, " << reply.awards() << " awards\n";
        for (const auto& p : reply.problems()) std::cout << "  dropped: " << p << "\n";
      }
      return 0;
    });
  });

  auto add_outcomes = [&](const char* name, bool payouts) {
    auto o = std::make_shared<Args>();
    auto page = std::make_shared<PageFlags>();
    auto* cmd = app.add_subcommand(
        name, payouts ? "payouts of a closed month" : "awards of a closed month");
    cmd->add_option("--period", o->month, "YYYY-MM")->required();
    cmd->add_option("--unit", o->unit, "at or below this unit");
    AddPageFlags(cmd, *page);
    cmd->callback([&ctx, o, page, payouts] {
      ctx.Set([o, page, payouts](Client& c) {
        okr::v1::ListOutcomesRequest request;
        request.set_month(o->month);
        request.set_unit_id(o->unit);
        SetPage(request, *page);
        auto stub = okr::v1::CloseService::NewStub(c.channel());
        if (payouts) {
          okr::v1::ListPayoutsReply reply;
          grpc::Status status = stub->ListPayouts(c.NewContext().get(), request, &reply);
          if (!status.ok()) return ReportError(status);
          if (c.json()) {
            nlohmann::json all = nlohmann::json::array();
            for (const auto& p : reply.payouts()) {
              all.push_back({{"unit", p.unit_id()},
                             {"month", p.month()},
                             {"amount", Number(p.amount())},
                             {"currency", p.currency()},
                             {"rule", p.rule()},
                             {"explanation", p.explanation()},
                             {"plugin", p.plugin()}});
            }
            PrintJson(
                WithNextPage({{"period", o->month}, {"payouts", all}}, reply.next_page_token()));
            return 0;
          }
          Table table({"UNIT", "AMOUNT", "CURRENCY", "RULE", "PLUGIN", "EXPLANATION"});
          table.AlignRight({1});
          for (const auto& p : reply.payouts()) {
            table.Add({p.unit_id(), FormatNumber(p.amount()), p.currency(), p.rule(), p.plugin(),
                       p.explanation()});
          }
          table.Print(std::cout);
          PrintNextPage(reply.next_page_token());
          return 0;
        }
        okr::v1::ListAwardsReply reply;
        grpc::Status status = stub->ListAwards(c.NewContext().get(), request, &reply);
        if (!status.ok()) return ReportError(status);
        if (c.json()) {
          nlohmann::json all = nlohmann::json::array();
          for (const auto& w : reply.awards()) {
            all.push_back({{"unit", w.unit_id()},
                           {"month", w.month()},
                           {"award", w.award()},
                           {"explanation", w.explanation()},
                           {"score", Number(w.score())},
                           {"plugin", w.plugin()}});
          }
          PrintJson(WithNextPage({{"period", o->month}, {"awards", all}}, reply.next_page_token()));
          return 0;
        }
        Table table({"UNIT", "AWARD", "PLUGIN", "EXPLANATION"});
        for (const auto& w : reply.awards()) {
          table.Add({w.unit_id(), w.award(), w.plugin(), w.explanation()});
        }
        table.Print(std::cout);
        PrintNextPage(reply.next_page_token());
        return 0;
      });
    });
  };
  add_outcomes("payouts", true);
  add_outcomes("awards", false);
}

}  // namespace okrctl
