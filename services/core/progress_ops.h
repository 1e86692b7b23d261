// Progress reads: a unit's progress, its children's, and a leaderboard of agents.
#ifndef OKR_SERVICES_CORE_PROGRESS_OPS_H_
#define OKR_SERVICES_CORE_PROGRESS_OPS_H_

#include "absl/status/status.h"
#include "okr/v1/progress.pb.h"
#include "services/core/server_state.h"
#include "services/domain/progress.h"

namespace okr {

absl::Status GetProgress(ServerState& state, const Caller& caller, const v1::ProgressRequest& req,
                         v1::ProgressReply* out);
absl::Status GetLeaderboard(ServerState& state, const Caller& caller,
                            const v1::LeaderboardRequest& req, v1::LeaderboardReply* out);

// One unit's progress (shared with close, explain and the dashboard).
absl::StatusOr<Progress> UnitProgress(ServerState& state, const Metric& metric,
                                      std::string_view unit_id, const Period& period,
                                      const Date& as_of, int64_t* events = nullptr);

}  // namespace okr

#endif  // OKR_SERVICES_CORE_PROGRESS_OPS_H_
