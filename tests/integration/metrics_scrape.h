// Reading /metrics in tests: one GET and the samples keyed by name and sorted labels.
#ifndef OKR_TESTS_INTEGRATION_METRICS_SCRAPE_H_
#define OKR_TESTS_INTEGRATION_METRICS_SCRAPE_H_

#include <map>
#include <sstream>
#include <string>

#include "tests/integration/build_paths.h"
#include "tests/integration/harness.h"
#include "tests/integration/http_client.h"

namespace okr::testing {

// One HTTP/1.1 GET to 127.0.0.1:port; returns the whole response ("" when none).
inline std::string HttpGet(int port, const std::string& target) {
  return Exchange(port,
                  "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
}

// "name{a="x",b="y"} 12" -> key "name{a=x,b=y}" with labels sorted, value 12.
inline std::map<std::string, double> ParseSamples(const std::string& text) {
  std::map<std::string, double> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const size_t space = line.rfind(' ');
    std::string series = line.substr(0, space);
    const double value = std::stod(line.substr(space + 1));
    std::string key = series;
    const size_t brace = series.find('{');
    if (brace != std::string::npos) {
      std::map<std::string, std::string> labels;
      std::string inside = series.substr(brace + 1, series.size() - brace - 2);
      size_t pos = 0;
      while (pos < inside.size()) {
        const size_t eq = inside.find('=', pos);
        const size_t open = eq + 1;  // the opening quote
        size_t close = open + 1;
        while (close < inside.size() && !(inside[close] == '"' && inside[close - 1] != '\\')) {
          ++close;
        }
        labels[inside.substr(pos, eq - pos)] = inside.substr(open + 1, close - open - 1);
        pos = close + 2;  // past '",'
      }
      key = series.substr(0, brace) + "{";
      bool first = true;
      for (const auto& [k, v] : labels) {
        key += (first ? "" : ",") + k + "=" + v;
        first = false;
      }
      key += "}";
    }
    out[key] = value;
  }
  return out;
}

// The samples of okrd's /metrics on `port`.
inline std::map<std::string, double> ScrapeMetrics(int port) {
  return ParseSamples(Body(HttpGet(port, "/metrics")));
}

// The commit of the source tree these tests were built from, asked of git itself (the
// plugin SDK folder is <source>/plugins/sdk); "unknown" when the tree has no git.
inline std::string SourceCommit() {
  CommandResult r = RunCommand({"/usr/bin/git", "-C", std::string(PluginSdkDir()) + "/../..",
                                "rev-parse", "--short=12", "HEAD"});
  if (r.exit_code != 0 || r.out.empty()) return "unknown";
  return r.out.substr(0, r.out.find('\n'));
}

}  // namespace okr::testing

#endif  // OKR_TESTS_INTEGRATION_METRICS_SCRAPE_H_
