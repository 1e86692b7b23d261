#include "services/core/metrics.h"

#include <charconv>
#include <cstdio>
#include <sstream>

namespace okr {
namespace {

std::string EscapeLabel(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out;
}

std::string LabelText(const Labels& labels, const std::string& extra_key = "",
                      const std::string& extra_value = "") {
  std::string out;
  for (const auto& [k, v] : labels) {
    out += (out.empty() ? "" : ",") + k + "=\"" + EscapeLabel(v) + "\"";
  }
  if (!extra_key.empty()) out += (out.empty() ? "" : ",") + extra_key + "=\"" + extra_value + "\"";
  return out.empty() ? "" : "{" + out + "}";
}

// The shortest text that reads back to the same double ("0.0005", not "0.00050000000000000001").
std::string Format(double v) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc() ? std::string(buf, end) : "NaN";
}

}  // namespace

Metrics& Metrics::Global() {
  static Metrics* metrics = [] {
    auto* m = new Metrics();
    DeclareServerMetrics(*m);
    return m;
  }();
  return *metrics;
}

void Metrics::Declare(const std::string& name, const std::string& type, const std::string& help) {
  std::lock_guard<std::mutex> lock(mu_);
  Family& family = families_[name];
  family.type = type;
  family.help = help;
}

std::atomic<double>& Metrics::Value(const std::string& name, const Labels& labels) {
  std::lock_guard<std::mutex> lock(mu_);
  auto& slot = families_[name].values[labels];
  if (!slot) slot = std::make_unique<std::atomic<double>>(0);
  return *slot;
}

void Metrics::Add(const std::string& name, const Labels& labels, double delta) {
  std::atomic<double>& value = Value(name, labels);
  double current = value.load();
  while (!value.compare_exchange_weak(current, current + delta)) {
  }
}

void Metrics::Set(const std::string& name, const Labels& labels, double v) {
  Value(name, labels).store(v);
}

void Metrics::Observe(const std::string& name, const Labels& labels, double seconds) {
  Histogram* histogram = nullptr;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto& slot = families_[name].histograms[labels];
    if (!slot) slot = std::make_unique<Histogram>();
    histogram = slot.get();
  }
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) histogram->buckets[i]++;
  }
  histogram->count++;
  double current = histogram->sum.load();
  while (!histogram->sum.compare_exchange_weak(current, current + seconds)) {
  }
}

void Metrics::AddCollector(std::function<void(Metrics&)> collector) {
  std::lock_guard<std::mutex> lock(mu_);
  collectors_.push_back(std::move(collector));
}

std::string Metrics::Render() {
  std::vector<std::function<void(Metrics&)>> collectors;
  {
    std::lock_guard<std::mutex> lock(mu_);
    collectors = collectors_;
  }
  for (const auto& collect : collectors) collect(*this);
  std::ostringstream out;
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [name, family] : families_) {
    if (family.values.empty() && family.histograms.empty()) continue;
    out << "# HELP " << name << " " << family.help << "\n";
    out << "# TYPE " << name << " " << family.type << "\n";
    for (const auto& [labels, value] : family.values) {
      out << name << LabelText(labels) << " " << Format(value->load()) << "\n";
    }
    for (const auto& [labels, h] : family.histograms) {
      for (size_t i = 0; i < kBuckets.size(); ++i) {
        out << name << "_bucket" << LabelText(labels, "le", Format(kBuckets[i])) << " "
            << h->buckets[i].load() << "\n";
      }
      out << name << "_bucket" << LabelText(labels, "le", "+Inf") << " " << h->count.load() << "\n";
      out << name << "_sum" << LabelText(labels) << " " << Format(h->sum.load()) << "\n";
      out << name << "_count" << LabelText(labels) << " " << h->count.load() << "\n";
    }
  }
  return out.str();
}

void DeclareServerMetrics(Metrics& m) {
  m.Declare("okr_grpc_requests_total", "counter", "gRPC calls by method and status code.");
  m.Declare("okr_grpc_request_duration_seconds", "histogram", "gRPC call latency by method.");
  m.Declare("okr_actual_events_total", "counter",
            "Actual events by outcome: accepted, duplicate, corrected, rejected.");
  m.Declare("okr_cascades_total", "counter", "Cascades run, by result.");
  m.Declare("okr_cascade_duration_seconds", "histogram", "Cascade compute and write time.");
  m.Declare("okr_rocksdb_live_data_bytes", "gauge", "RocksDB estimated live data size.");
  m.Declare("okr_rocksdb_pending_compaction_bytes", "gauge",
            "RocksDB estimated pending compaction bytes.");
  m.Declare("okr_rocksdb_memtable_bytes", "gauge", "RocksDB size of all memtables.");
  m.Declare("okr_rocksdb_block_cache_usage_bytes", "gauge", "RocksDB block cache usage.");
  m.Declare("okr_plugin_evaluations_total", "counter", "Plugin evaluations by plugin and result.");
  m.Declare("okr_plugins_disabled", "gauge", "Plugins disabled after repeated faults.");
  m.Declare("okr_alerts_open", "gauge", "Open red-line alerts by severity.");
  m.Declare("okr_uptime_seconds", "gauge", "Seconds since okrd started.");
  m.Declare("okr_build_info", "gauge", "Build information (always 1).");
  m.Declare("okr_pool_job_failures_total", "counter",
            "Worker-pool jobs that threw (caught and logged; okrd went on), by job.");
}

}  // namespace okr
