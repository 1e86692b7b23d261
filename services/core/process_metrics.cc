#include "services/core/process_metrics.h"

#include <sys/resource.h>
#include <unistd.h>

#include <charconv>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace okr {
namespace {

std::optional<int64_t> ToInt(std::string_view text) {
  int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<std::string> ReadSmallFile(const char* path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

std::optional<ProcessStat> ParseProcessStat(std::string_view text) {
  const size_t close = text.rfind(')');
  if (close == std::string_view::npos) return std::nullopt;
  // After ") " come fields 3 (state), 4, ... separated by single spaces.
  std::vector<std::string_view> fields;
  std::string_view rest = text.substr(close + 1);
  while (!rest.empty()) {
    const size_t start = rest.find_first_not_of(" \n");
    if (start == std::string_view::npos) break;
    rest.remove_prefix(start);
    const size_t end = rest.find_first_of(" \n");
    fields.push_back(rest.substr(0, end));
    rest.remove_prefix(end == std::string_view::npos ? rest.size() : end);
  }
  // fields[0] is field 3 of proc(5), so field n is fields[n - 3].
  auto field = [&](int n) -> std::optional<int64_t> {
    const size_t i = static_cast<size_t>(n - 3);
    return i < fields.size() ? ToInt(fields[i]) : std::nullopt;
  };
  auto utime = field(14), stime = field(15), start = field(22), vsize = field(23), rss = field(24);
  if (!utime || !stime || !start || !vsize || !rss) return std::nullopt;
  return ProcessStat{*utime, *stime, *start, *vsize, *rss};
}

std::optional<int64_t> ParseBootTime(std::string_view proc_stat) {
  std::istringstream lines{std::string(proc_stat)};
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind("btime ", 0) == 0) return ToInt(std::string_view(line).substr(6));
  }
  return std::nullopt;
}

void CollectProcessMetrics(Metrics& metrics) {
  static const double ticks_per_second = static_cast<double>(sysconf(_SC_CLK_TCK));
  static const double page_bytes = static_cast<double>(sysconf(_SC_PAGESIZE));
  if (auto text = ReadSmallFile("/proc/self/stat")) {
    if (auto stat = ParseProcessStat(*text)) {
      metrics.AdvanceCounterTo(
          "process_cpu_seconds_total", {},
          static_cast<double>(stat->user_ticks + stat->system_ticks) / ticks_per_second);
      metrics.Set("process_resident_memory_bytes", {},
                  static_cast<double>(stat->resident_pages) * page_bytes);
      metrics.Set("process_virtual_memory_bytes", {}, static_cast<double>(stat->virtual_bytes));
      // The boot time does not change while okrd runs: /proc/stat is read once.
      static const std::optional<int64_t> boot_time = [] {
        auto text = ReadSmallFile("/proc/stat");
        return text ? ParseBootTime(*text) : std::nullopt;
      }();
      if (boot_time) {
        metrics.Set("process_start_time_seconds", {},
                    static_cast<double>(*boot_time) +
                        static_cast<double>(stat->start_ticks) / ticks_per_second);
      }
    }
  }
  std::error_code error;
  int64_t open = 0;
  for (std::filesystem::directory_iterator it("/proc/self/fd", error), end; !error && it != end;
       it.increment(error)) {
    ++open;
  }
  // The iterator's own descriptor is counted too, as in every client library's figure.
  if (!error) metrics.Set("process_open_fds", {}, static_cast<double>(open));
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY) {
    metrics.Set("process_max_fds", {}, static_cast<double>(limit.rlim_cur));
  }
}

}  // namespace okr
