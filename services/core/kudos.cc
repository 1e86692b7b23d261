#include "services/core/kudos.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "services/core/apply.h"
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

}  // namespace

absl::StatusOr<std::string> GiveKudos(ServerState& state, const Caller& caller,
                                      const KudosGift& gift) {
  store::Command command = NewCommand(state, caller);
  command.mutable_give_kudos()->set_to_unit_id(gift.to_unit_id);
  command.mutable_give_kudos()->set_reason(gift.reason);
  command.mutable_give_kudos()->set_day(
      LocalDate(command.accepted_unix_micros(), state.clock().zone).DayNumber());
  std::string id;
  absl::Status s =
      state.commands().Run(std::move(command), [&](const store::Command& c, Applied& applied) {
        return ApplyGiveKudos(state, c, applied, &id);
      });
  if (!s.ok()) return s;
  return id;
}

// The one-a-day check reads and the kudos writes in one apply: commands apply one at a time,
// so two gives of the same giver and receiver at once cannot both find the day free.
absl::Status ApplyGiveKudos(ServerState& state, const store::Command& command, Applied& applied,
                            std::string* kudos_id) {
  const store::GiveKudosCommand& gift = command.give_kudos();
  const Unit* to = state.org()->Find(gift.to_unit_id());
  if (to == nullptr) return absl::NotFoundError("no unit '" + gift.to_unit_id() + "'");
  if (to->kind != UnitKind::kAgent) {
    return absl::InvalidArgumentError("kudos go to an agent; '" + gift.to_unit_id() + "' is a " +
                                      std::string(UnitKindName(to->kind)));
  }
  if (gift.reason().empty()) return absl::InvalidArgumentError("kudos need a reason");
  const Date today = Date::FromDayNumber(gift.day());
  if (!to->ActiveOn(today)) {
    std::string when = "is not active on " + today.ToString();
    if (to->end_date && *to->end_date < today) when = "left on " + to->end_date->ToString();
    if (to->start_date && today < *to->start_date) {
      when = "starts on " + to->start_date->ToString();
    }
    return absl::FailedPreconditionError("'" + to->id + "' (" + to->name + ") " + when +
                                         ": kudos go to colleagues who work today");
  }
  const Caller caller = CallerOf(command);
  const std::string giver = Giver(caller);
  const std::string once = OneADayKey(today, giver, to->id);
  auto given = state.db().Get(store::Cf::kAlerts, once);
  if (!given.ok()) return given.status();
  if (given->has_value()) {
    return absl::FailedPreconditionError("'" + giver + "' already gave kudos to '" + to->id +
                                         "' on " + today.ToString() + " (" + **given +
                                         "): one a day per colleague; try again tomorrow");
  }
  const int64_t seq = state.NextCounter(applied.batch, "kudos");
  const std::string id = "K" + std::to_string(seq);
  store::KudosRecord record;
  record.set_from_actor(caller.Actor());
  record.set_from_role(static_cast<int>(caller.role));
  record.set_from_unit_id(caller.unit_id);
  record.set_to_unit_id(gift.to_unit_id());
  record.set_reason(gift.reason());
  record.set_at_unix(command.accepted_unix_micros() / 1000000);
  record.set_day(today.ToString());
  const std::string month = today.ToString().substr(0, 7);
  applied.batch.PutProto(store::Cf::kAlerts, KudosKey(month, gift.to_unit_id(), seq), record);
  applied.batch.Put(store::Cf::kAlerts, once, id);
  store::AuditRecord audit = NewAudit(command, "kudos.give", gift.to_unit_id(), {}, gift.reason());
  state.Audit(applied.batch, std::move(audit));
  if (kudos_id != nullptr) *kudos_id = id;
  return absl::OkStatus();
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
