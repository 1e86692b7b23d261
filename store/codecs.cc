#include "store/codecs.h"

#include "store/keys.h"

namespace okr::store {

std::string UnitKey(std::string_view unit_id) { return KeyBuilder().Str(unit_id).Release(); }
std::string MetricKey(std::string_view metric_id) { return KeyBuilder().Str(metric_id).Release(); }
std::string TargetKey(std::string_view metric_id, int year, std::string_view unit_id) {
  return KeyBuilder().Str(metric_id).I32(year).Str(unit_id).Release();
}
std::string PlanPrefix(std::string_view metric_id, int year) {
  return KeyBuilder().Str(metric_id).I32(year).Release();
}
std::string PlanKey(std::string_view metric_id, int year, std::string_view unit_id) {
  return KeyBuilder().Str(metric_id).I32(year).Str(unit_id).Release();
}
std::optional<std::string> PlanKeyUnit(std::string_view key) {
  KeyReader reader(key);
  if (!reader.Str() || !reader.I32()) return std::nullopt;
  std::optional<std::string> unit = reader.Str();
  if (!reader.done()) return std::nullopt;
  return unit;
}
std::string HoldPrefix(std::string_view metric_id, int year) {
  return KeyBuilder().Str(metric_id).I32(year).Release();
}
std::string HoldKey(std::string_view metric_id, int year, std::string_view unit_id, int month) {
  return KeyBuilder().Str(metric_id).I32(year).Str(unit_id).I32(month).Release();
}
std::string EventKey(std::string_view event_id) { return KeyBuilder().Str(event_id).Release(); }
std::string AuditKey(int64_t seq) { return KeyBuilder().I64(seq).Release(); }
std::string CommandKey(uint64_t seq) {
  return KeyBuilder().I64(static_cast<int64_t>(seq)).Release();
}
std::string TokenKey(std::string_view token_hash) { return KeyBuilder().Str(token_hash).Release(); }
std::string ProposalKey(int64_t proposal_id) { return KeyBuilder().I64(proposal_id).Release(); }
std::string CounterKey(std::string_view name) {
  return KeyBuilder().Str("counter").Str(name).Release();
}

UnitRecord ToRecord(const Unit& unit) {
  UnitRecord record;
  record.set_unit_id(unit.id);
  record.set_parent_id(unit.parent_id);
  record.set_kind(static_cast<int>(unit.kind));
  record.set_name(unit.name);
  record.set_fte(unit.fte);
  if (unit.start_date) {
    record.set_has_start(true);
    record.set_start_day(unit.start_date->DayNumber());
  }
  if (unit.end_date) {
    record.set_has_end(true);
    record.set_end_day(unit.end_date->DayNumber());
  }
  for (const Move& move : unit.moves) {
    MoveRecord* m = record.add_moves();
    m->set_effective_day(move.effective.DayNumber());
    m->set_parent_id(move.parent_id);
  }
  record.set_deactivated(unit.deactivated);
  return record;
}

Unit FromRecord(const UnitRecord& record) {
  Unit unit;
  unit.id = record.unit_id();
  unit.parent_id = record.parent_id();
  unit.kind = static_cast<UnitKind>(record.kind());
  unit.name = record.name();
  unit.fte = record.fte();
  if (record.has_start()) unit.start_date = Date::FromDayNumber(record.start_day());
  if (record.has_end()) unit.end_date = Date::FromDayNumber(record.end_day());
  for (const MoveRecord& m : record.moves()) {
    unit.moves.push_back(Move{Date::FromDayNumber(m.effective_day()), m.parent_id()});
  }
  unit.deactivated = record.deactivated();
  return unit;
}

MetricRecord ToRecord(const Metric& metric) {
  MetricRecord record;
  record.set_metric_id(metric.id);
  record.set_kind(static_cast<int>(metric.kind));
  record.set_direction(static_cast<int>(metric.direction));
  record.set_scale(metric.scale);
  record.set_unit(metric.unit);
  record.set_name(metric.name);
  return record;
}

Metric FromRecord(const MetricRecord& record) {
  Metric metric;
  metric.id = record.metric_id();
  metric.kind = static_cast<MetricKind>(record.kind());
  metric.direction = static_cast<Direction>(record.direction());
  metric.scale = record.scale();
  metric.unit = record.unit();
  metric.name = record.name();
  return metric;
}

}  // namespace okr::store
