#include "services/core/outcome_list.h"

#include <algorithm>

#include "services/core/access_policy.h"
#include "services/core/index_merge.h"
#include "services/core/outcomes.h"
#include "store/keys.h"

namespace okr {
namespace {

// The records under `month_prefix` (PayoutPrefix or AwardPrefix) after the page's cursor, in
// key order, that the caller may read.
template <typename Record>
absl::StatusOr<OutcomePage<Record>> ScanOutcomes(ServerState& state, const Caller& caller,
                                                 const std::string& month_prefix,
                                                 const OutcomeQuery& query) {
  auto org = state.org();
  const std::string scope = ScopeUnit(caller, query.unit_id);
  // The unit ranges to read, in key order: every unit of a small subtree, else the month.
  std::vector<std::string> prefixes;
  if (!scope.empty()) {
    if (auto units = UnitsBelowEver(*org, scope, kMaxMergedRanges)) {  // sorted by id
      for (const std::string& unit : *units) {
        prefixes.push_back(month_prefix + store::KeyBuilder().Str(unit).Release());
      }
    }
  }
  if (prefixes.empty()) prefixes.push_back(month_prefix);
  const std::string after =
      query.page.after.empty() ? "" : month_prefix + query.page.after + std::string(1, '\0');
  const size_t limit = query.page.limit;
  OutcomePage<Record> page;
  std::string last_key;
  for (const std::string& prefix : prefixes) {
    const std::string end = store::PrefixSuccessor(prefix);
    const std::string begin = std::max(prefix, after);
    if (!end.empty() && begin >= end) continue;
    absl::Status s = state.db().ScanRange(
        store::Cf::kOutcomes, begin, end, [&](std::string_view key, std::string_view v) {
          Record r;
          if (!r.ParseFromArray(v.data(), static_cast<int>(v.size()))) return true;
          if (!MayReadInScope(caller, scope, r.unit_id(), *org)) return true;
          if (page.records.size() == limit) {  // one more than the page: a next page follows
            page.next_cursor = last_key.substr(month_prefix.size());
            return false;
          }
          page.records.push_back(std::move(r));
          last_key = key;
          return true;
        });
    if (!s.ok()) return s;
    if (!page.next_cursor.empty()) break;
  }
  return page;
}

}  // namespace

absl::StatusOr<OutcomePage<store::PayoutRecord>> ListPayoutsPage(ServerState& state,
                                                                 const Caller& caller,
                                                                 const OutcomeQuery& query) {
  store::ReadSnapshot snapshot(state.db());
  return ScanOutcomes<store::PayoutRecord>(state, caller, PayoutPrefix(query.month), query);
}

absl::StatusOr<OutcomePage<store::AwardRecord>> ListAwardsPage(ServerState& state,
                                                               const Caller& caller,
                                                               const OutcomeQuery& query) {
  store::ReadSnapshot snapshot(state.db());
  return ScanOutcomes<store::AwardRecord>(state, caller, AwardPrefix(query.month), query);
}

}  // namespace okr
