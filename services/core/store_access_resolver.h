// The AccessResolver of a running server: reads the proposal or alert a request names from
// the store, so that the access table can decide on its units.
#ifndef OKR_SERVICES_CORE_STORE_ACCESS_RESOLVER_H_
#define OKR_SERVICES_CORE_STORE_ACCESS_RESOLVER_H_

#include "services/core/access_policy.h"
#include "services/core/server_state.h"

namespace okr {

// The facts it returns do not change once a proposal or alert is stored (its unit, proposer
// and month are fixed at creation), so a check made before the handler takes its lock stays
// true.
class StoreAccessResolver final : public AccessResolver {
 public:
  explicit StoreAccessResolver(ServerState& state) : state_(state) {}

  absl::StatusOr<ProposalFacts> Proposal(int64_t proposal_id) const override;
  absl::StatusOr<std::string> AlertUnit(std::string_view alert_id) const override;

 private:
  ServerState& state_;
};

}  // namespace okr

#endif  // OKR_SERVICES_CORE_STORE_ACCESS_RESOLVER_H_
