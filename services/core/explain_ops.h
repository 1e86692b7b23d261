// Explain: why a unit's month has its target (the chain of splits from the annual target),
// what its actual and status are, and which payouts, awards and alerts it got.
#ifndef OKR_SERVICES_CORE_EXPLAIN_OPS_H_
#define OKR_SERVICES_CORE_EXPLAIN_OPS_H_

#include "absl/status/status.h"
#include "okr/v1/explain.pb.h"
#include "services/core/server_state.h"

namespace okr {

// The chain is found by replaying, with a trace, the cascade of the nearest unit at or above
// the unit that holds an annual target, with the split it was last cascaded with and the
// holds as stored. Each step's value is the stored cell (what breakdown shows); a step whose
// replayed value differs (inputs changed since the last cascade) says so in its detail.
absl::Status Explain(ServerState& state, const Caller& caller, const v1::ExplainRequest& req,
                     v1::Explanation* out);

}  // namespace okr

#endif  // OKR_SERVICES_CORE_EXPLAIN_OPS_H_
