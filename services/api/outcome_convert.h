// The stored outcomes of month close and red-lines as okr.v1 messages: payouts and awards
// (CloseService, ExplainService) and alerts (AlertService, ExplainService).
#ifndef OKR_SERVICES_API_OUTCOME_CONVERT_H_
#define OKR_SERVICES_API_OUTCOME_CONVERT_H_

#include "okr/v1/plugins.pb.h"
#include "services/core/alerts.h"
#include "store/records.pb.h"

namespace okr {

v1::Payout ToProto(const store::PayoutRecord& record);
v1::Award ToProto(const store::AwardRecord& record);
v1::Alert ToProto(const store::AlertRecord& record);

}  // namespace okr

#endif  // OKR_SERVICES_API_OUTCOME_CONVERT_H_
