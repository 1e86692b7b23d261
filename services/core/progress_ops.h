// Progress reads: a unit's progress, its children's, and a leaderboard of agents.
#ifndef OKR_SERVICES_CORE_PROGRESS_OPS_H_
#define OKR_SERVICES_CORE_PROGRESS_OPS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "services/core/access_policy.h"
#include "services/core/parsed_field.h"
#include "services/core/server_state.h"
#include "services/domain/progress.h"

namespace okr {

// What a progress read is about. `as_of` unset: the server's today, taken at each evaluation
// (a watch that runs past midnight moves on with the day). The period and day come parsed from
// the edge; their errors are reported after the unit's and the metric's (parsed_field.h).
struct ProgressQuery {
  std::string unit_id;
  std::string metric_id;
  Parsed<Period> period;
  Parsed<std::optional<Date>> as_of = std::nullopt;
};

// One unit's line of a progress reply or a leaderboard.
struct ProgressLine {
  std::string unit_id;
  std::string unit_name;
  Progress progress;
  int64_t events = 0;
  // Leaderboard lines: the agent's group in the period, and its volume (count: the actual;
  // ratio: the sum of denominators).
  std::string group_id;
  std::string group_name;
  double volume = 0;
};

struct ProgressReport {
  std::string metric_id;
  Period period;
  Date as_of;
  ProgressLine unit;
  std::vector<ProgressLine> children;  // those the caller may read, when asked for
};

// The unit's progress and, with `children`, that of each child the caller may read.
absl::StatusOr<ProgressReport> GetProgress(ServerState& state, const Caller& caller,
                                           const ProgressQuery& query, bool children);

struct LeaderboardQuery {
  ProgressQuery progress;
  uint32_t limit = 0;                // 0: 20
  std::optional<double> min_volume;  // ratio metrics only; unset: kDefaultMinVolume
};

struct LeaderboardReport {
  std::string metric_id;
  Period period;
  std::vector<ProgressLine> agents;  // best first
  double min_volume = 0;             // the minimum applied (0 for count metrics)
  int below_min_volume = 0;          // agents left out for a smaller volume
};

absl::StatusOr<LeaderboardReport> GetLeaderboard(ServerState& state, const Caller& caller,
                                                 const LeaderboardQuery& query);

// One unit's progress (shared with close, explain and the dashboard).
absl::StatusOr<Progress> UnitProgress(ServerState& state, const Metric& metric,
                                      std::string_view unit_id, const Period& period,
                                      const Date& as_of, int64_t* events = nullptr);

}  // namespace okr

#endif  // OKR_SERVICES_CORE_PROGRESS_OPS_H_
