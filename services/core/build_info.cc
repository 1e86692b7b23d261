#include "services/core/build_info.h"

#include "okr/commit.h"
#include "okr/version.h"

namespace okr {

const char* BuildCommit() { return kCommit; }

void CollectBuildInfo(Metrics& metrics) {
  metrics.Set("okr_build_info", {{"version", kVersion}, {"commit", kCommit}}, 1);
}

}  // namespace okr
