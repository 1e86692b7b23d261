#include "services/core/verify.h"

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <unordered_map>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/core/alert_index.h"
#include "services/core/data_folder.h"
#include "services/core/history_index.h"
#include "services/core/rollup_deltas.h"
#include "services/core/rollup_store.h"
#include "services/domain/actual_event.h"
#include "services/domain/org.h"
#include "store/codecs.h"
#include "store/damage.h"
#include "store/keys.h"
#include "store/records.pb.h"
#include "store/rollup.h"

namespace okr {
namespace {

using store::Cf;
using store::KeyReader;

template <typename Record>
bool Parses(std::string_view value, Record* record) {
  return record->ParseFromArray(value.data(), static_cast<int>(value.size()));
}
template <typename Record>
bool Parses(std::string_view value) {
  Record record;
  return Parses(value, &record);
}

// Key shapes (keys.h): each reader call consumes one component.
bool IsStrKey(std::string_view key, int strings) {
  KeyReader r(key);
  for (int i = 0; i < strings; ++i) {
    if (!r.Str()) return false;
  }
  return r.done();
}
bool IsI64Key(std::string_view key) {
  KeyReader r(key);
  return r.I64() && r.done();
}
// (metric, year, unit) and, for holds, a month.
bool IsPlanKey(std::string_view key, bool with_month) {
  KeyReader r(key);
  if (!r.Str() || !r.I32() || !r.Str()) return false;
  if (with_month && !r.I32()) return false;
  return r.done();
}

struct RollupKey {
  std::string unit_id, metric_id;
  char kind = 0;  // 'd' or 'm'
  int32_t date = 0;
};
std::optional<RollupKey> ParseRollupKey(std::string_view key) {
  KeyReader r(key);
  RollupKey out;
  std::optional<std::string> unit = r.Str(), metric = r.Str();
  std::optional<char> kind = r.Byte();
  std::optional<int32_t> date = r.I32();
  if (!unit || !metric || !kind || (*kind != 'd' && *kind != 'm') || !date || !r.done()) {
    return std::nullopt;
  }
  return RollupKey{*unit, *metric, *kind, *date};
}

std::string PeriodText(const RollupKey& key) {
  if (key.kind == 'd') {
    return absl::StrCat("day ",
                        Date{key.date / 10000, key.date / 100 % 100, key.date % 100}.ToString());
  }
  return "month " + MonthText(key.date / 100, key.date % 100);
}

std::string SumsText(const store::RollupValue& v) {
  return absl::StrCat("value ", FormatMicros(v.value_micros), " (denominator ",
                      FormatMicros(v.denominator_micros), ", events ", v.events, ")");
}

// What is wrong with one stored record, or nullopt when it reads. Every family has a case
// (no default: a new family does not compile until it says how its records are checked).
std::optional<std::string> RecordProblem(Cf cf, std::string_view key, std::string_view value) {
  switch (cf) {
    case Cf::kMeta: {
      int64_t number = 0;
      if (key == "applied") {
        if (!Parses<store::AppliedMark>(value)) return "the applied mark does not parse";
        return std::nullopt;
      }
      if (key == "schema_version") {
        if (!absl::SimpleAtoi(absl::string_view(value.data(), value.size()), &number))
          return "the schema version is not a number";
        return std::nullopt;
      }
      KeyReader r(key);
      if (r.Str() == "counter") {
        if (!r.Str() || !r.done()) return "not a counter key";
        if (!absl::SimpleAtoi(absl::string_view(value.data(), value.size()), &number))
          return "the counter's value is not a number";
      }
      return std::nullopt;
    }
    case Cf::kUnits: {
      store::UnitRecord record;
      if (!Parses(value, &record)) return "the stored UnitRecord does not parse";
      if (store::UnitKey(record.unit_id()) != key) {
        return "the stored UnitRecord is of unit '" + record.unit_id() + "', not of its key";
      }
      return std::nullopt;
    }
    case Cf::kMetrics: {
      store::MetricRecord record;
      if (!Parses(value, &record)) return "the stored MetricRecord does not parse";
      if (store::MetricKey(record.metric_id()) != key) {
        return "the stored MetricRecord is of metric '" + record.metric_id() + "', not of its key";
      }
      return std::nullopt;
    }
    case Cf::kTargets:
      if (!IsPlanKey(key, false)) return "not a target key (metric, year, unit)";
      if (!Parses<store::TargetRecord>(value)) return "the stored TargetRecord does not parse";
      return std::nullopt;
    case Cf::kPlans:
      if (!IsPlanKey(key, false)) return "not a plan key (metric, year, unit)";
      if (!Parses<store::PlanRecord>(value)) return "the stored PlanRecord does not parse";
      return std::nullopt;
    case Cf::kHolds:
      if (!IsPlanKey(key, true)) return "not a hold key (metric, year, unit, month)";
      if (!Parses<store::HoldRecord>(value)) return "the stored HoldRecord does not parse";
      return std::nullopt;
    case Cf::kEvents:
      if (!IsStrKey(key, 1)) return "not an event key (event id)";
      if (!Parses<store::EventRecord>(value)) return "the stored EventRecord does not parse";
      return std::nullopt;
    case Cf::kRollups: {
      if (!ParseRollupKey(key)) return "not a roll-up key (unit, metric, 'd'|'m', date)";
      bool ok = false;
      store::RollupValue::Decode(value, &ok);
      if (!ok) return absl::StrCat("a roll-up value is 24 bytes, this one ", value.size());
      return std::nullopt;
    }
    case Cf::kAudit:
      if (!IsI64Key(key)) return "not an audit key (sequence number)";
      if (!Parses<store::AuditRecord>(value)) return "the stored AuditRecord does not parse";
      return std::nullopt;
    case Cf::kTokens:
      if (!IsStrKey(key, 1)) return "not a token key (token hash)";
      if (!Parses<store::TokenRecord>(value)) return "the stored TokenRecord does not parse";
      return std::nullopt;
    case Cf::kProposals:
      if (!IsI64Key(key)) return "not a proposal key (proposal id)";
      if (!Parses<store::ProposalRecord>(value)) return "the stored ProposalRecord does not parse";
      return std::nullopt;
    case Cf::kOutcomes:  // 'p' payouts, 'a' awards (outcomes.cc)
      if (!key.empty() && key[0] == 'p') {
        if (!Parses<store::PayoutRecord>(value)) return "the stored PayoutRecord does not parse";
      } else if (!key.empty() && key[0] == 'a') {
        if (!Parses<store::AwardRecord>(value)) return "the stored AwardRecord does not parse";
      } else {
        return "not a payout ('p') or award ('a') key";
      }
      return std::nullopt;
    case Cf::kAlerts:  // outcomes.h: 'a' alerts, 'r' a rule's alerts and 'b' old breach keys
                       // (value: the alert id), 'k' kudos, 'g' one a day (value: the kudos id)
      if (!key.empty() && key[0] == 'a') {
        if (!Parses<store::AlertRecord>(value)) return "the stored AlertRecord does not parse";
      } else if (!key.empty() && key[0] == 'k') {
        if (!Parses<store::KudosRecord>(value)) return "the stored KudosRecord does not parse";
      } else if (key.empty() || (key[0] != 'b' && key[0] != 'r' && key[0] != 'g')) {
        return "not an alert ('a', 'r', 'b') or kudos ('k', 'g') key";
      }
      return std::nullopt;
    case Cf::kPluginConfigs:
      if (!IsStrKey(key, 2)) return "not a plugin config key (plugin, unit)";
      if (!nlohmann::json::accept(value)) return "the stored plugin config is not JSON";
      return std::nullopt;
    case Cf::kCommands:
      if (!IsI64Key(key)) return "not a command key (sequence number)";
      if (!Parses<store::Command>(value)) return "the stored Command does not parse";
      return std::nullopt;
    case Cf::kAuditIndex:
      if (!value.empty() && key != "v") return "a history index key has no value";
      return HistoryIndexKeyProblem(key);
    case Cf::kAlertIndex:
      if (!value.empty() && key != "v") return "an alert index key has no value";
      return AlertIndexKeyProblem(key);
    case Cf::kRollupJournal:
      if (!IsI64Key(key)) return "not a roll-up journal key (sequence number)";
      if (!Parses<store::RollupJournalEntry>(value)) {
        return "the stored RollupJournalEntry does not parse";
      }
      return std::nullopt;
    case Cf::kCount:
      break;
  }
  return "no such column family";
}

class Verifier {
 public:
  explicit Verifier(const store::Db& db) : db_(db) {}

  absl::StatusOr<VerifyReport> Run() {
    std::vector<Unit> units;
    for (size_t i = 0; i < static_cast<size_t>(Cf::kCount); ++i) {
      const Cf cf = static_cast<Cf>(i);
      absl::Status s = db_.Scan(cf, "", [&](std::string_view key, std::string_view value) {
        ++report_.records;
        if (std::optional<std::string> problem = RecordProblem(cf, key, value)) {
          Report(store::DamagedRecord(cf, key, *problem));
        } else if (cf == Cf::kUnits) {
          store::UnitRecord record;
          (void)Parses(value, &record);
          units.push_back(store::FromRecord(record));
        }
        return true;
      });
      if (!s.ok()) {
        Report(absl::StrCat("column family '", std::string(store::kCfNames[i]),
                            "' cannot be read: ", s.message()));
      }
    }
    const OrgSnapshot org(std::move(units));
    if (absl::Status s = RecomputeRollups(org); !s.ok()) return s;
    CompareRollups();
    return std::move(report_);
  }

 private:
  void Report(const absl::Status& status) { report_.problems.emplace_back(status.message()); }
  void Report(std::string problem) { report_.problems.push_back(std::move(problem)); }

  // The roll-ups the events add up to, under the units each event was rolled up under.
  absl::Status RecomputeRollups(const OrgSnapshot& org) {
    return db_.Scan(Cf::kEvents, "", [&](std::string_view key, std::string_view value) {
      store::EventRecord event;
      if (!Parses(value, &event)) return true;  // reported above
      const Date day = Date::FromDayNumber(event.day());
      const std::vector<std::string> under(event.rolled_up_under().begin(),
                                           event.rolled_up_under().end());
      const std::vector<std::string> ancestry = org.AncestryOn(event.unit_id(), day);
      if (under != ancestry) {
        Report(store::DamagedRecord(
            Cf::kEvents, key,
            absl::StrCat("the event is rolled up under [", absl::StrJoin(under, ", "),
                         "] but the org places agent '", event.unit_id(), "' on ", day.ToString(),
                         " under [", absl::StrJoin(ancestry, ", "), "]")));
      }
      const store::RollupValue amount{event.value_micros(), event.denominator_micros(), 1};
      for (const std::string& unit : under) {
        for (const std::string& rollup :
             {store::RollupDayKey(unit, event.metric_id(), RollupDay(day)),
              store::RollupMonthKey(unit, event.metric_id(), RollupMonth(day))}) {
          if (!expected_[rollup].AddChecked(amount)) {
            Report(absl::StrCat("the events of ", RollupName(rollup), " add up beyond int64"));
          }
        }
      }
      return true;
    });
  }

  std::string RollupName(std::string_view key) const {
    std::optional<RollupKey> k = ParseRollupKey(key);
    if (!k) return "roll-up \"" + store::EscapeBytes(key) + "\"";
    return absl::StrCat("roll-up of unit '", k->unit_id, "', metric '", k->metric_id, "', ",
                        PeriodText(*k));
  }

  // Each roll-up as okrd reads it: the stored value plus the journal's deltas after the
  // checkpoint (services/core/rollup_store.h).
  void CompareRollups() {
    absl::StatusOr<std::map<std::string, store::RollupValue>> journal = JournalAfterCheckpoint(db_);
    if (!journal.ok()) {
      Report(absl::StrCat("the roll-up journal cannot be read: ", journal.status().message()));
      return;
    }
    absl::Status s = db_.Scan(Cf::kRollups, "", [&](std::string_view key, std::string_view value) {
      ++report_.rollups;
      bool ok = false;
      store::RollupValue found = store::RollupValue::Decode(value, &ok);
      if (!ok || !ParseRollupKey(key)) return true;  // reported above
      if (auto it = journal->find(std::string(key)); it != journal->end()) {
        if (!found.AddChecked(it->second)) {
          Report(absl::StrCat(RollupName(key), " with its journal adds up beyond int64"));
        }
        journal->erase(it);
      }
      store::RollupValue expected;
      if (auto it = expected_.find(std::string(key)); it != expected_.end()) {
        expected = it->second;
        expected_.erase(it);
      }
      if (found != expected) Mismatch(key, expected, found);
      return true;
    });
    if (!s.ok()) {
      Report(absl::StrCat("column family 'rollups' cannot be read: ", s.message()));
      return;
    }
    // Only in the journal so far.
    for (const auto& [key, found] : *journal) {
      ++report_.rollups;
      store::RollupValue expected;
      if (auto it = expected_.find(key); it != expected_.end()) {
        expected = it->second;
        expected_.erase(it);
      }
      if (found != expected) Mismatch(key, expected, found);
    }
    // Expected but not stored at all (sorted, for a stable report).
    std::map<std::string, store::RollupValue> missing;
    for (auto& [key, value] : expected_) {
      if (value != store::RollupValue{}) missing.emplace(key, value);
    }
    for (const auto& [key, value] : missing) {
      ++report_.rollups;
      Mismatch(key, value, store::RollupValue{});
    }
  }

  void Mismatch(std::string_view key, const store::RollupValue& expected,
                const store::RollupValue& found) {
    Report(absl::StrCat(RollupName(key), ": expected ", SumsText(expected), ", found ",
                        SumsText(found)));
  }

  const store::Db& db_;
  VerifyReport report_;
  std::unordered_map<std::string, store::RollupValue> expected_;
};

}  // namespace

absl::StatusOr<VerifyReport> VerifyDatabase(const store::Db& db) { return Verifier(db).Run(); }

int RunVerify(const std::string& data_dir, std::ostream& out, std::ostream& err) {
  const std::string dir = DatabaseDir(data_dir);
  std::error_code ec;
  if (!std::filesystem::exists(dir + "/CURRENT", ec)) {
    err << "okrd --verify: no database in " << dir << " (is --data-dir right?)\n";
    return 1;
  }
  auto db = store::Db::Open(dir);
  if (!db.ok()) {
    err << "okrd --verify: " << db.status().message() << "\n";
    return 1;
  }
  absl::StatusOr<VerifyReport> report = VerifyDatabase(**db);
  if (!report.ok()) {
    err << "okrd --verify: " << report.status().message() << "\n";
    return 1;
  }
  for (const std::string& problem : report->problems) out << problem << "\n";
  out << "okrd --verify: " << report->records << " records, " << report->rollups
      << " roll-ups compared: "
      << (report->clean() ? "clean" : absl::StrCat(report->problems.size(), " problem(s)")) << "\n";
  return report->clean() ? 0 : 1;
}

}  // namespace okr
