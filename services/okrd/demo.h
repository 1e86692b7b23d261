// The demonstration support centre loaded by `okrd --demo` into an empty data folder.
#ifndef OKR_SERVICES_OKRD_DEMO_H_
#define OKR_SERVICES_OKRD_DEMO_H_

#include <string>

#include "absl/status/status.h"
#include "services/core/server_state.h"

namespace okr {

// The org of the demo as a CSV file (the same format as `okrctl org import`): an e-commerce
// company with pre-sales, after-sales and complaints/quality teams, 8 groups, 120 agents with
// different FTEs, some joining or leaving mid-year.
std::string DemoOrgCsv(int year);

// Loads the demo through the same operations the API uses. Does nothing (and says so) when
// the data folder already holds units.
absl::Status LoadDemo(ServerState& state);

}  // namespace okr

#endif  // OKR_SERVICES_OKRD_DEMO_H_
