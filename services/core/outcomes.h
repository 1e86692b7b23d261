// Stored results of month close (payouts, awards) and red-line alerts: keys and reads.
//
// outcomes family: ('p' | 'a', month, unit_id, plugin, index) -> PayoutRecord | AwardRecord
// alerts family:   ('a', alert_id) -> AlertRecord (alerts.h)
//                  ('r', plugin, unit, rule, alert number) -> alert_id: a rule's alerts (alerts.h)
//                  ('b', plugin, unit, breach_key) -> alert_id: breach keys of alerts opened
//                    before the rule index; no longer written or read
//                  ('k', month, to_unit, seq) -> KudosRecord (kudos.h)
//                  ('g', day, giver, to_unit) -> kudos id: one a day (kudos.h)
#ifndef OKR_SERVICES_CORE_OUTCOMES_H_
#define OKR_SERVICES_CORE_OUTCOMES_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "services/core/server_state.h"
#include "store/records.pb.h"

namespace okr {

std::string PayoutPrefix(std::string_view month);
std::string PayoutKey(std::string_view month, std::string_view unit, std::string_view plugin,
                      int index);
std::string AwardPrefix(std::string_view month);
std::string AwardKey(std::string_view month, std::string_view unit, std::string_view plugin,
                     int index);
std::string AlertKey(std::string_view alert_id);
std::string AlertPrefix();
std::string BreachKey(std::string_view plugin, std::string_view unit, std::string_view breach);
std::string KudosPrefix(std::string_view month);
std::string KudosKey(std::string_view month, std::string_view to_unit, int64_t seq);

absl::StatusOr<std::vector<store::PayoutRecord>> LoadPayouts(ServerState& state,
                                                             std::string_view month);
absl::StatusOr<std::vector<store::AwardRecord>> LoadAwards(ServerState& state,
                                                           std::string_view month);
absl::StatusOr<std::vector<store::AlertRecord>> LoadAlerts(ServerState& state);

// What one unit got in one month: its payouts and awards, and the alerts first seen in it.
struct UnitOutcomes {
  std::vector<store::PayoutRecord> payouts;
  std::vector<store::AwardRecord> awards;
  std::vector<store::AlertRecord> alerts;  // in id order (AlertIdLess)
};
// The outcomes of `unit` in `month` (YYYY-MM), for an explanation.
absl::StatusOr<UnitOutcomes> LoadUnitOutcomes(ServerState& state, std::string_view unit,
                                              std::string_view month);

}  // namespace okr

#endif  // OKR_SERVICES_CORE_OUTCOMES_H_
