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
#include <string>

#include "absl/status/status.h"
#include "okr/v1/plugins.pb.h"
#include "services/core/server_state.h"

namespace okr {

absl::Status GiveKudos(ServerState& state, const Caller& caller, const v1::GiveKudosRequest& req,
                       v1::GiveKudosReply* out);

// Kudos received at or below the request's unit (the caller's scope when none), in its month
// or every month, that the caller may read; oldest first.
absl::Status ListKudos(ServerState& state, const Caller& caller, const v1::ListKudosRequest& req,
                       v1::ListKudosReply* out);

// Peer kudos received in `month` (YYYY-MM), by receiving agent: the recognition plugin's input.
std::map<std::string, int> PeerKudosReceived(ServerState& state, std::string_view month);

}  // namespace okr

#endif  // OKR_SERVICES_CORE_KUDOS_H_
