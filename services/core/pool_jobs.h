// Work okrd runs on an Asio pool (RPC handlers, watch pushes, red-line evaluations, timers,
// sockets) must never let an exception escape: Asio's thread_pool does not catch, so an
// exception leaving a job ends okrd (std::terminate) and every caller with it. So every job
// okrd starts goes through one of these:
//   - PostGuarded(executor, name, fn) posts fn; whatever it throws is caught, logged (error
//     pool.job_failed job=<name> error=<what>) and counted in
//     okr_pool_job_failures_total{job="<name>"}, and the pool runs on.
//   - Guarded(name, fn) is the same guard around a completion handler (timers, sockets).
//   - StatusOfCall(fn), for work that owes a caller an answer: an exception thrown by fn becomes
//     INTERNAL "internal error: <what>", so the caller is answered and the job ends normally.
// `name` must outlive the job (a string literal or an RPC's method name).
#ifndef OKR_SERVICES_CORE_POOL_JOBS_H_
#define OKR_SERVICES_CORE_POOL_JOBS_H_

#include <boost/asio/post.hpp>
#include <exception>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "absl/status/status.h"

namespace okr {

// Logs and counts a job's failure. Never throws.
void ReportJobFailure(std::string_view job, std::string_view what) noexcept;

// Runs fn() now; whatever it throws is reported under `job`. Returns whether fn returned.
template <typename Fn>
bool RunGuarded(std::string_view job, Fn&& fn) noexcept {
  try {
    std::forward<Fn>(fn)();
    return true;
  } catch (const std::exception& e) {
    ReportJobFailure(job, e.what());
  } catch (...) {
    ReportJobFailure(job, "an exception that is no std::exception");
  }
  return false;
}

template <typename Executor, typename Fn>
void PostGuarded(Executor&& executor, std::string_view job, Fn&& fn) {
  boost::asio::post(std::forward<Executor>(executor),
                    [job, fn = std::forward<Fn>(fn)]() mutable { RunGuarded(job, fn); });
}

// A completion handler that runs fn(args...) under RunGuarded.
template <typename Fn>
auto Guarded(std::string_view job, Fn&& fn) {
  return [job, fn = std::forward<Fn>(fn)](auto&&... args) mutable {
    RunGuarded(job, [&] { fn(std::forward<decltype(args)>(args)...); });
  };
}

// fn() (an absl::Status or absl::StatusOr<T>), or INTERNAL if it throws.
template <typename Fn>
auto StatusOfCall(Fn&& fn) -> std::invoke_result_t<Fn> {
  try {
    return std::forward<Fn>(fn)();
  } catch (const std::exception& e) {
    return absl::InternalError(std::string("internal error: ") + e.what());
  } catch (...) {
    return absl::InternalError("internal error: an exception that is no std::exception");
  }
}

}  // namespace okr

#endif  // OKR_SERVICES_CORE_POOL_JOBS_H_
