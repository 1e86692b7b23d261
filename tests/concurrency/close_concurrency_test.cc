// A month close against plugins that are slow or hang (issue 23, "Concurrency"): a real okrd
// whose only plugin is `gate`, an incentive plugin compiled here that, on each evaluation,
// creates a "started" file and waits until a "release" file exists (at most 20 s). The test
// holds the close inside the plugin for as long as it likes, without timing anything:
//   - while the close waits on the plugin, a breakdown read and a cascade both complete (before,
//     the close held the plan lock across its plugin calls, and both waited for it);
//   - a plugin that is never released overruns its 5 s budget: it is disabled with a message in
//     `okrctl plugin list`, the close still answers, and okrd serves on.
// The test names start with Concurrency so that the TSan step runs them (scripts/ci-sanitizers).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/integration/build_paths.h"
#include "tests/integration/fixtures.h"
#include "tests/integration/harness.h"

namespace okr::testing {
namespace {

using nlohmann::json;

constexpr char kGatePlugin[] = R"cc(
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include "okr_plugin_cpp.h"

  class Gate {
   public:
    explicit Gate(std::string_view) {}
    std::string Evaluate(std::string_view) const {
      std::ofstream(STARTED_PATH) << "started\n";
      for (int i = 0; i < 2000 && !std::filesystem::exists(RELEASE_PATH); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
      return std::string();  // an IncentiveOutput without payouts
    }
  };

  OKR_PLUGIN_DEFINE(Gate, OKR_PLUGIN_KIND_INCENTIVE, "gate", "1.0")
)cc";

constexpr char kOrg[] =
    "unit_id,parent_id,kind,name,fte,start_date,end_date\n"
    "co,,company,Company,,,\n"
    "g1,co,group,Group one,,,\n"
    "a1,g1,agent,Ann,1.0,,\n"
    "a2,g1,agent,Bob,1.0,,\n";

// The SDK headers, wherever the test runs from (scripts/ci-sanitizers runs it from the root).
std::string SdkDir() { return PluginSdkDir(); }

// A folder holding only gate.so, and the paths of its two files.
struct GateFolder {
  std::string dir, started, release;

  GateFolder() {
    // mkdtemp: the folder is ours alone (the plugin's paths are compiled into it).
    char pattern[] = "/tmp/okr-gateXXXXXX";
    dir = ::mkdtemp(pattern);
    started = dir + "/started";
    release = dir + "/release";
    const std::string source = dir + "/gate.cc";
    std::filesystem::create_directories(plugin_dir());
    std::ofstream(source) << kGatePlugin;
    CommandResult built =
        RunCommand({"/bin/sh", "-c",
                    "c++ -std=c++17 -O0 -shared -fPIC -fvisibility=hidden -I" + SdkDir() +
                        " '-DSTARTED_PATH=\"" + started + "\"' '-DRELEASE_PATH=\"" + release +
                        "\"' " + source + " -o " + dir + "/plugins/gate.so"});
    EXPECT_EQ(built.exit_code, 0) << built.err;
  }
  GateFolder(const GateFolder&) = delete;
  GateFolder& operator=(const GateFolder&) = delete;
  ~GateFolder() {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
  std::string plugin_dir() const { return dir + "/plugins"; }

  // Waits (up to 60 s) until the plugin runs; true when it does.
  bool WaitStarted() const {
    for (int i = 0; i < 6000; ++i) {
      if (std::filesystem::exists(started)) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
  }
  void Release() const { std::ofstream(release) << "go\n"; }
};

std::vector<std::string> GateFlags(const GateFolder& gate) {
  return {"--plugin-dir", gate.plugin_dir()};
}

// A plugin with no config does nothing: the gate is configured for the whole company.
void ConfigureGate(const OkrdProcess& okrd) {
  CommandResult r =
      okrd.Ctl({"plugin", "configure", "gate", "--unit", "co", "--config", R"({"gate": true})"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
}

json PluginNamed(const OkrdProcess& okrd, const std::string& name) {
  CommandResult list = okrd.Ctl({"plugin", "list", "-o", "json"});
  EXPECT_EQ(list.exit_code, 0) << list.err;
  if (list.exit_code != 0) return json::object();
  const json plugins = list.Json().at("plugins");
  for (const json& p : plugins) {
    if (p.at("name") == name) return p;
  }
  ADD_FAILURE() << "no plugin " << name << " in " << list.out;
  return json::object();
}

TEST(Concurrency, BreakdownAndCascadeAnswerWhileACloseWaitsOnAPlugin) {
  GateFolder gate;
  OkrdProcess okrd(GateFlags(gate));
  ASSERT_NO_FATAL_FAILURE(SetUpTicketsPlan(okrd, kOrg, "2024", "1200"));
  ASSERT_NO_FATAL_FAILURE(ConfigureGate(okrd));
  ASSERT_EQ(PluginNamed(okrd, "gate").value("enabled", false), true);

  std::atomic<bool> close_done{false};
  CommandResult closed;
  std::thread closer([&] {
    closed = okrd.Ctl({"period", "close", "2024-03", "-o", "json"});
    close_done = true;
  });
  ASSERT_TRUE(gate.WaitStarted()) << "the close never called the plugin";

  // The close is inside the plugin, which waits for the release that only comes below.
  CommandResult breakdown = okrd.Ctl(
      {"breakdown", "--unit", "co", "--metric", "tickets", "--year", "2024", "-o", "json"});
  const bool close_done_at_breakdown = close_done;
  CommandResult cascade =
      okrd.Ctl({"cascade", "--unit", "co", "--metric", "tickets", "--year", "2024"});
  const bool close_done_at_cascade = close_done;
  gate.Release();
  closer.join();

  // Two signs that neither waited for the close. The flags: the close cannot be done before
  // the release (okrctl may still be on its way out when a blocked read gets through, so a
  // flag alone could miss a wait). And the close's own reply below: the plugin returned within
  // its 5 s budget, so the close was still waiting on it when both answered; before the fix,
  // they waited for the close to give up on the plugin, which it reported as an overrun.
  EXPECT_FALSE(close_done_at_breakdown) << "the breakdown waited for the close";
  EXPECT_FALSE(close_done_at_cascade) << "the cascade waited for the close";
  ASSERT_EQ(breakdown.exit_code, 0) << breakdown.err;
  EXPECT_DOUBLE_EQ(breakdown.Json().at("year_target").get<double>(), 1200);
  // target set made version 1, the cascade version 2 (the second cascade had not run yet).
  EXPECT_EQ(breakdown.Json().at("plan_version"), 2);
  EXPECT_EQ(cascade.exit_code, 0) << cascade.err;
  // Released within its budget, the plugin ran to the end: the close succeeded, no problems
  // (no overrun).
  ASSERT_EQ(closed.exit_code, 0) << closed.err;
  const json reply = closed.Json();
  EXPECT_EQ(reply.value("payouts", -1), 0) << closed.out;
  EXPECT_TRUE(reply.value("problems", json::array()).empty()) << closed.out;
  EXPECT_EQ(PluginNamed(okrd, "gate").value("enabled", false), true);
}

TEST(Concurrency, AHangingPluginIsDisabledAndOkrdServesOn) {
  GateFolder gate;
  OkrdProcess okrd(GateFlags(gate));
  ASSERT_NO_FATAL_FAILURE(SetUpTicketsPlan(okrd, kOrg, "2024", "1200"));
  ASSERT_NO_FATAL_FAILURE(ConfigureGate(okrd));

  // Never released: the plugin overruns its 5 s budget.
  CommandResult closed = okrd.Ctl({"period", "close", "2024-03", "-o", "json"});
  ASSERT_EQ(closed.exit_code, 0) << closed.err;
  const json reply = closed.Json();
  ASSERT_EQ(reply.at("problems").size(), 1u) << closed.out;
  EXPECT_EQ(reply.at("problems")[0],
            "gate: plugin gate exceeded its time budget of 5s; evaluation dropped; plugin gate "
            "disabled: it ran longer than its time budget of 5s and may still hold a plugin "
            "thread; fix it, then reload it");

  const json info = PluginNamed(okrd, "gate");
  EXPECT_EQ(info.value("enabled", true), false);
  EXPECT_EQ(info.value("last_error", ""),
            "plugin gate disabled: it ran longer than its time budget of 5s and may still hold "
            "a plugin thread; fix it, then reload it");
  // And okrd's log says so, once.
  std::ifstream log(okrd.log_path());
  int disabled_lines = 0;
  for (std::string line; std::getline(log, line);) {
    if (line.find(" warn plugin.disabled plugin=gate reason=\"plugin gate disabled: it ran "
                  "longer than its time budget of 5s") != std::string::npos) {
      ++disabled_lines;
    }
  }
  EXPECT_EQ(disabled_lines, 1);

  // okrd serves on; a second close skips the disabled plugin and answers.
  EXPECT_EQ(okrd.Ctl({"metric", "list"}).exit_code, 0);
  CommandResult again = okrd.Ctl({"period", "close", "2024-03", "-o", "json"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_TRUE(again.Json().value("problems", json::array()).empty()) << again.out;
  EXPECT_EQ(again.Json().value("close_version", 0), 2) << again.out;
  gate.Release();  // let the hung run end, so okrd stops promptly
}

}  // namespace
}  // namespace okr::testing
