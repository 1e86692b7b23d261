// The pool-job guard (services/core/pool_jobs.h): a job that throws is caught, logged and
// counted, and the pool runs the next job; a handler that owes an answer turns an exception
// into INTERNAL. Without the guard, the first test ends the test binary (std::terminate).
#include "services/core/pool_jobs.h"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/core/metrics.h"

namespace okr {
namespace {

// The log lines of failed jobs (services/core/log.h), from their event on: the timestamp and
// level in front are the log's.
std::vector<std::string> JobFailureLines(const std::string& log) {
  std::vector<std::string> lines;
  std::istringstream in(log);
  for (std::string line; std::getline(in, line);) {
    const size_t at = line.find("pool.job_failed ");
    if (at != std::string::npos) lines.push_back(line.substr(at));
  }
  return lines;
}

// The counter of `job` in the /metrics text, as printed there ("" when absent).
std::string FailureCount(const std::string& job) {
  const std::string text = Metrics::Global().Render();
  const std::string series = "okr_pool_job_failures_total{job=\"" + job + "\"} ";
  const size_t at = text.find(series);
  if (at == std::string::npos) return "";
  const size_t begin = at + series.size();
  return text.substr(begin, text.find('\n', begin) - begin);
}

TEST(PoolJobs, AJobThatThrowsIsLoggedCountedAndThePoolRunsOn) {
  boost::asio::thread_pool pool(1);
  std::atomic<bool> next_ran{false};
  ::testing::internal::CaptureStderr();
  PostGuarded(pool, "test thrower", [] { throw std::runtime_error("boom"); });
  PostGuarded(pool, "test thrower", [] { throw 42; });
  PostGuarded(pool, "test next", [&] { next_ran = true; });
  pool.join();
  const std::string log = ::testing::internal::GetCapturedStderr();
  EXPECT_TRUE(next_ran);
  EXPECT_EQ(
      JobFailureLines(log),
      (std::vector<std::string>{
          R"(pool.job_failed job="test thrower" error=boom)",
          R"(pool.job_failed job="test thrower" error="an exception that is no std::exception")"}));
  EXPECT_EQ(FailureCount("test thrower"), "2");
  EXPECT_EQ(FailureCount("test next"), "");
}

TEST(PoolJobs, ATimerHandlerThatThrowsIsCaught) {
  boost::asio::thread_pool pool(1);  // one thread: it must outlive the throw to run the second
  boost::asio::steady_timer first(pool), second(pool);
  std::atomic<bool> next_ran{false};
  ::testing::internal::CaptureStderr();
  first.expires_after(std::chrono::milliseconds(1));
  first.async_wait(Guarded("test timer", [](const boost::system::error_code&) {
    throw std::logic_error("timer broke");
  }));
  second.expires_after(std::chrono::milliseconds(50));
  second.async_wait(
      Guarded("test timer", [&](const boost::system::error_code&) { next_ran = true; }));
  pool.join();  // waits for both handlers
  EXPECT_TRUE(next_ran);
  EXPECT_EQ(JobFailureLines(::testing::internal::GetCapturedStderr()),
            (std::vector<std::string>{R"(pool.job_failed job="test timer" error="timer broke")"}));
  EXPECT_EQ(FailureCount("test timer"), "1");
}

TEST(PoolJobs, RunGuardedSaysWhetherTheJobReturned) {
  ::testing::internal::CaptureStderr();
  EXPECT_TRUE(RunGuarded("test returns", [] {}));
  EXPECT_FALSE(RunGuarded("test throws", [] { throw std::runtime_error("no"); }));
  EXPECT_EQ(JobFailureLines(::testing::internal::GetCapturedStderr()),
            (std::vector<std::string>{R"(pool.job_failed job="test throws" error=no)"}));
}

TEST(PoolJobs, StatusOfCallTurnsAnExceptionIntoInternal) {
  const absl::Status thrown =
      StatusOfCall([]() -> absl::Status { throw std::runtime_error("handler broke"); });
  EXPECT_EQ(thrown, absl::InternalError("internal error: handler broke"));
  const absl::StatusOr<int> odd = StatusOfCall([]() -> absl::StatusOr<int> { throw 7; });
  EXPECT_EQ(odd.status(),
            absl::InternalError("internal error: an exception that is no std::exception"));
  // What the call returns passes through as it is.
  EXPECT_EQ(StatusOfCall([] { return absl::NotFoundError("no unit 'x'"); }),
            absl::NotFoundError("no unit 'x'"));
  const absl::StatusOr<int> value = StatusOfCall([]() -> absl::StatusOr<int> { return 5; });
  ASSERT_TRUE(value.ok());
  EXPECT_EQ(*value, 5);
}

}  // namespace
}  // namespace okr
