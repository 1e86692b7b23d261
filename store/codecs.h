// Keys and values of each column family: domain types to stored records and back.
#ifndef OKR_STORE_CODECS_H_
#define OKR_STORE_CODECS_H_

#include <optional>
#include <string>
#include <string_view>

#include "services/domain/metric.h"
#include "services/domain/org.h"
#include "store/records.pb.h"

namespace okr::store {

std::string UnitKey(std::string_view unit_id);
std::string MetricKey(std::string_view metric_id);
std::string TargetKey(std::string_view metric_id, int year, std::string_view unit_id);
std::string PlanPrefix(std::string_view metric_id, int year);
std::string PlanKey(std::string_view metric_id, int year, std::string_view unit_id);
// The unit of a PlanKey; nullopt when `key` is not one.
std::optional<std::string> PlanKeyUnit(std::string_view key);
std::string HoldPrefix(std::string_view metric_id, int year);
std::string HoldKey(std::string_view metric_id, int year, std::string_view unit_id, int month);
std::string EventKey(std::string_view event_id);
std::string AuditKey(int64_t seq);
std::string CommandKey(uint64_t seq);
// meta: the AppliedMark of the command log.
inline constexpr std::string_view kAppliedMarkKey = "applied";
// The meta key of the roll-ups' RollupCheckpointMark (services/core/rollup_store.h).
inline constexpr std::string_view kRollupCheckpointKey = "rollups_checkpoint";
std::string TokenKey(std::string_view token_hash);
std::string ProposalKey(int64_t proposal_id);
std::string CounterKey(std::string_view name);

UnitRecord ToRecord(const Unit& unit);
Unit FromRecord(const UnitRecord& record);
MetricRecord ToRecord(const Metric& metric);
Metric FromRecord(const MetricRecord& record);

}  // namespace okr::store

#endif  // OKR_STORE_CODECS_H_
