#include "services/core/actuals_ops.h"

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "absl/strings/str_cat.h"
#include "services/core/apply.h"
#include "services/core/metrics.h"
#include "services/core/rollup_deltas.h"
#include "services/core/rollup_limits.h"
#include "services/domain/month_close.h"
#include "store/codecs.h"
#include "store/keys.h"
#include "store/rollup.h"

namespace okr {
namespace {

bool SameContent(const store::EventRecord& stored, const ActualEvent& event) {
  return stored.unit_id() == event.unit_id && stored.metric_id() == event.metric_id &&
         stored.day() == event.date.DayNumber() && stored.value_micros() == event.value_micros &&
         stored.denominator_micros() == event.denominator_micros;
}

// One new or corrected event, decided before anything of its request is written.
struct PlannedEvent {
  std::string event_id;
  store::EventRecord record;                   // what is stored
  std::optional<store::EventRecord> previous;  // a correction: what it replaces
};

store::RollupValue Amount(const store::EventRecord& record) {
  return {record.value_micros(), record.denominator_micros(), 1};
}

std::vector<std::string> RolledUpUnder(const store::EventRecord& record) {
  return {record.rolled_up_under().begin(), record.rolled_up_under().end()};
}

// Decides every event of a request (new, duplicate or correction) and checks that none takes
// a roll-up it touches out of range, all before the first write: an event that would is
// OutOfRange naming its line and id, and nothing of the request is stored. Counts into `out`.
absl::StatusOr<std::vector<PlannedEvent>> PlanEvents(ServerState& state, const OrgSnapshot& org,
                                                     const std::vector<ActualEvent>& events,
                                                     const std::vector<int>& lines,
                                                     YearTotals& totals, IngestResult* out) {
  std::vector<PlannedEvent> plan;
  // Events planned earlier in this request: the database does not see them until commit.
  std::unordered_map<std::string, size_t> planned;
  // What the database holds for every id, in one MultiGet.
  std::vector<std::string> keys;
  keys.reserve(events.size());
  for (const ActualEvent& event : events) keys.push_back(store::EventKey(event.event_id));
  auto stored = state.db().MultiGet(store::Cf::kEvents, keys);
  if (!stored.ok()) return stored.status();
  for (size_t i = 0; i < events.size(); ++i) {
    const ActualEvent& event = events[i];
    store::EventRecord previous;
    bool exists = false;
    if (auto it = planned.find(event.event_id); it != planned.end()) {
      previous = plan[it->second].record;
      exists = true;
    } else if (const std::optional<std::string>& bytes = (*stored)[i]; bytes.has_value()) {
      if (!previous.ParseFromString(*bytes)) {
        return absl::DataLossError("the stored EventRecord of event '" + event.event_id +
                                   "' does not parse (run okrd --verify)");
      }
      exists = true;
    }
    if (exists && SameContent(previous, event)) {
      ++out->duplicates;
      continue;
    }
    PlannedEvent next;
    next.event_id = event.event_id;
    store::EventRecord& record = next.record;
    record.set_unit_id(event.unit_id);
    record.set_metric_id(event.metric_id);
    record.set_day(event.date.DayNumber());
    record.set_value_micros(event.value_micros);
    record.set_denominator_micros(event.denominator_micros);
    const std::vector<std::string> units = org.AncestryOn(event.unit_id, event.date);
    for (const std::string& unit : units) record.add_rolled_up_under(unit);

    // A correction takes back exactly what the old content added, where it was added.
    const std::vector<std::string> was =
        exists ? RolledUpUnder(previous) : std::vector<std::string>{};
    const int was_year = Date::FromDayNumber(previous.day()).year;
    absl::Status fits = totals.Apply(
        {YearTotals::Change{was, previous.metric_id(), was_year, Amount(previous).Negated()},
         YearTotals::Change{units, event.metric_id, event.date.year, Amount(record)}});
    if (absl::IsOutOfRange(fits)) {
      return absl::OutOfRangeError(absl::StrCat(
          lines[i] > 0 ? absl::StrCat("line ", lines[i], ": ") : "", "event '", event.event_id,
          "': ", fits.message(), "; nothing of this batch was stored"));
    }
    if (!fits.ok()) return fits;

    if (exists) {
      next.previous = std::move(previous);
      ++out->corrected;
    } else {
      ++out->accepted;
    }
    planned[event.event_id] = plan.size();
    plan.push_back(std::move(next));
  }
  return plan;
}

// Adds the planned events to `applied`: their records and their roll-up deltas.
absl::Status AddPlanned(ServerState& state, uint64_t seq, const std::vector<PlannedEvent>& plan,
                        Applied& applied) {
  RollupDeltas deltas;
  for (const PlannedEvent& event : plan) {
    if (event.previous) {
      const store::EventRecord& previous = *event.previous;
      absl::Status s = deltas.Add(RolledUpUnder(previous), previous.metric_id(),
                                  Date::FromDayNumber(previous.day()), Amount(previous).Negated());
      if (!s.ok()) return s;
    }
    absl::Status s = deltas.Add(RolledUpUnder(event.record), event.record.metric_id(),
                                Date::FromDayNumber(event.record.day()), Amount(event.record));
    if (!s.ok()) return s;
    applied.batch.PutProto(store::Cf::kEvents, store::EventKey(event.event_id), event.record);
  }
  if (applied.batch.count() == 0) return absl::OkStatus();
  std::vector<std::string> touched = deltas.Touched();
  state.rollups().Record(seq, std::move(deltas), applied);
  applied.after_write.push_back(
      [&state, touched = std::move(touched)] { state.watches().Touch(touched); });
  return absl::OkStatus();
}

ActualEvent FromLogged(const store::LoggedEvent& logged) {
  return ActualEvent{logged.event_id(),     logged.unit_id(),
                     logged.metric_id(),    Date::FromDayNumber(logged.day()),
                     logged.value_micros(), logged.denominator_micros()};
}

store::LoggedEvent ToLogged(const ActualEvent& event, int line) {
  store::LoggedEvent logged;
  logged.set_event_id(event.event_id);
  logged.set_unit_id(event.unit_id);
  logged.set_metric_id(event.metric_id);
  logged.set_day(event.date.DayNumber());
  logged.set_value_micros(event.value_micros);
  logged.set_denominator_micros(event.denominator_micros);
  logged.set_line(line);
  return logged;
}

}  // namespace

std::vector<ActualRow> ParseActualsCsv(std::string_view text, IngestResult* out) {
  CsvReader reader;
  std::vector<CsvRecord> records;
  reader.Feed(text, &records);
  reader.Finish(&records);
  std::vector<ActualRow> rows;
  if (records.empty()) return rows;
  auto header = CsvHeader::Parse(records.front(), kActualColumns, kActualOptionalColumns);
  if (!header.ok()) {
    out->errors.push_back(std::string(header.status().message()));
    ++out->rejected;
    return rows;
  }
  for (const std::string& warning : header->warnings()) out->warnings.push_back(warning);
  rows.reserve(records.size() - 1);
  for (size_t i = 1; i < records.size(); ++i) {
    auto row = records[i].status.ok() ? ActualRowFromRecord(*header, records[i])
                                      : absl::StatusOr<ActualRow>(records[i].status);
    if (!row.ok()) {
      out->errors.push_back(std::string(row.status().message()));
      ++out->rejected;
      continue;
    }
    rows.push_back(*std::move(row));
  }
  return rows;
}

namespace {

void CountOutcomes(const IngestResult& before, const IngestResult& after, bool stored,
                   int64_t now_unix) {
  Metrics& m = Metrics::Global();
  m.Add("okr_actual_events_total", {{"outcome", "rejected"}}, after.rejected - before.rejected);
  if (!stored) return;
  if (after.accepted > before.accepted || after.corrected > before.corrected) {
    m.Set("okr_actuals_last_ingest_timestamp_seconds", {}, static_cast<double>(now_unix));
  }
  m.Add("okr_actual_events_total", {{"outcome", "accepted"}}, after.accepted - before.accepted);
  m.Add("okr_actual_events_total", {{"outcome", "duplicate"}},
        after.duplicates - before.duplicates);
  m.Add("okr_actual_events_total", {{"outcome", "corrected"}}, after.corrected - before.corrected);
}

absl::Status IngestValidRows(ServerState& state, const std::vector<ActualRow>& rows,
                             bool skip_invalid, IngestResult* out);

}  // namespace

absl::Status IngestRows(ServerState& state, const std::vector<ActualRow>& rows, bool skip_invalid,
                        IngestResult* out) {
  const IngestResult before = *out;
  absl::Status status = IngestValidRows(state, rows, skip_invalid, out);
  CountOutcomes(before, *out, status.ok() && (out->rejected == 0 || skip_invalid),
                state.clock().NowUnix());
  return status;
}

namespace {

absl::Status IngestValidRows(ServerState& state, const std::vector<ActualRow>& rows,
                             bool skip_invalid, IngestResult* out) {
  // The org is read under the ingest lock: an org move takes the same lock to move stored
  // totals, so a batch is rolled up under the tree before or after the move, never between.
  std::unique_lock<std::mutex> lock(state.actuals_mu);
  if (state.test_ingest_delay().count() > 0) std::this_thread::sleep_for(state.test_ingest_delay());
  auto org = state.org();
  const std::vector<Metric> metric_list = state.Metrics();
  auto lookup = [&](std::string_view id) -> const Metric* {
    for (const Metric& m : metric_list) {
      if (m.id == id) return &m;
    }
    return nullptr;
  };
  std::vector<ActualEvent> valid;
  std::vector<int> lines;  // of each valid event, for errors
  valid.reserve(rows.size());
  lines.reserve(rows.size());
  const Date today = state.clock().Today();
  for (const ActualRow& row : rows) {
    auto event = ValidateEvent(row, *org, lookup);
    if (event.ok()) {
      if (absl::Status s = CheckNotAfterToday(*event, row.line, today, state.clock().zone.name());
          !s.ok()) {
        event = s;
      }
    }
    if (!event.ok()) {
      out->errors.push_back(std::string(event.status().message()));
      ++out->rejected;
      continue;
    }
    valid.push_back(*std::move(event));
    lines.push_back(row.line);
  }
  if (out->rejected > 0 && !skip_invalid) return absl::OkStatus();  // all or nothing

  if (valid.size() > kIngestChunkEvents) {
    // Every chunk is a command of its own; a request is all or nothing all the same, so every
    // event of it is checked against the roll-up bounds before the first chunk is applied.
    // Nothing else ingests meanwhile (actuals_mu), so the chunks find what this found.
    IngestResult trial;
    RollupSnapshot view(state.rollups());  // one point in time for every year total it reads
    YearTotals totals(state.rollups(), &state.year_totals());
    if (auto plan = PlanEvents(state, *org, valid, lines, totals, &trial); !plan.ok()) {
      return plan.status();
    }
  }
  uint64_t written = state.commands().mark().seq();  // the last command this batch waits for
  for (size_t start = 0; start < valid.size(); start += kIngestChunkEvents) {
    const size_t end = std::min(valid.size(), start + kIngestChunkEvents);
    // Actuals carry no caller: they write no audit entry, and any role may send them.
    store::Command command = NewCommand(state, Caller{});
    auto& events = *command.mutable_ingest_actuals()->mutable_events();
    events.Reserve(static_cast<int>(end - start));
    for (size_t i = start; i < end; ++i) *events.Add() = ToLogged(valid[i], lines[i]);
    absl::StatusOr<uint64_t> seq =
        state.commands().Append(std::move(command), [&](const store::Command& c, Applied& applied) {
          return ApplyIngestActuals(state, c, applied, out);
        });
    if (!seq.ok()) return seq.status();
    written = *seq;
  }
  lock.unlock();
  // Outside the ingest lock: the streams queued behind it share this fsync.
  if (absl::Status s = state.commands().WaitDurable(written); !s.ok()) return s;
  // Red-lines look at the touched agents as of the latest days they got data for (at most a
  // month of days, so a back-fill of a year stays cheap; the schedule covers the rest).
  std::set<std::string> agents;
  std::set<int> days;
  for (const ActualEvent& event : valid) {
    agents.insert(event.unit_id);
    days.insert(event.date.DayNumber());
  }
  std::vector<Date> latest;
  for (auto it = days.rbegin(); it != days.rend() && latest.size() < 31; ++it) {
    latest.push_back(Date::FromDayNumber(*it));
  }
  if (!valid.empty()) state.ActualsCommitted({agents.begin(), agents.end()}, latest);
  return absl::OkStatus();
}

// The event as it was stored.
ActualEvent EventOf(const std::string& event_id, const store::EventRecord& record) {
  return ActualEvent{event_id,
                     record.unit_id(),
                     record.metric_id(),
                     Date::FromDayNumber(record.day()),
                     record.value_micros(),
                     record.denominator_micros()};
}

nlohmann::json EventJson(const std::string& event_id, const store::EventRecord& record) {
  nlohmann::json json = {{"event_id", event_id},
                         {"unit_id", record.unit_id()},
                         {"metric", record.metric_id()},
                         {"date", Date::FromDayNumber(record.day()).ToString()},
                         {"value", FormatMicros(record.value_micros())}};
  if (record.denominator_micros() != 0) {
    json["denominator"] = FormatMicros(record.denominator_micros());
  }
  return json;
}

}  // namespace

absl::Status ApplyIngestActuals(ServerState& state, const store::Command& command, Applied& applied,
                                IngestResult* out) {
  std::vector<ActualEvent> events;
  std::vector<int> lines;
  events.reserve(command.ingest_actuals().events_size());
  lines.reserve(command.ingest_actuals().events_size());
  auto org = state.org();
  for (const store::LoggedEvent& logged : command.ingest_actuals().events()) {
    if (org->Find(logged.unit_id()) == nullptr) {
      return absl::FailedPreconditionError("event '" + logged.event_id() + "': no unit '" +
                                           logged.unit_id() +
                                           "'; nothing of this batch was stored");
    }
    events.push_back(FromLogged(logged));
    lines.push_back(logged.line());
  }
  auto totals = std::make_shared<YearTotals>(state.rollups(), &state.year_totals());
  absl::StatusOr<std::vector<PlannedEvent>> plan;
  {
    // One point in time for every year total the chunk reads, rather than one per total:
    // taken under the log's lock, it holds every command before this one.
    RollupSnapshot view(state.rollups());
    plan = PlanEvents(state, *org, events, lines, *totals, out);
  }
  if (!plan.ok()) return plan.status();
  applied.after_write.push_back([totals] { totals->Commit(); });
  return AddPlanned(state, command.seq(), *plan, applied);
}

absl::StatusOr<ActualEvent> DeleteEvent(ServerState& state, const Caller& caller,
                                        const std::string& event_id, const std::string& reason) {
  if (event_id.empty()) return absl::InvalidArgumentError("event_id is required");
  // close_mu first: a close reads its month's actuals from a snapshot, so a delete between
  // its snapshot and its commit would change a month that then counts as closed with them.
  // (Lock order close_mu, actuals_mu; a close takes no other.)
  std::lock_guard<std::mutex> close_lock(state.close_mu);
  std::lock_guard<std::mutex> lock(state.actuals_mu);
  store::Command command = NewCommand(state, caller);
  command.mutable_delete_event()->set_event_id(event_id);
  command.mutable_delete_event()->set_reason(reason);
  ActualEvent deleted;
  absl::Status s =
      state.commands().Run(std::move(command), [&](const store::Command& c, Applied& applied) {
        return ApplyDeleteEvent(state, c, applied, &deleted);
      });
  if (!s.ok()) return s;
  Metrics::Global().Add("okr_actual_events_total", {{"outcome", "deleted"}}, 1);
  // Red-lines look again at the agent's day: a breach may have been this event.
  state.ActualsCommitted({deleted.unit_id}, {deleted.date});
  return deleted;
}

absl::Status ApplyDeleteEvent(ServerState& state, const store::Command& command, Applied& applied,
                              ActualEvent* deleted) {
  const std::string& event_id = command.delete_event().event_id();
  store::EventRecord record;
  auto found = state.db().GetProto(store::Cf::kEvents, store::EventKey(event_id), &record);
  if (!found.ok()) return found.status();
  if (!*found) {
    return absl::NotFoundError("no event '" + event_id +
                               "' (never imported, or already deleted); nothing was changed");
  }
  const Date day = Date::FromDayNumber(record.day());
  const std::string month = MonthText(day.year, day.month);
  auto closed = state.db().Get(store::Cf::kMeta, store::CounterKey(CloseCounterName(month)));
  if (!closed.ok()) return closed.status();
  if (closed->has_value()) {
    return absl::FailedPreconditionError(
        absl::StrCat("event '", event_id, "' is dated ", day.ToString(), " and ", month,
                     " is closed: its payouts and awards were computed with it, and closed "
                     "months are final; nothing was changed"));
  }

  applied.batch.Delete(store::Cf::kEvents, store::EventKey(event_id));
  // Taken back from exactly the units it was added to (the tree may have moved since).
  RollupDeltas deltas;
  if (absl::Status s =
          deltas.Add(RolledUpUnder(record), record.metric_id(), day, Amount(record).Negated());
      !s.ok()) {
    return s;
  }
  std::vector<std::string> touched = deltas.Touched();
  state.rollups().Record(command.seq(), std::move(deltas), applied);
  store::AuditRecord audit = NewAudit(command, "actuals.delete", record.unit_id(),
                                      record.metric_id(), command.delete_event().reason());
  audit.set_before_json(EventJson(event_id, record).dump());
  state.Audit(applied.batch, std::move(audit));  // after: null, the event is gone
  applied.after_write.push_back([&state, touched = std::move(touched)] {
    state.year_totals().Clear();  // this event's years are less now
    state.watches().Touch(touched);
  });
  if (deleted != nullptr) *deleted = EventOf(event_id, record);
  return absl::OkStatus();
}

absl::StatusOr<ActualSums> ReadActualSums(ServerState& state, std::string_view unit_id,
                                          std::string_view metric_id, const Date& first,
                                          const Date& last) {
  // Within one year the sums fit (YearTotals); checked anyway, so that a damaged database
  // reads as an error rather than a wrapped number.
  store::RollupValue total;
  bool fits = true;
  auto add = [&](std::string_view, const store::RollupValue& value) {
    fits = fits && total.AddChecked(value);
    return true;
  };
  auto add_days = [&](const Date& from, const Date& to) {
    return state.rollups().ScanRange(store::RollupDayKey(unit_id, metric_id, RollupDay(from)),
                                     store::RollupDayKey(unit_id, metric_id, RollupDay(to) + 1),
                                     add);
  };
  auto month_end = [](const Date& d) {
    return Date{d.year, d.month, DaysInMonth(d.year, d.month)};
  };
  auto next_month = [](const Date& d) {
    return d.month == 12 ? Date{d.year + 1, 1, 1} : Date{d.year, d.month + 1, 1};
  };
  // Only the first and the last month of the range can be partial: their days are read from
  // the day roll-ups. The whole months between are contiguous month keys, (unit, metric, 'm',
  // yyyymm), read with one range scan: a year's progress is one read, not twelve.
  const Date whole_first = first.day == 1 ? first : next_month(first);
  const Date last_month_start{last.year, last.month, 1};
  const Date whole_last_start = last == month_end(last)       ? last_month_start
                                : last_month_start.month == 1 ? Date{last.year - 1, 12, 1}
                                                              : Date{last.year, last.month - 1, 1};
  if (whole_last_start < whole_first) {
    // No whole month: at most two partial ones.
    const Date head_end = std::min(last, month_end(first));
    if (absl::Status s = add_days(first, head_end); !s.ok()) return s;
    if (head_end < last) {
      if (absl::Status s = add_days(next_month(first), last); !s.ok()) return s;
    }
  } else {
    if (first < whole_first) {
      if (absl::Status s = add_days(first, month_end(first)); !s.ok()) return s;
    }
    absl::Status s = state.rollups().ScanRange(
        store::RollupMonthKey(unit_id, metric_id, RollupMonth(whole_first)),
        store::RollupMonthKey(unit_id, metric_id, RollupMonth(whole_last_start) + 1), add);
    if (!s.ok()) return s;
    if (whole_last_start < last_month_start) {
      if (absl::Status s = add_days(last_month_start, last); !s.ok()) return s;
    }
  }
  if (!fits) {
    return absl::OutOfRangeError(absl::StrCat(
        "the actuals of unit '", std::string(unit_id), "', metric '", std::string(metric_id),
        "' from ", first.ToString(), " to ", last.ToString(), " add up beyond int64"));
  }
  return ActualSums{total.value_micros, total.denominator_micros, total.events};
}

absl::StatusOr<std::map<int, ActualSums>> ReadDailyActualSums(ServerState& state,
                                                              std::string_view unit_id,
                                                              std::string_view metric_id,
                                                              const Date& first, const Date& last) {
  std::map<int, ActualSums> days;
  if (last < first) return days;
  absl::Status damaged;
  absl::Status s = state.rollups().ScanRange(
      store::RollupDayKey(unit_id, metric_id, RollupDay(first)),
      store::RollupDayKey(unit_id, metric_id, RollupDay(last) + 1),
      [&](std::string_view key, const store::RollupValue& value) {
        std::optional<int> yyyymmdd = store::RollupDayKeyDate(key);
        if (!yyyymmdd) {
          damaged = absl::DataLossError("malformed roll-up key under unit '" +
                                        std::string(unit_id) + "'");
          return false;
        }
        const Date day{*yyyymmdd / 10000, *yyyymmdd / 100 % 100, *yyyymmdd % 100};
        days[day.DayNumber()] +=
            ActualSums{value.value_micros, value.denominator_micros, value.events};
        return true;
      });
  if (!s.ok()) return s;
  if (!damaged.ok()) return damaged;
  return days;
}

}  // namespace okr
