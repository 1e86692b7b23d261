#include "services/core/history.h"

#include <deque>

#include "services/core/convert.h"
#include "store/codecs.h"

namespace okr {
namespace {

// "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SSZ" -> unix micros; day starts at 00:00 UTC.
absl::StatusOr<int64_t> ParseInstant(std::string_view text, bool end_of_day) {
  auto date = Date::Parse(text.substr(0, 10));
  if (!date.ok()) return date.status();
  int64_t seconds = static_cast<int64_t>(date->DayNumber()) * 86400;
  if (text.size() >= 19 && text[10] == 'T') {
    int h = 0, m = 0, s = 0;
    if (std::sscanf(std::string(text.substr(11, 8)).c_str(), "%d:%d:%d", &h, &m, &s) != 3) {
      return absl::InvalidArgumentError("bad time '" + std::string(text) + "'");
    }
    seconds += h * 3600 + m * 60 + s;
  } else if (end_of_day) {
    seconds += 86399;
  }
  return seconds * 1000000;
}

bool Related(const OrgSnapshot& org, const std::string& unit, const std::string& entry_unit) {
  if (entry_unit.empty()) return false;
  return org.IsInSubtreeEver(unit, entry_unit) || org.IsInSubtreeEver(entry_unit, unit);
}

}  // namespace

absl::Status QueryHistory(ServerState& state, const Caller& caller, const v1::HistoryRequest& req,
                          v1::HistoryReply* out) {
  int64_t since = INT64_MIN, until = INT64_MAX;
  if (!req.since().empty()) {
    auto t = ParseInstant(req.since(), false);
    if (!t.ok()) return t.status();
    since = *t;
  }
  if (!req.until().empty()) {
    auto t = ParseInstant(req.until(), true);
    if (!t.ok()) return t.status();
    until = *t;
  }
  const size_t limit = req.limit() == 0 ? 1000 : req.limit();
  const std::string unit = req.unit_id();
  const std::string scope = ScopeUnit(caller, "");
  auto org = state.org();
  if (!unit.empty() && org->Find(unit) == nullptr) {
    return absl::NotFoundError("no unit '" + unit + "'");
  }
  std::deque<store::AuditRecord> kept;  // the newest `limit` entries
  absl::Status scanned =
      state.db().Scan(store::Cf::kAudit, "", [&](std::string_view, std::string_view value) {
        store::AuditRecord record;
        if (!record.ParseFromArray(value.data(), static_cast<int>(value.size()))) return true;
        if (record.at_unix_micros() < since || record.at_unix_micros() > until) return true;
        if (!req.metric_id().empty() && record.metric_id() != req.metric_id()) return true;
        if (!req.actor().empty() && record.actor().find(req.actor()) == std::string::npos) {
          return true;
        }
        if (!unit.empty() && !Related(*org, unit, record.unit_id())) return true;
        if (!scope.empty() && !org->IsInSubtreeEver(scope, record.unit_id())) return true;
        kept.push_back(std::move(record));
        if (kept.size() > limit) kept.pop_front();
        return true;
      });
  if (!scanned.ok()) return scanned;
  for (const store::AuditRecord& record : kept) {
    v1::AuditEntry* entry = out->add_entries();
    entry->set_seq(record.seq());
    entry->set_at(FormatTime(record.at_unix_micros() / 1000000));
    entry->set_actor(record.actor());
    entry->set_action(record.action());
    entry->set_unit_id(record.unit_id());
    entry->set_metric_id(record.metric_id());
    entry->set_reason(record.reason());
    entry->set_before(record.before_json());
    entry->set_after(record.after_json());
    entry->set_plan_version(record.plan_version());
  }
  return absl::OkStatus();
}

}  // namespace okr
