#include "services/server/server_state.h"

#include <chrono>

#include "store/codecs.h"
#include "store/keys.h"

namespace okr {

namespace {

int64_t SystemUnixMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

Clock Clock::System(TimeZone zone) { return Clock{SystemUnixMicros, std::move(zone)}; }

Clock Clock::StartingAt(int64_t start_unix_micros, TimeZone zone) {
  const int64_t shift = start_unix_micros - SystemUnixMicros();
  return Clock{[shift] { return SystemUnixMicros() + shift; }, std::move(zone)};
}

ServerState::ServerState(store::Db* db, TokenRegistry* tokens, boost::asio::thread_pool* pool,
                         Clock clock)
    : db_(db), tokens_(tokens), pool_(pool), clock_(std::move(clock)) {}

absl::Status ServerState::Load() {
  std::vector<Unit> units;
  absl::Status s = db_->Scan(store::Cf::kUnits, "", [&](std::string_view, std::string_view v) {
    store::UnitRecord record;
    if (record.ParseFromArray(v.data(), static_cast<int>(v.size()))) {
      units.push_back(store::FromRecord(record));
    }
    return true;
  });
  if (!s.ok()) return s;
  std::map<std::string, Metric, std::less<>> metrics;
  s = db_->Scan(store::Cf::kMetrics, "", [&](std::string_view, std::string_view v) {
    store::MetricRecord record;
    if (record.ParseFromArray(v.data(), static_cast<int>(v.size()))) {
      Metric metric = store::FromRecord(record);
      metrics.emplace(metric.id, metric);
    }
    return true;
  });
  if (!s.ok()) return s;
  std::map<std::string, int64_t, std::less<>> counters;
  const std::string counter_prefix = store::KeyBuilder().Str("counter").Release();
  s = db_->Scan(store::Cf::kMeta, counter_prefix, [&](std::string_view k, std::string_view v) {
    store::KeyReader reader(k);
    reader.Str();
    if (auto name = reader.Str()) counters[*name] = std::atoll(std::string(v).c_str());
    return true;
  });
  if (!s.ok()) return s;
  int64_t last_seq = 0;
  // The audit family is ordered by sequence number; the last key is the newest entry.
  s = db_->Scan(store::Cf::kAudit, "", [&](std::string_view k, std::string_view) {
    store::KeyReader reader(k);
    if (auto seq = reader.I64()) last_seq = *seq;
    return true;
  });
  if (!s.ok()) return s;

  std::lock_guard<std::mutex> lock(mu_);
  org_ = std::make_shared<const OrgSnapshot>(std::move(units));
  metrics_ = std::move(metrics);
  counters_ = std::move(counters);
  audit_seq_ = last_seq;
  return absl::OkStatus();
}

std::shared_ptr<const OrgSnapshot> ServerState::org() const {
  std::lock_guard<std::mutex> lock(mu_);
  return org_;
}

void ServerState::SetOrg(std::shared_ptr<const OrgSnapshot> org) {
  std::lock_guard<std::mutex> lock(mu_);
  org_ = std::move(org);
}

std::optional<Metric> ServerState::FindMetric(std::string_view id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = metrics_.find(id);
  if (it == metrics_.end()) return std::nullopt;
  return it->second;
}

std::vector<Metric> ServerState::Metrics() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<Metric> out;
  for (const auto& [id, metric] : metrics_) out.push_back(metric);
  return out;
}

void ServerState::PutMetric(const Metric& metric) {
  std::lock_guard<std::mutex> lock(mu_);
  metrics_[metric.id] = metric;
}

void ServerState::Audit(store::Batch& batch, store::AuditRecord record) {
  const int64_t seq = ++audit_seq_;
  record.set_seq(seq);
  if (record.at_unix_micros() == 0) record.set_at_unix_micros(clock_.now_unix_micros());
  batch.PutProto(store::Cf::kAudit, store::AuditKey(seq), record);
}

int64_t ServerState::PlanVersion(std::string_view metric_id, int year) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = counters_.find("plan/" + std::string(metric_id) + "/" + std::to_string(year));
  return it == counters_.end() ? 0 : it->second;
}

int64_t ServerState::BumpPlanVersion(store::Batch& batch, std::string_view metric_id, int year) {
  return NextCounter(batch, "plan/" + std::string(metric_id) + "/" + std::to_string(year));
}

int64_t ServerState::NextCounter(store::Batch& batch, std::string_view name) {
  std::lock_guard<std::mutex> lock(mu_);
  int64_t& value = counters_[std::string(name)];
  ++value;
  batch.Put(store::Cf::kMeta, store::CounterKey(name), std::to_string(value));
  return value;
}

}  // namespace okr
