// Explain: why a unit's month has its target (the chain of splits from the annual target),
// what its actual and status are, and which payouts, awards and alerts it got.
#ifndef OKR_SERVICES_CORE_EXPLAIN_OPS_H_
#define OKR_SERVICES_CORE_EXPLAIN_OPS_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "services/core/outcomes.h"
#include "services/core/parsed_field.h"
#include "services/core/server_state.h"
#include "services/domain/progress.h"

namespace okr {

struct ExplainQuery {
  std::string unit_id;
  std::string metric_id;
  Parsed<std::pair<int, int>> month;  // (year, month)
  // The day the progress is as of; nullopt: today. A parse error is reported after the plan
  // is found, so that a request with a bad unit, metric or plan hears about those first.
  Parsed<std::optional<Date>> as_of = std::nullopt;
};

// One step of the chain, from the annual target down to the unit's month.
struct ChainStep {
  std::string unit_id;
  std::string period;  // the year for the first step, else the month
  double value = 0;    // the stored plan cell (the annual target for the first step)
  std::string rule;    // target, seasonality, days, fte, even, weights, hold, ...
  std::string detail;
};

struct Explanation {
  std::string unit_id;
  std::string metric_id;
  std::string period;  // the month, YYYY-MM
  double target = 0;
  std::vector<ChainStep> chain;
  double actual = 0;
  ProgressStatus status = ProgressStatus::kNoTarget;
  UnitOutcomes outcomes;
};

// The chain runs from the topmost unit at or above the unit that holds an annual target down
// to the unit; each step's value is the stored cell (what breakdown shows) and its rule and
// detail are the trace the cascade that wrote the cell stored with it (services/core/
// plan_trace.h): a few point reads, whatever the size of the org. The steps say why each cell
// has the value it has now; inputs changed since (a hold set, an org move) show at the next
// cascade, and a target changed since says so on the first step. Rows written before traces
// were stored are explained by replaying, with a trace, the root's cascade with the split it
// was last cascaded with and the holds as stored; a replayed step whose value differs from
// the stored cell says so in its detail.
absl::StatusOr<Explanation> Explain(ServerState& state, const ExplainQuery& query);

}  // namespace okr

#endif  // OKR_SERVICES_CORE_EXPLAIN_OPS_H_
