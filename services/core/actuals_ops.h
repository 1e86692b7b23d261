// Ingestion of actual events: validation, idempotence by event id, and the roll-up deltas
// written in the same atomic batch as the events.
#ifndef OKR_SERVICES_CORE_ACTUALS_OPS_H_
#define OKR_SERVICES_CORE_ACTUALS_OPS_H_

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "services/core/command_log.h"
#include "services/core/server_state.h"
#include "services/domain/actual_event.h"
#include "services/domain/progress.h"

namespace okr {

// Events per atomic write. A batch a client sends is split at this size; every part is
// acknowledged only when all parts are durable.
inline constexpr size_t kIngestChunkEvents = 20000;

// What an ingestion did. Counts add up over the chunks of one request (and the CSV parse
// before them); `errors` are the refused rows, "line 3: ..." (the event's 1-based position or
// its CSV line), `warnings` the CSV header's ignored columns.
struct IngestResult {
  int accepted = 0;
  int duplicates = 0;
  int corrected = 0;
  int rejected = 0;
  std::vector<std::string> errors;
  std::vector<std::string> warnings;
};

// Validates every row; with any bad row and !skip_invalid, stores nothing and lists every
// bad row. Otherwise stores the good rows: a new event id is accepted, the same id with the
// same content is a duplicate, with new content a correction that replaces the old values
// (taken back from exactly the units they were added to).
absl::Status IngestRows(ServerState& state, const std::vector<ActualRow>& rows, bool skip_invalid,
                        IngestResult* out);

// Parses a CSV file (event_id,unit_id,metric,date,value,denominator; header as CsvHeader
// reads it, denominator optional) into rows; CSV-level problems are reported in `out` as
// rejected rows, ignored header columns as warnings.
std::vector<ActualRow> ParseActualsCsv(std::string_view text, IngestResult* out);

// Removes event `event_id` in one atomic write: the event record (which is also its
// idempotence key: the id is free again, a later import of it is a new event), the amounts it
// added to the roll-ups of exactly the units it was added to, and an audit entry
// (actuals.delete, before: the event, after: null, with the reason). NOT_FOUND for an unknown
// id; FAILED_PRECONDITION when the event's month is closed (closed months are final).
// Returns the event as it was.
absl::StatusOr<ActualEvent> DeleteEvent(ServerState& state, const Caller& caller,
                                        const std::string& event_id, const std::string& reason);

// The commands behind them (services/core/apply.h). An ingest command is one chunk of
// validated events; applying it decides new, duplicate and corrected events against the
// state (counted into `out`). Deleting fills `deleted` when given.
absl::Status ApplyIngestActuals(ServerState& state, const store::Command& command, Applied& applied,
                                IngestResult* out);
absl::Status ApplyDeleteEvent(ServerState& state, const store::Command& command, Applied& applied,
                              ActualEvent* deleted);

// The sums of a unit's roll-up over an inclusive day range: month aggregates for whole
// months, day aggregates for the ragged ends.
absl::StatusOr<ActualSums> ReadActualSums(ServerState& state, std::string_view unit_id,
                                          std::string_view metric_id, const Date& first,
                                          const Date& last);

// A unit's roll-up day by day over an inclusive range, in one scan: day number -> sums, days
// without data absent. (Red-line windows read this way rather than a point read per day.)
absl::StatusOr<std::map<int, ActualSums>> ReadDailyActualSums(ServerState& state,
                                                              std::string_view unit_id,
                                                              std::string_view metric_id,
                                                              const Date& first, const Date& last);

}  // namespace okr

#endif  // OKR_SERVICES_CORE_ACTUALS_OPS_H_
