// How much an agent's figure for a period rests on: its volume. A ratio of 1 survey response
// is 0% or 100%, and ranking it beside 200 responses would reward luck, so leaderboards and
// agent-of-the-month awards set a minimum volume.
//   count metric: the count itself (the sum of values);
//   ratio metric: the sum of denominators (responses for CSAT, tickets for AHT).
#ifndef OKR_SERVICES_DOMAIN_VOLUME_H_
#define OKR_SERVICES_DOMAIN_VOLUME_H_

#include "services/domain/progress.h"

namespace okr {

// The minimum volume of a ratio metric's leaderboard when none is asked for.
inline constexpr double kDefaultMinVolume = 10;

// `sums`: the agent's actuals over the period (ActualsWindow).
double Volume(const Metric& metric, const ActualSums& sums);

}  // namespace okr

#endif  // OKR_SERVICES_DOMAIN_VOLUME_H_
