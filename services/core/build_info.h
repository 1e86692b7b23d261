// What okrd was built from: its version (CMakeLists.txt) and git commit (okr/commit.h,
// refreshed on every build), as `okr_build_info{version,commit} 1` on /metrics, the usual
// Prometheus way to join a series to the build that produced it.
#ifndef OKR_SERVICES_CORE_BUILD_INFO_H_
#define OKR_SERVICES_CORE_BUILD_INFO_H_

#include "services/core/metrics.h"

namespace okr {

// The commit okrd was built from (12 hex digits), or "unknown" for a tree without git.
const char* BuildCommit();

void CollectBuildInfo(Metrics& metrics);

}  // namespace okr

#endif  // OKR_SERVICES_CORE_BUILD_INFO_H_
