#include "services/core/server_state.h"

#include <chrono>

#include "absl/strings/numbers.h"
#include "plugins/host/plugin_host.h"
#include "services/core/history_index.h"
#include "services/core/log.h"
#include "store/codecs.h"
#include "store/damage.h"
#include "store/keys.h"

namespace okr {

namespace {

int64_t SystemUnixMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

void ServerState::set_plugin_host(plugins::PluginHost* host) {
  plugin_host_ = host;
  if (host == nullptr) return;
  host->set_on_disabled([](std::string_view name, std::string_view reason) {
    Log(LogLevel::kWarn, "plugin.disabled", {{"plugin", name}, {"reason", reason}});
  });
}

Clock Clock::System(TimeZone zone) { return Clock{SystemUnixMicros, std::move(zone)}; }

Clock Clock::StartingAt(int64_t start_unix_micros, TimeZone zone) {
  const int64_t shift = start_unix_micros - SystemUnixMicros();
  return Clock{[shift] { return SystemUnixMicros() + shift; }, std::move(zone)};
}

ServerState::ServerState(store::Db* db, TokenRegistry* tokens, boost::asio::thread_pool* pool,
                         Clock clock)
    : db_(db),
      commands_(db),
      rollups_(db),
      tokens_(tokens),
      pool_(pool),
      clock_(std::move(clock)),
      readiness_(db) {
  commands_.set_staging({[this] { CommitStaged(); }, [this] { DiscardStaged(); }});
}

absl::Status ServerState::Load() {
  // A record that does not read stops the start: serving an org without it would be
  // silently wrong (a unit gone, its actuals orphaned). The first one is named.
  absl::Status damaged;
  auto fail = [&](store::Cf cf, std::string_view key, std::string_view problem) {
    damaged = store::DamagedRecord(cf, key, problem);
    return false;
  };
  std::vector<Unit> units;
  absl::Status s = db_->Scan(store::Cf::kUnits, "", [&](std::string_view k, std::string_view v) {
    store::UnitRecord record;
    if (!record.ParseFromArray(v.data(), static_cast<int>(v.size()))) {
      return fail(store::Cf::kUnits, k, "the stored UnitRecord does not parse");
    }
    if (store::UnitKey(record.unit_id()) != k) {
      return fail(store::Cf::kUnits, k,
                  "the stored UnitRecord is of unit '" + record.unit_id() + "', not of its key");
    }
    units.push_back(store::FromRecord(record));
    return true;
  });
  if (!s.ok()) return s;
  if (!damaged.ok()) return damaged;
  std::map<std::string, Metric, std::less<>> metrics;
  s = db_->Scan(store::Cf::kMetrics, "", [&](std::string_view k, std::string_view v) {
    store::MetricRecord record;
    if (!record.ParseFromArray(v.data(), static_cast<int>(v.size()))) {
      return fail(store::Cf::kMetrics, k, "the stored MetricRecord does not parse");
    }
    if (store::MetricKey(record.metric_id()) != k) {
      return fail(
          store::Cf::kMetrics, k,
          "the stored MetricRecord is of metric '" + record.metric_id() + "', not of its key");
    }
    Metric metric = store::FromRecord(record);
    metrics.emplace(metric.id, metric);
    return true;
  });
  if (!s.ok()) return s;
  if (!damaged.ok()) return damaged;
  std::map<std::string, int64_t, std::less<>> counters;
  const std::string counter_prefix = store::KeyBuilder().Str("counter").Release();
  s = db_->Scan(store::Cf::kMeta, counter_prefix, [&](std::string_view k, std::string_view v) {
    store::KeyReader reader(k);
    reader.Str();
    std::optional<std::string> name = reader.Str();
    int64_t value = 0;
    if (!name || !reader.done() ||
        !absl::SimpleAtoi(absl::string_view(v.data(), v.size()), &value)) {
      return fail(store::Cf::kMeta, k, "not a counter (\"" + store::EscapeBytes(v) + "\")");
    }
    counters[*name] = value;
    return true;
  });
  if (!s.ok()) return s;
  if (!damaged.ok()) return damaged;
  int64_t last_seq = 0;
  // The audit family is ordered by sequence number; the last key is the newest entry.
  s = db_->Scan(store::Cf::kAudit, "", [&](std::string_view k, std::string_view) {
    store::KeyReader reader(k);
    std::optional<int64_t> seq = reader.I64();
    if (!seq || !reader.done()) return fail(store::Cf::kAudit, k, "not an audit sequence number");
    last_seq = *seq;
    return true;
  });
  if (!s.ok()) return s;
  if (!damaged.ok()) return damaged;

  if (s = commands_.Load(); !s.ok()) return s;
  if (s = rollups_.Load(); !s.ok()) return s;

  std::lock_guard<std::mutex> lock(mu_);
  org_ = std::make_shared<const OrgSnapshot>(std::move(units));
  metrics_ = std::move(metrics);
  counters_ = std::move(counters);
  audit_seq_ = last_seq;
  staged_counters_.clear();
  staged_audit_seq_.reset();
  return absl::OkStatus();
}

std::shared_ptr<const OrgSnapshot> ServerState::org() const {
  std::lock_guard<std::mutex> lock(mu_);
  return org_;
}

void ServerState::SetOrg(std::shared_ptr<const OrgSnapshot> org) {
  year_totals_.Clear();
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

store::AuditRecord NewAudit(const Caller& caller, std::string_view action, std::string_view unit_id,
                            std::string_view metric_id, std::string_view reason) {
  store::AuditRecord audit;
  audit.set_actor(caller.Actor());
  audit.set_action(std::string(action));
  audit.set_unit_id(std::string(unit_id));
  audit.set_metric_id(std::string(metric_id));
  audit.set_reason(std::string(reason));
  return audit;
}

void ServerState::Audit(store::Batch& batch, store::AuditRecord record) {
  int64_t seq = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    seq = staged_audit_seq_.value_or(audit_seq_) + 1;
    staged_audit_seq_ = seq;
  }
  record.set_seq(seq);
  if (record.at_unix_micros() == 0) record.set_at_unix_micros(clock_.now_unix_micros());
  batch.PutProto(store::Cf::kAudit, store::AuditKey(seq), record);
  IndexAuditEntry(batch, record);
}

namespace {

std::string PlanCounter(std::string_view metric_id, int year) {
  return "plan/" + std::string(metric_id) + "/" + std::to_string(year);
}

}  // namespace

int64_t ServerState::PlanVersion(std::string_view metric_id, int year) const {
  std::lock_guard<std::mutex> lock(mu_);
  return CounterLocked(PlanCounter(metric_id, year));
}

int64_t ServerState::CounterLocked(std::string_view name) const {
  if (auto staged = staged_counters_.find(name); staged != staged_counters_.end()) {
    return staged->second;
  }
  auto it = counters_.find(name);
  return it == counters_.end() ? 0 : it->second;
}

void ServerState::CommitStaged() {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& [name, value] : staged_counters_) counters_[name] = value;
  staged_counters_.clear();
  if (staged_audit_seq_) audit_seq_ = *staged_audit_seq_;
  staged_audit_seq_.reset();
}

void ServerState::DiscardStaged() {
  std::lock_guard<std::mutex> lock(mu_);
  staged_counters_.clear();
  staged_audit_seq_.reset();
}

absl::StatusOr<int64_t> ServerState::StoredPlanVersion(std::string_view metric_id, int year) const {
  auto value = db_->Get(store::Cf::kMeta, store::CounterKey(PlanCounter(metric_id, year)));
  if (!value.ok()) return value.status();
  return value->has_value() ? std::atoll((*value)->c_str()) : 0;
}

int64_t ServerState::BumpPlanVersion(store::Batch& batch, std::string_view metric_id, int year) {
  return NextCounter(batch, PlanCounter(metric_id, year));
}

int64_t ServerState::NextCounter(store::Batch& batch, std::string_view name) {
  std::lock_guard<std::mutex> lock(mu_);
  const int64_t value = CounterLocked(name) + 1;
  staged_counters_[std::string(name)] = value;
  batch.Put(store::Cf::kMeta, store::CounterKey(name), std::to_string(value));
  return value;
}

}  // namespace okr
