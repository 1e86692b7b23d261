#include "services/core/outcomes.h"

#include <algorithm>

#include "services/core/alerts.h"
#include "store/keys.h"

namespace okr {
namespace {

template <typename Record>
absl::StatusOr<std::vector<Record>> ScanRecords(ServerState& state, store::Cf cf,
                                                const std::string& prefix) {
  std::vector<Record> records;
  absl::Status s = state.db().Scan(cf, prefix, [&](std::string_view, std::string_view v) {
    Record record;
    if (record.ParseFromArray(v.data(), static_cast<int>(v.size()))) {
      records.push_back(std::move(record));
    }
    return true;
  });
  if (!s.ok()) return s;
  return records;
}

}  // namespace

std::string PayoutPrefix(std::string_view month) {
  return store::KeyBuilder().Byte('p').Str(month).Release();
}
std::string PayoutKey(std::string_view month, std::string_view unit, std::string_view plugin,
                      int index) {
  return store::KeyBuilder().Byte('p').Str(month).Str(unit).Str(plugin).I32(index).Release();
}
std::string AwardPrefix(std::string_view month) {
  return store::KeyBuilder().Byte('a').Str(month).Release();
}
std::string AwardKey(std::string_view month, std::string_view unit, std::string_view plugin,
                     int index) {
  return store::KeyBuilder().Byte('a').Str(month).Str(unit).Str(plugin).I32(index).Release();
}
std::string AlertKey(std::string_view alert_id) {
  return store::KeyBuilder().Byte('a').Str(alert_id).Release();
}
std::string AlertPrefix() { return store::KeyBuilder().Byte('a').Release(); }
std::string BreachKey(std::string_view plugin, std::string_view unit, std::string_view breach) {
  return store::KeyBuilder().Byte('b').Str(plugin).Str(unit).Str(breach).Release();
}
std::string KudosPrefix(std::string_view month) {
  return store::KeyBuilder().Byte('k').Str(month).Release();
}
std::string KudosKey(std::string_view month, std::string_view to_unit, int64_t seq) {
  return store::KeyBuilder().Byte('k').Str(month).Str(to_unit).I64(seq).Release();
}

absl::StatusOr<std::vector<store::PayoutRecord>> LoadPayouts(ServerState& state,
                                                             std::string_view month) {
  return ScanRecords<store::PayoutRecord>(state, store::Cf::kOutcomes, PayoutPrefix(month));
}

absl::StatusOr<std::vector<store::AwardRecord>> LoadAwards(ServerState& state,
                                                           std::string_view month) {
  return ScanRecords<store::AwardRecord>(state, store::Cf::kOutcomes, AwardPrefix(month));
}

absl::StatusOr<std::vector<store::AlertRecord>> LoadAlerts(ServerState& state) {
  auto alerts = ScanRecords<store::AlertRecord>(state, store::Cf::kAlerts, AlertPrefix());
  if (!alerts.ok()) return alerts;
  // Keys order ids as text (A10 before A2); people read them as numbers.
  std::sort(alerts->begin(), alerts->end(),
            [](const store::AlertRecord& a, const store::AlertRecord& b) {
              return AlertIdLess(a.alert_id(), b.alert_id());
            });
  return alerts;
}

absl::StatusOr<UnitOutcomes> LoadUnitOutcomes(ServerState& state, std::string_view unit,
                                              std::string_view month) {
  UnitOutcomes out;
  auto payouts = LoadPayouts(state, month);
  if (!payouts.ok()) return payouts.status();
  for (auto& p : *payouts) {
    if (p.unit_id() == unit) out.payouts.push_back(std::move(p));
  }
  auto awards = LoadAwards(state, month);
  if (!awards.ok()) return awards.status();
  for (auto& a : *awards) {
    if (a.unit_id() == unit) out.awards.push_back(std::move(a));
  }
  auto alerts = LoadAlerts(state);
  if (!alerts.ok()) return alerts.status();
  for (auto& a : *alerts) {
    if (a.unit_id() == unit && a.as_of().substr(0, 7) == month) out.alerts.push_back(std::move(a));
  }
  return out;
}

}  // namespace okr
