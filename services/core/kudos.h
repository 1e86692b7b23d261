// Peer kudos (PRODUCT.md "Plugins", recognition): given through the API, counted at month close.
//
// Rules, each in one place here:
//   - kudos go to an agent who works today (not to someone who has left or not yet joined);
//   - at most one a day from a giver to a receiver, the day in the server's time zone; the
//     giver is the unit a lead or agent token is bound to (two tokens of one person are one
//     giver), or the token itself for an admin or director;
//   - only kudos given by agents are peer kudos: those of leads and directors are kept and
//     listed, but the recognition plugin's kudos_received counts peer kudos only.
//
// Keys (alerts family, see outcomes.h): ('k', month, to_unit, seq) -> KudosRecord and
// ('g', day, giver, to_unit) -> kudos id, the one-a-day index.
#ifndef OKR_SERVICES_CORE_KUDOS_H_
#define OKR_SERVICES_CORE_KUDOS_H_

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "services/core/access_policy.h"
#include "services/core/command_log.h"
#include "services/core/paging.h"
#include "services/core/server_state.h"

namespace okr {

struct KudosGift {
  std::string to_unit_id;
  std::string reason;
};
// The new kudos' id ("K12").
absl::StatusOr<std::string> GiveKudos(ServerState& state, const Caller& caller,
                                      const KudosGift& gift);
// The command behind it (services/core/apply.h); fills `kudos_id` when given.
absl::Status ApplyGiveKudos(ServerState& state, const store::Command& command, Applied& applied,
                            std::string* kudos_id);

struct KudosQuery {
  std::string unit_id;                       // empty: the caller's scope
  std::optional<std::pair<int, int>> month;  // (year, month); nullopt: every month
  PageRequest page;                          // cursors: I64(kudos number)
};
struct KudosEntry {
  std::string kudos_id;
  std::string giver;  // the giver's unit (lead and agent tokens), else its actor name
  Role giver_role = Role::kAdmin;
  std::string receiver_id;
  std::string receiver_name;  // empty when the unit is no longer in the org
  std::string reason;
  std::string date;   // YYYY-MM-DD in the server's time zone
  bool peer = false;  // given by an agent: counts toward the peer kudos award
};
struct KudosPage {
  std::vector<KudosEntry> entries;
  std::string next_cursor;  // empty on the last page
};
// Kudos received at or below the query's unit (the caller's scope when none), in its month
// or every month, that the caller may read; oldest first, a page of them.
absl::StatusOr<KudosPage> ListKudos(ServerState& state, const Caller& caller,
                                    const KudosQuery& query);

// Peer kudos received in `month` (YYYY-MM), by receiving agent: the recognition plugin's input.
std::map<std::string, int> PeerKudosReceived(ServerState& state, std::string_view month);

}  // namespace okr

#endif  // OKR_SERVICES_CORE_KUDOS_H_
