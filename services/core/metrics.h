// In-process counters and histograms, rendered in the Prometheus text exposition format.
// Lock-light: each series is an atomic; the registry lock is taken only to find or create a
// series (a label set seen for the first time).
#ifndef OKR_SERVICES_CORE_METRICS_H_
#define OKR_SERVICES_CORE_METRICS_H_

#include <array>
#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace okr {

// Label pairs in a fixed order, e.g. {{"method", "GetProgress"}, {"code", "OK"}}.
using Labels = std::vector<std::pair<std::string, std::string>>;

class Metrics {
 public:
  // Latency buckets in seconds.
  static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,   0.1,   0.25,   0.5,   1.0,  5.0};

  void Declare(const std::string& name, const std::string& type, const std::string& help);
  void Add(const std::string& name, const Labels& labels, double delta = 1);
  void Set(const std::string& name, const Labels& labels, double value);
  void Observe(const std::string& name, const Labels& labels, double seconds);

  // Gauges computed at scrape time (RocksDB figures, uptime, open alerts).
  void AddCollector(std::function<void(Metrics&)> collector);

  std::string Render();

  // The process-wide registry.
  static Metrics& Global();

 private:
  struct Histogram {
    std::array<std::atomic<uint64_t>, kBuckets.size()> buckets{};
    std::atomic<uint64_t> count{0};
    std::atomic<double> sum{0};
  };
  struct Family {
    std::string type, help;
    std::map<Labels, std::unique_ptr<std::atomic<double>>> values;
    std::map<Labels, std::unique_ptr<Histogram>> histograms;
  };
  std::atomic<double>& Value(const std::string& name, const Labels& labels);

  std::mutex mu_;
  std::map<std::string, Family> families_;
  std::vector<std::function<void(Metrics&)>> collectors_;
};

// Registers okrd's metric families once, with their help texts.
void DeclareServerMetrics(Metrics& metrics);

}  // namespace okr

#endif  // OKR_SERVICES_CORE_METRICS_H_
