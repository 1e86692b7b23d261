#include "services/api/convert.h"

#include <algorithm>
#include <cmath>
#include <ctime>

#include "absl/status/status.h"
#include "services/domain/text.h"

namespace okr {

v1::UnitKind ToProto(UnitKind kind) {
  switch (kind) {
    case UnitKind::kCompany:
      return v1::UNIT_KIND_COMPANY;
    case UnitKind::kTeam:
      return v1::UNIT_KIND_TEAM;
    case UnitKind::kGroup:
      return v1::UNIT_KIND_GROUP;
    case UnitKind::kAgent:
      return v1::UNIT_KIND_AGENT;
  }
  return v1::UNIT_KIND_UNSPECIFIED;
}

v1::Unit ToProto(const Unit& unit) {
  v1::Unit out;
  out.set_unit_id(unit.id);
  out.set_parent_id(unit.parent_id);
  out.set_kind(ToProto(unit.kind));
  out.set_name(unit.name);
  out.set_fte(unit.fte);
  if (unit.start_date) out.set_start_date(unit.start_date->ToString());
  if (unit.end_date) out.set_end_date(unit.end_date->ToString());
  for (const Move& move : unit.moves) {
    v1::UnitMove* m = out.add_moves();
    m->set_effective(move.effective.ToString());
    m->set_parent_id(move.parent_id);
  }
  out.set_deactivated(unit.deactivated);
  return out;
}

v1::Metric ToProto(const Metric& metric) {
  v1::Metric out;
  out.set_metric_id(metric.id);
  out.set_kind(metric.kind == MetricKind::kCount ? v1::METRIC_KIND_COUNT : v1::METRIC_KIND_RATIO);
  out.set_direction(metric.direction == Direction::kUp ? v1::DIRECTION_UP : v1::DIRECTION_DOWN);
  out.set_scale(metric.scale);
  out.set_unit(metric.unit);
  out.set_name(metric.name);
  return out;
}

absl::StatusOr<Metric> FromProto(const v1::Metric& in) {
  Metric metric;
  metric.id = in.metric_id();
  bool id_ok = !metric.id.empty() && metric.id.size() <= 64;
  for (char c : metric.id) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.')) {
      id_ok = false;
    }
  }
  if (!id_ok) {
    return absl::InvalidArgumentError("bad metric id '" + metric.id +
                                      "': use 1-64 of a-z, 0-9, '_', '-', '.'");
  }
  switch (in.kind()) {
    case v1::METRIC_KIND_COUNT:
      metric.kind = MetricKind::kCount;
      break;
    case v1::METRIC_KIND_RATIO:
      metric.kind = MetricKind::kRatio;
      break;
    default:
      return absl::InvalidArgumentError("metric '" + metric.id + "': kind must be count or ratio");
  }
  switch (in.direction()) {
    case v1::DIRECTION_UP:
      metric.direction = Direction::kUp;
      break;
    case v1::DIRECTION_DOWN:
      metric.direction = Direction::kDown;
      break;
    default:
      return absl::InvalidArgumentError("metric '" + metric.id + "': direction must be up or down");
  }
  metric.scale = in.scale() == 0 ? 1.0 : in.scale();
  if (!std::isfinite(metric.scale) || metric.scale <= 0 || metric.scale > 1e9) {
    return absl::InvalidArgumentError("metric '" + metric.id +
                                      "': scale must be a finite number > 0");
  }
  metric.unit = in.unit();
  metric.name = in.name().empty() ? metric.id : in.name();
  return metric;
}

std::string SafeMessage(std::string_view text) {
  std::string out;
  out.reserve(std::min(text.size(), kMaxMessageChars + 16));
  size_t i = 0;
  while (i < text.size()) {
    const size_t valid = Utf8SequenceLength(text, i);
    const size_t len = valid == 0 ? 1 : valid;
    if (out.size() + len > kMaxMessageChars) {
      out += "... (truncated)";
      break;
    }
    if (valid != 0) {
      out.append(text.substr(i, len));
    } else {
      out += '?';
    }
    i += len;
  }
  return out;
}

v1::RowError ToRowError(const std::string& error) {
  v1::RowError out;
  unsigned line = 0;
  int consumed = 0;
  if (std::sscanf(error.c_str(), "line %u%n", &line, &consumed) == 1 && consumed > 0 &&
      (error[consumed] == ':' || error[consumed] == ',')) {
    out.set_line(line);
  }
  out.set_message(SafeMessage(error));
  return out;
}

}  // namespace okr
