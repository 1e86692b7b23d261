#include "services/core/pool_jobs.h"

#include "services/core/log.h"
#include "services/core/metrics.h"

namespace okr {

void ReportJobFailure(std::string_view job, std::string_view what) noexcept {
  try {
    Log(LogLevel::kError, "pool.job_failed", {{"job", job}, {"error", what}});
    Metrics::Global().Add("okr_pool_job_failures_total", {{"job", std::string(job)}});
  } catch (...) {
    // Out of memory while reporting: the job is over either way, and okrd must go on.
  }
}

}  // namespace okr
