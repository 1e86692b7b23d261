#include "services/api/outcome_convert.h"

#include "services/api/convert.h"

namespace okr {

// AlertRecord.status stores the okr.v1 number, which the core's AlertStatus names.
static_assert(static_cast<int>(AlertStatus::kOpen) == v1::ALERT_STATUS_OPEN);
static_assert(static_cast<int>(AlertStatus::kAcked) == v1::ALERT_STATUS_ACKED);
static_assert(static_cast<int>(AlertStatus::kResolved) == v1::ALERT_STATUS_RESOLVED);

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

}  // namespace okr
