#include "services/core/metrics.h"

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <exception>
#include <type_traits>
#include <utility>

#include "services/core/log.h"

namespace okr {

static_assert(std::is_same_v<Labels, prometheus::Labels>,
              "okr::Labels is handed to prometheus-cpp as it is");

// One declared family: exactly one of the three pointers is set. The families belong to
// registry_, which outlives them.
struct Metrics::Family {
  MetricType type;
  prometheus::Family<prometheus::Counter>* counters = nullptr;
  prometheus::Family<prometheus::Gauge>* gauges = nullptr;
  prometheus::Family<prometheus::Histogram>* histograms = nullptr;
};

namespace {

const char* TypeName(MetricType type) {
  switch (type) {
    case MetricType::kCounter:
      return "counter";
    case MetricType::kGauge:
      return "gauge";
    case MetricType::kHistogram:
      return "histogram";
  }
  return "?";
}

const prometheus::Histogram::BucketBoundaries& Buckets() {
  static const auto* buckets = new prometheus::Histogram::BucketBoundaries(
      Metrics::kBuckets.begin(), Metrics::kBuckets.end());
  return *buckets;
}

// prometheus-cpp throws std::invalid_argument on an invalid label name; a metric call must not
// throw into the operation that counts.
template <typename Update>
void Guarded(const std::string& name, Update update) {
  try {
    update();
  } catch (const std::exception& e) {
    Log(LogLevel::kError, "metric.sample_dropped", {{"metric", name}, {"error", e.what()}});
  }
}

}  // namespace

Metrics::Metrics(const std::vector<MetricDeclaration>& families)
    : registry_(
          std::make_unique<prometheus::Registry>(prometheus::Registry::InsertBehavior::Throw)) {
  for (const MetricDeclaration& declared : families) {
    auto family = std::make_unique<Family>();
    family->type = declared.type;
    switch (declared.type) {
      case MetricType::kCounter:
        family->counters = &prometheus::BuildCounter()
                                .Name(declared.name)
                                .Help(declared.help)
                                .Register(*registry_);
        break;
      case MetricType::kGauge:
        family->gauges =
            &prometheus::BuildGauge().Name(declared.name).Help(declared.help).Register(*registry_);
        break;
      case MetricType::kHistogram:
        family->histograms = &prometheus::BuildHistogram()
                                  .Name(declared.name)
                                  .Help(declared.help)
                                  .Register(*registry_);
        break;
    }
    families_.emplace(declared.name, std::move(family));
  }
}

Metrics::~Metrics() = default;

Metrics& Metrics::Global() {
  static Metrics* metrics = new Metrics(ServerMetricFamilies());
  return *metrics;
}

Metrics::Family* Metrics::Find(const std::string& name, MetricType type) {
  auto it = families_.find(name);
  if (it != families_.end() && it->second->type == type) return it->second.get();
  Log(LogLevel::kError, "metric.sample_dropped",
      {{"metric", name}, {"error", std::string("no declared ") + TypeName(type)}});
  return nullptr;
}

void Metrics::Add(const std::string& name, const Labels& labels, double delta) {
  if (Family* family = Find(name, MetricType::kCounter)) {
    Guarded(name, [&] { family->counters->Add(labels).Increment(delta); });
  }
}

void Metrics::AdvanceCounterTo(const std::string& name, const Labels& labels, double total) {
  if (Family* family = Find(name, MetricType::kCounter)) {
    Guarded(name, [&] {
      prometheus::Counter& counter = family->counters->Add(labels);
      const double behind = total - counter.Value();
      if (behind > 0) counter.Increment(behind);
    });
  }
}

void Metrics::Set(const std::string& name, const Labels& labels, double value) {
  if (Family* family = Find(name, MetricType::kGauge)) {
    Guarded(name, [&] { family->gauges->Add(labels).Set(value); });
  }
}

void Metrics::Observe(const std::string& name, const Labels& labels, double seconds) {
  if (Family* family = Find(name, MetricType::kHistogram)) {
    Guarded(name, [&] { family->histograms->Add(labels, Buckets()).Observe(seconds); });
  }
}

void Metrics::Declare(const std::string& name, const Labels& labels) {
  auto it = families_.find(name);
  if (it == families_.end()) {
    Log(LogLevel::kError, "metric.undeclared", {{"metric", name}});
    return;
  }
  const Family& family = *it->second;
  Guarded(name, [&] {
    if (family.counters != nullptr) family.counters->Add(labels);
    if (family.gauges != nullptr) family.gauges->Add(labels);
    if (family.histograms != nullptr) family.histograms->Add(labels, Buckets());
  });
}

void Metrics::AddCollector(std::function<void(Metrics&)> collector) {
  std::lock_guard<std::mutex> lock(collectors_mu_);
  collectors_.push_back(std::move(collector));
}

std::string Metrics::Render() {
  std::vector<std::function<void(Metrics&)>> collectors;
  {
    std::lock_guard<std::mutex> lock(collectors_mu_);
    collectors = collectors_;
  }
  for (const auto& collect : collectors) collect(*this);
  return prometheus::TextSerializer().Serialize(registry_->Collect());
}

const std::vector<MetricDeclaration>& ServerMetricFamilies() {
  using enum MetricType;
  static const auto* families = new std::vector<MetricDeclaration>{
      {"okr_grpc_requests_total", kCounter, "gRPC calls by method and status code."},
      {"okr_grpc_request_duration_seconds", kHistogram, "gRPC call latency by method."},
      {"okr_actual_events_total", kCounter,
       "Actual events by outcome: accepted, duplicate, corrected, rejected."},
      {"okr_cascades_total", kCounter, "Cascades run, by result."},
      {"okr_cascade_duration_seconds", kHistogram, "Cascade compute and write time."},
      {"okr_rocksdb_live_data_bytes", kGauge, "RocksDB estimated live data size."},
      {"okr_rocksdb_pending_compaction_bytes", kGauge,
       "RocksDB estimated pending compaction bytes."},
      {"okr_rocksdb_memtable_bytes", kGauge, "RocksDB size of all memtables."},
      {"okr_rocksdb_block_cache_usage_bytes", kGauge, "RocksDB block cache usage."},
      {"okr_writes_refused", kGauge,
       "1 while the database refuses writes (its disk is full, or a storage error), else 0."},
      {"okr_rocksdb_background_errors_total", kCounter,
       "Background errors RocksDB reported: failed writes, flushes and compactions."},
      {"okr_data_disk_free_bytes", kGauge, "Free bytes on the data folder's filesystem."},
      {"okr_plugin_evaluations_total", kCounter, "Plugin evaluations by plugin and result."},
      {"okr_plugins_disabled", kGauge, "Plugins disabled after repeated faults."},
      {"okr_alerts_open", kGauge, "Open red-line alerts by severity."},
      {"okr_rollups_pending_commands", kGauge,
       "Commands whose roll-up deltas wait for a checkpoint (only in the journal and in "
       "memory); near 0 unless checkpoints fail."},
      {"okr_uptime_seconds", kGauge, "Seconds since okrd started."},
      {"okr_build_info", kGauge, "Build information (always 1)."},
      {"okr_tls_certificate_expiry_timestamp_seconds", kGauge,
       "notAfter of the TLS certificate okrd serves (gRPC and HTTPS), in Unix seconds; set at "
       "start and on each SIGHUP reload; absent without TLS."},
      {"okr_pool_job_failures_total", kCounter,
       "Worker-pool jobs that threw (caught and logged; okrd went on), by job."},
      // Prometheus' standard process figures (services/core/process_metrics.h).
      {"process_cpu_seconds_total", kCounter, "Total user and system CPU time spent in seconds."},
      {"process_resident_memory_bytes", kGauge, "Resident memory size in bytes."},
      {"process_virtual_memory_bytes", kGauge, "Virtual memory size in bytes."},
      {"process_start_time_seconds", kGauge,
       "Start time of the process since unix epoch in seconds."},
      {"process_open_fds", kGauge, "Number of open file descriptors."},
      {"process_max_fds", kGauge, "Maximum number of open file descriptors."},
      // The store's files and write health (services/core/store_metrics.h).
      {"okr_rocksdb_block_cache_capacity_bytes", kGauge,
       "RocksDB block cache capacity (okrd --block-cache-mb)."},
      {"okr_rocksdb_wal_bytes", kGauge, "Bytes of RocksDB write-ahead log files alive."},
      {"okr_rocksdb_live_sst_bytes", kGauge,
       "Bytes of the SST files of the current version (what the data takes)."},
      {"okr_rocksdb_total_sst_bytes", kGauge,
       "Bytes of all SST files, including those old versions still hold."},
      {"okr_rocksdb_write_stopped", kGauge,
       "1 while RocksDB stops writes (too many memtables or level-0 files), else 0."},
      {"okr_rocksdb_delayed_write_rate_bytes", kGauge,
       "The rate RocksDB slows writes to while it delays them, 0 when it does not."},
      {"okr_actuals_last_ingest_timestamp_seconds", kGauge,
       "When actual events were last accepted (Unix seconds; 0: none since start). Ingest lag "
       "is time() minus this."},
      {"okr_backup_last_success_timestamp_seconds", kGauge,
       "When the last okrctl admin backup finished (Unix seconds; 0: none since start)."},
  };
  return *families;
}

}  // namespace okr
