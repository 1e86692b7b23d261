#include "services/core/outcomes.h"

#include <algorithm>

#include "services/core/alerts.h"
#include "services/core/convert.h"
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

v1::Payout ToProto(const store::PayoutRecord& r) {
  v1::Payout p;
  p.set_unit_id(r.unit_id());
  p.set_month(r.month());
  p.set_amount(r.amount());
  p.set_currency(r.currency());
  p.set_rule(r.rule());
  p.set_explanation(r.explanation());
  p.set_plugin(r.plugin());
  return p;
}

v1::Award ToProto(const store::AwardRecord& r) {
  v1::Award a;
  a.set_unit_id(r.unit_id());
  a.set_month(r.month());
  a.set_award(r.award());
  a.set_explanation(r.explanation());
  a.set_plugin(r.plugin());
  a.set_score(r.score());
  return a;
}

v1::Alert ToProto(const store::AlertRecord& r) {
  v1::Alert a;
  a.set_alert_id(r.alert_id());
  a.set_unit_id(r.unit_id());
  a.set_rule(r.rule());
  a.set_severity(r.severity());
  a.set_figures(r.figures());
  a.set_status(static_cast<v1::AlertStatus>(r.status()));
  a.set_opened_at(FormatTime(r.opened_at_unix()));
  a.set_escalated_to(r.escalated_to());
  a.set_escalation_level(r.escalation_level());
  a.set_plugin(r.plugin());
  a.set_as_of(r.as_of());
  a.set_last_seen(r.last_seen().empty() ? r.as_of() : r.last_seen());
  a.set_latest_figures(r.latest_figures().empty() ? r.figures() : r.latest_figures());
  a.set_ack_note(r.ack_note());
  a.set_acked_by(r.acked_by());
  if (r.acked_at_unix() != 0) a.set_acked_at(FormatTime(r.acked_at_unix()));
  a.set_resolve_note(r.resolve_note());
  a.set_resolved_by(r.resolved_by());
  if (r.resolved_at_unix() != 0) a.set_resolved_at(FormatTime(r.resolved_at_unix()));
  return a;
}

absl::Status AddOutcomes(ServerState& state, const Caller& caller, std::string_view unit,
                         std::string_view month, v1::Explanation* out) {
  auto payouts = LoadPayouts(state, month);
  if (!payouts.ok()) return payouts.status();
  for (const auto& p : *payouts) {
    if (p.unit_id() == unit) *out->add_payouts() = ToProto(p);
  }
  auto awards = LoadAwards(state, month);
  if (!awards.ok()) return awards.status();
  for (const auto& a : *awards) {
    if (a.unit_id() == unit) *out->add_awards() = ToProto(a);
  }
  auto alerts = LoadAlerts(state);
  if (!alerts.ok()) return alerts.status();
  for (const auto& a : *alerts) {
    if (a.unit_id() == unit && a.as_of().substr(0, 7) == month) *out->add_alerts() = ToProto(a);
  }
  (void)caller;
  return absl::OkStatus();
}

}  // namespace okr
