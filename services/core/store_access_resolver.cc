#include "services/core/store_access_resolver.h"

#include "services/core/outcomes.h"
#include "store/codecs.h"

namespace okr {

absl::StatusOr<ProposalFacts> StoreAccessResolver::Proposal(int64_t proposal_id) const {
  store::ProposalRecord record;
  auto found =
      state_.db().GetProto(store::Cf::kProposals, store::ProposalKey(proposal_id), &record);
  if (!found.ok()) return found.status();
  if (!*found) return absl::NotFoundError("no proposal #" + std::to_string(proposal_id));
  ProposalFacts facts;
  facts.unit_id = record.unit_id();
  facts.proposer_unit_id = record.proposer_unit_id();
  facts.month = Date{record.year(), record.month(), 1};
  return facts;
}

absl::StatusOr<std::string> StoreAccessResolver::AlertUnit(std::string_view alert_id) const {
  store::AlertRecord record;
  auto found = state_.db().GetProto(store::Cf::kAlerts, AlertKey(alert_id), &record);
  if (!found.ok()) return found.status();
  if (!*found) return absl::NotFoundError("no alert '" + std::string(alert_id) + "'");
  return record.unit_id();
}

}  // namespace okr
