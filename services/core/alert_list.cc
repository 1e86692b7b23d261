#include "services/core/alert_list.h"

#include "services/core/access_policy.h"
#include "services/core/alert_index.h"
#include "services/core/index_merge.h"
#include "services/core/outcomes.h"

namespace okr {
namespace {

// Alert records read per MultiGet.
constexpr size_t kAlertChunk = 128;

// The index ranges that hold the query's alerts in id order: one per unit of a small subtree,
// else the status's range, else every alert.
std::vector<IndexRange> AlertRanges(const OrgSnapshot& org, const std::string& scope, int status) {
  std::vector<IndexRange> ranges;
  if (!scope.empty()) {
    if (auto units = UnitsBelowEver(org, scope, kMaxMergedRanges)) {
      for (const std::string& unit : *units) ranges.push_back(AlertUnitRange(unit));
      return ranges;
    }
  }
  ranges.push_back(status != 0 ? AlertStatusRange(status) : AllAlertsRange());
  return ranges;
}

}  // namespace

absl::StatusOr<AlertPage> ListAlertsPage(ServerState& state, const Caller& caller,
                                         const AlertQuery& query) {
  auto org = state.org();
  const std::string scope = ScopeUnit(caller, query.unit_id);
  auto wanted = [&](const store::AlertRecord& r) {
    if (!MayReadInScope(caller, scope, r.unit_id(), *org)) return false;
    return query.status == 0 || r.status() == query.status;
  };
  AlertPage page;
  store::ReadSnapshot snapshot(state.db());
  auto indexed = AlertIndexComplete(state.db());
  if (!indexed.ok()) return indexed.status();
  if (!*indexed) {  // a database from before the index, not yet indexed at start
    auto alerts = LoadAlerts(state);
    if (!alerts.ok()) return alerts.status();
    std::vector<store::AlertRecord> matching;
    for (store::AlertRecord& r : *alerts) {
      if (wanted(r)) matching.push_back(std::move(r));
    }
    page.alerts = CutPage(
        std::move(matching), query.page,
        [](const store::AlertRecord& r) { return AlertOrder(r.alert_id()); }, &page.next_cursor);
    return page;
  }
  IndexMerge in_order(state.db(), AlertRanges(*org, scope, query.status), query.page.after,
                      /*descending=*/false);
  const size_t limit = query.page.limit;
  bool read_all = false;
  while (page.alerts.size() <= limit && !read_all) {
    std::vector<std::string> keys;
    while (keys.size() < kAlertChunk) {
      auto next = in_order.Next();
      if (!next.ok()) return next.status();
      if (!next->has_value()) {
        read_all = true;
        break;
      }
      keys.push_back(AlertKey(AlertIdAt(**next)));
    }
    if (keys.empty()) break;
    auto values = state.db().MultiGet(store::Cf::kAlerts, keys);
    if (!values.ok()) return values.status();
    for (const std::optional<std::string>& value : *values) {
      store::AlertRecord r;
      if (!value || !r.ParseFromString(*value) || !wanted(r)) continue;
      page.alerts.push_back(std::move(r));
      if (page.alerts.size() > limit) break;
    }
  }
  if (page.alerts.size() > limit) {
    page.alerts.resize(limit);
    if (!page.alerts.empty()) page.next_cursor = AlertOrder(page.alerts.back().alert_id());
  }
  return page;
}

}  // namespace okr
