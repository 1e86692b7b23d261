#include "services/core/kudos.h"

#include <algorithm>
#include <mutex>
#include <utility>
#include <vector>

#include "services/core/outcomes.h"
#include "services/core/time_zone.h"
#include "store/keys.h"

namespace okr {
namespace {

// One giver: the unit of a lead or agent token, else the token (admin, director).
std::string Giver(const Caller& caller) {
  return caller.unit_id.empty() ? caller.Actor() : caller.unit_id;
}

std::string OneADayKey(const Date& day, std::string_view giver, std::string_view to_unit) {
  return store::KeyBuilder().Byte('g').Str(day.ToString()).Str(giver).Str(to_unit).Release();
}

// The giver's role; records stored before from_role say it in from_actor ("agent:...").
Role GiverRole(const store::KudosRecord& r) {
  if (r.from_role() != 0) return static_cast<Role>(r.from_role());
  auto role = ParseRole(std::string_view(r.from_actor()).substr(0, r.from_actor().find(':')));
  return role.ok() ? *role : Role::kAdmin;
}

bool IsPeer(const store::KudosRecord& r) { return GiverRole(r) == Role::kAgent; }

std::string Day(const ServerState& state, const store::KudosRecord& r) {
  if (!r.day().empty()) return r.day();
  return LocalDate(r.at_unix() * 1000000, state.clock().zone).ToString();
}

// The seq at the end of a kudos key ('k', month, to_unit, seq).
int64_t KudosSeq(std::string_view key) {
  store::KeyReader reader(key);
  if (!reader.Byte() || !reader.Str() || !reader.Str()) return 0;
  return reader.I64().value_or(0);
}

// Two gives of the same giver and receiver at once must not both find the day free.
std::mutex& GiveMutex() {
  static std::mutex mu;
  return mu;
}

}  // namespace

absl::StatusOr<std::string> GiveKudos(ServerState& state, const Caller& caller,
                                      const KudosGift& gift) {
  const Unit* to = state.org()->Find(gift.to_unit_id);
  if (to == nullptr) return absl::NotFoundError("no unit '" + gift.to_unit_id + "'");
  if (to->kind != UnitKind::kAgent) {
    return absl::InvalidArgumentError("kudos go to an agent; '" + gift.to_unit_id + "' is a " +
                                      std::string(UnitKindName(to->kind)));
  }
  if (gift.reason.empty()) return absl::InvalidArgumentError("kudos need a reason");
  const Date today = state.clock().Today();
  if (!to->ActiveOn(today)) {
    std::string when = "is not active on " + today.ToString();
    if (to->end_date && *to->end_date < today) when = "left on " + to->end_date->ToString();
    if (to->start_date && today < *to->start_date) {
      when = "starts on " + to->start_date->ToString();
    }
    return absl::FailedPreconditionError("'" + to->id + "' (" + to->name + ") " + when +
                                         ": kudos go to colleagues who work today");
  }
  const std::string giver = Giver(caller);
  const std::string once = OneADayKey(today, giver, to->id);
  std::lock_guard<std::mutex> lock(GiveMutex());
  auto given = state.db().Get(store::Cf::kAlerts, once);
  if (!given.ok()) return given.status();
  if (given->has_value()) {
    return absl::FailedPreconditionError("'" + giver + "' already gave kudos to '" + to->id +
                                         "' on " + today.ToString() + " (" + **given +
                                         "): one a day per colleague; try again tomorrow");
  }
  store::Batch batch = state.db().NewBatch();
  const int64_t seq = state.NextCounter(batch, "kudos");
  const std::string id = "K" + std::to_string(seq);
  store::KudosRecord record;
  record.set_from_actor(caller.Actor());
  record.set_from_role(static_cast<int>(caller.role));
  record.set_from_unit_id(caller.unit_id);
  record.set_to_unit_id(gift.to_unit_id);
  record.set_reason(gift.reason);
  record.set_at_unix(state.clock().NowUnix());
  record.set_day(today.ToString());
  const std::string month = today.ToString().substr(0, 7);
  batch.PutProto(store::Cf::kAlerts, KudosKey(month, gift.to_unit_id, seq), record);
  batch.Put(store::Cf::kAlerts, once, id);
  store::AuditRecord audit = NewAudit(caller, "kudos.give", gift.to_unit_id, {}, gift.reason);
  state.Audit(batch, std::move(audit));
  if (absl::Status s = state.db().Commit(batch); !s.ok()) return s;
  return id;
}

absl::StatusOr<KudosPage> ListKudos(ServerState& state, const Caller& caller,
                                    const KudosQuery& query) {
  std::string prefix = store::KeyBuilder().Byte('k').Release();  // every month
  if (query.month) prefix = KudosPrefix(MonthText(query.month->first, query.month->second));
  auto org = state.org();
  const std::string scope = ScopeUnit(caller, query.unit_id);
  if (!scope.empty() && org->Find(scope) == nullptr) {
    return absl::NotFoundError("no unit '" + scope + "'");
  }
  std::vector<std::pair<int64_t, store::KudosRecord>> found;
  absl::Status scanned =
      state.db().Scan(store::Cf::kAlerts, prefix, [&](std::string_view key, std::string_view v) {
        store::KudosRecord r;
        if (!r.ParseFromArray(v.data(), static_cast<int>(v.size()))) return true;
        if (!scope.empty() && !org->IsInSubtreeEver(scope, r.to_unit_id())) return true;
        if (!MayRead(caller, r.to_unit_id(), *org)) return true;
        found.emplace_back(KudosSeq(key), std::move(r));
        return true;
      });
  if (!scanned.ok()) return scanned;
  std::sort(found.begin(), found.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  KudosPage page;
  found = CutPage(
      std::move(found), query.page,
      [](const auto& kudos) { return store::KeyBuilder().I64(kudos.first).Release(); },
      &page.next_cursor);
  std::vector<KudosEntry>& out = page.entries;
  for (const auto& [seq, r] : found) {
    KudosEntry& k = out.emplace_back();
    k.kudos_id = "K" + std::to_string(seq);
    k.giver = r.from_unit_id().empty() ? r.from_actor() : r.from_unit_id();
    k.giver_role = GiverRole(r);
    k.receiver_id = r.to_unit_id();
    if (const Unit* unit = org->Find(r.to_unit_id())) k.receiver_name = unit->name;
    k.reason = r.reason();
    k.date = Day(state, r);
    k.peer = IsPeer(r);
  }
  return page;
}

std::map<std::string, int> PeerKudosReceived(ServerState& state, std::string_view month) {
  std::map<std::string, int> kudos;
  state.db()
      .Scan(store::Cf::kAlerts, KudosPrefix(month),
            [&](std::string_view, std::string_view v) {
              store::KudosRecord record;
              if (record.ParseFromArray(v.data(), static_cast<int>(v.size())) && IsPeer(record)) {
                ++kudos[record.to_unit_id()];
              }
              return true;
            })
      .IgnoreError();
  return kudos;
}

}  // namespace okr
