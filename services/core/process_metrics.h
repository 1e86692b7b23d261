// Prometheus' standard process_* figures (the names every dashboard and alert rule knows:
// https://prometheus.io/docs/instrumenting/writing_clientlibs/#process-metrics), read from
// Linux's /proc at scrape time. prometheus-cpp's core library has no process collector, so
// this is ours: a pure parser of /proc/self/stat, tested on a fixed line, and a collector that
// reads the files.
#ifndef OKR_SERVICES_CORE_PROCESS_METRICS_H_
#define OKR_SERVICES_CORE_PROCESS_METRICS_H_

#include <cstdint>
#include <optional>
#include <string_view>

#include "services/core/metrics.h"

namespace okr {

// The fields of /proc/<pid>/stat okrd exports (proc(5) numbers them from 1).
struct ProcessStat {
  int64_t user_ticks = 0;      // (14) utime
  int64_t system_ticks = 0;    // (15) stime
  int64_t start_ticks = 0;     // (22) starttime, clock ticks after boot
  int64_t virtual_bytes = 0;   // (23) vsize
  int64_t resident_pages = 0;  // (24) rss
};

// Parses the text of /proc/<pid>/stat. The command name (field 2) is in parentheses and may
// hold spaces and parentheses itself, so the fields are counted from its last ')'. Nullopt
// when the text does not have them.
std::optional<ProcessStat> ParseProcessStat(std::string_view text);

// The boot time (the `btime` line of /proc/stat, Unix seconds); nullopt when missing.
std::optional<int64_t> ParseBootTime(std::string_view proc_stat);

// Sets process_cpu_seconds_total, process_resident_memory_bytes,
// process_virtual_memory_bytes, process_start_time_seconds, process_open_fds and
// process_max_fds from this process's /proc files. A file that cannot be read leaves its
// figures as they were.
void CollectProcessMetrics(Metrics& metrics);

}  // namespace okr

#endif  // OKR_SERVICES_CORE_PROCESS_METRICS_H_
