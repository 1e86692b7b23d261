// A deliberate data race, for the TSan CI step only: two tasks on an Asio pool (as okrd runs
// its handlers) write one counter without a lock. scripts/ci-sanitizers tsan requires a report
// naming okr::canary::Bump from this program, so a clean TSan run means the suppressions and
// the report collection let okr's own races through, not that nothing was looked at.
#include <atomic>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <cstdio>

namespace okr::canary {

// noinline: the race must be reported in this frame, not inlined into Asio's. Both tasks wait
// until both run (relaxed atomics: no happens-before for TSan), so the pool's own queue lock
// cannot order them one after the other.
[[gnu::noinline]] void Bump(std::atomic<int>* running, long* counter) {
  running->fetch_add(1, std::memory_order_relaxed);
  while (running->load(std::memory_order_relaxed) < 2) {
  }
  for (int i = 0; i < 1000; ++i) *counter = *counter + 1;
}

}  // namespace okr::canary

int main() {
  long counter = 0;
  std::atomic<int> running{0};
  boost::asio::thread_pool pool(2);
  boost::asio::post(pool, [&] { okr::canary::Bump(&running, &counter); });
  boost::asio::post(pool, [&] { okr::canary::Bump(&running, &counter); });
  pool.join();
  std::printf("counter %ld (racy on purpose)\n", counter);
  return 0;
}
