// okrd --verify: checks a stopped okrd's database without serving it. Every record of every
// column family must parse and match its key, and every roll-up (agent-day ... company-month)
// must equal the sum recomputed from the events (each event under the units it records it
// was rolled up under, which must be its agent's ancestry on its day).
//
// Recomputing holds one entry per roll-up key in memory (about 100 bytes each).
#ifndef OKR_SERVICES_CORE_VERIFY_H_
#define OKR_SERVICES_CORE_VERIFY_H_

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "store/db.h"

namespace okr {

struct VerifyReport {
  int64_t records = 0;  // read, over every column family
  int64_t rollups = 0;  // roll-up keys compared (stored or expected)
  // One line per difference, e.g. "column family 'units', key "a1\x00\x01": the stored
  // UnitRecord does not parse" or "roll-up of unit 'g1', metric 'tickets', day 2026-02-03:
  // expected value 5 (denominator 0, events 1), found value 6 (denominator 0, events 1)".
  std::vector<std::string> problems;
  bool clean() const { return problems.empty(); }
};

// Errors only when the database cannot be read at all; damage is reported in the result.
absl::StatusOr<VerifyReport> VerifyDatabase(const store::Db& db);

// The okrd --verify command on `data_dir` (okrd's --data-dir): prints every problem and a
// summary to `out`, errors to `err`; 0 when clean, 1 otherwise.
int RunVerify(const std::string& data_dir, std::ostream& out, std::ostream& err);

}  // namespace okr

#endif  // OKR_SERVICES_CORE_VERIFY_H_
