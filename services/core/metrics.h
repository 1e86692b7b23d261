// okrd's Prometheus metrics: counters, gauges and histograms kept by prometheus-cpp (Debian
// prometheus-cpp-dev, its core library only) and rendered with its text serializer; the
// /metrics route of our Beast listener (services/http) serves Render().
//
// What prometheus-cpp gives: the families and their series (prometheus::Registry,
// Family<Counter|Gauge|Histogram>), atomic counters and gauges, cumulative histograms, label
// validation and escaping, and the text exposition format.
// What we keep: okrd's families declared once, in one table (metrics.cc), with their help texts;
// a lookup by family name, so that a call site reads
//   Metrics::Global().Add("okr_plugin_evaluations_total", {{"plugin", p}, {"result", r}});
// and scrape-time collectors for gauges computed when /metrics is read (RocksDB figures,
// uptime, build info).
//
// Locks: the families are fixed when a Metrics is constructed, so the name lookup reads an
// immutable map and takes no lock. Finding a series is prometheus-cpp's Family::Add, which
// takes that family's own mutex (and builds a candidate series it drops when the label set
// exists already); counting is then an atomic operation on the series. There is no lock
// shared by all families.
#ifndef OKR_SERVICES_CORE_METRICS_H_
#define OKR_SERVICES_CORE_METRICS_H_

#include <array>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace prometheus {
class Registry;
}  // namespace prometheus

namespace okr {

// Label names to values, e.g. {{"method", "GetProgress"}, {"code", "OK"}}. The same type as
// prometheus::Labels; the text lists them by name.
using Labels = std::map<std::string, std::string>;

enum class MetricType { kCounter, kGauge, kHistogram };

// One family: its name, type and the HELP text /metrics prints.
struct MetricDeclaration {
  std::string name;
  MetricType type;
  std::string help;
};

class Metrics {
 public:
  // Latency buckets in seconds (every histogram uses them).
  static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,   0.1,   0.25,   0.5,   1.0,  5.0};

  // A registry with exactly these families (names must be unique and valid Prometheus names).
  explicit Metrics(const std::vector<MetricDeclaration>& families);
  ~Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // Adds delta (>= 0; prometheus-cpp ignores a negative one) to a counter. A series is created
  // at 0 the first time its label set is seen. A name not declared with the type the call
  // needs, or an invalid label name, is a programming error: the sample is dropped and a line
  // is logged (metric.sample_dropped; a metric call never throws).
  void Add(const std::string& name, const Labels& labels, double delta = 1);
  // Raises a counter to `total` when it is below it: for a cumulative figure someone else
  // keeps (the kernel's CPU time, RocksDB's statistics), read at scrape time.
  void AdvanceCounterTo(const std::string& name, const Labels& labels, double total);
  // Sets a gauge.
  void Set(const std::string& name, const Labels& labels, double value);
  // Counts one observation into a histogram (kBuckets).
  void Observe(const std::string& name, const Labels& labels, double seconds);
  // Creates the series at 0 (a histogram with no observation) if it does not exist yet, so
  // that it is exported before its first sample.
  void Declare(const std::string& name, const Labels& labels);

  // Gauges computed at scrape time (RocksDB figures, uptime): run by Render() before it
  // serializes, in the order added.
  void AddCollector(std::function<void(Metrics&)> collector);

  // The Prometheus text exposition (version 0.0.4) of every series. Families with no series
  // yet are left out.
  std::string Render();

  // The process-wide registry, with okrd's families (ServerMetricFamilies).
  static Metrics& Global();

 private:
  struct Family;
  Family* Find(const std::string& name, MetricType type);

  std::unique_ptr<prometheus::Registry> registry_;
  std::unordered_map<std::string, std::unique_ptr<Family>> families_;  // fixed after construction
  std::mutex collectors_mu_;
  std::vector<std::function<void(Metrics&)>> collectors_;
};

// okrd's metric families, with their help texts.
const std::vector<MetricDeclaration>& ServerMetricFamilies();

}  // namespace okr

#endif  // OKR_SERVICES_CORE_METRICS_H_
