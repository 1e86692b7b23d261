// okrctl plugin config --unit U [--plugin P]: the effective config of plugins at a unit (what
// the plugin gets for it: the configs of the unit and its ancestors merged,
// docs/plugin-configs.md) and the unit each part came from.
#include <iostream>
#include <memory>

#include "clients/okrctl/commands.h"
#include "clients/okrctl/table.h"
#include "okr/v1/plugins.grpc.pb.h"

namespace okrctl {
namespace {

nlohmann::json EffectiveJson(const std::string& unit, const okr::v1::EffectivePluginConfig& p) {
  nlohmann::json sources = nlohmann::json::array();
  for (const auto& s : p.sources()) sources.push_back({{"path", s.path()}, {"unit", s.unit_id()}});
  nlohmann::json set_on = nlohmann::json::array();
  for (const auto& u : p.set_on()) set_on.push_back(u);
  return {{"unit", unit},
          {"plugin", p.name()},
          {"configured", p.configured()},
          {"set_on", set_on},
          {"config", p.configured() ? nlohmann::json::parse(p.config_json(), nullptr, false)
                                    : nlohmann::json(nullptr)},
          {"sources", sources},
          {"config_schema", p.has_config_schema()},
          {"problem", p.problem()}};
}

void PrintEffective(const std::string& unit, const okr::v1::EffectivePluginConfig& p) {
  if (!p.configured()) {
    std::cout << p.name() << " at " << unit << ": not configured at " << unit
              << " or above it; the plugin does nothing for " << unit << "\n";
    return;
  }
  std::string set_on;
  for (const auto& u : p.set_on()) set_on += (set_on.empty() ? "" : ", ") + u;
  std::cout << p.name() << " at " << unit << ": merged from the configs of " << set_on
            << (p.has_config_schema() ? "" : " (the plugin declares no schema: unchecked)") << "\n";
  if (!p.problem().empty()) {
    std::cout << "does not fit, so the plugin does nothing for " << unit << ": " << p.problem()
              << "\n";
  }
  std::cout << nlohmann::json::parse(p.config_json(), nullptr, false).dump(2) << "\n";
  Table table({"PATH", "FROM"});
  for (const auto& s : p.sources()) table.Add({s.path(), s.unit_id()});
  table.Print(std::cout);
}

}  // namespace

void AddPluginConfigCommand(CLI::App& plugin, Context& ctx) {
  struct Args {
    std::string unit, name;
  };
  auto a = std::make_shared<Args>();
  auto* config = plugin.add_subcommand(
      "config",
      "the effective config of plugins at a unit: its own and its ancestors' configs merged "
      "(docs/plugin-configs.md), and the unit each key came from");
  config->add_option("--unit", a->unit, "the unit")->required();
  config->add_option("--plugin", a->name, "one plugin (default: every loaded plugin)");
  config->callback([&ctx, a] {
    ctx.Set([a](Client& c) {
      okr::v1::GetPluginConfigRequest request;
      request.set_unit_id(a->unit);
      request.set_name(a->name);
      okr::v1::GetPluginConfigReply reply;
      auto stub = okr::v1::PluginService::NewStub(c.channel());
      grpc::Status status = stub->GetPluginConfig(c.NewContext().get(), request, &reply);
      if (!status.ok()) return ReportError(status);
      if (c.json()) {
        if (!a->name.empty() && reply.plugins_size() == 1) {
          PrintJson(EffectiveJson(reply.unit_id(), reply.plugins(0)));
          return 0;
        }
        nlohmann::json all = nlohmann::json::array();
        for (const auto& p : reply.plugins()) all.push_back(EffectiveJson(reply.unit_id(), p));
        PrintJson({{"unit", reply.unit_id()}, {"plugins", all}});
        return 0;
      }
      for (int i = 0; i < reply.plugins_size(); ++i) {
        if (i > 0) std::cout << "\n";
        PrintEffective(reply.unit_id(), reply.plugins(i));
      }
      return 0;
    });
  });
}

}  // namespace okrctl
