// Polling for what okrd does in the background (red-line evaluation, escalation): a test
// waits for the outcome instead of sleeping a guessed time.
#ifndef OKR_TESTS_INTEGRATION_WAIT_FOR_H_
#define OKR_TESTS_INTEGRATION_WAIT_FOR_H_

#include <chrono>
#include <thread>

namespace okr::testing {

// Polls until `pred` holds (every 50 ms, at most `seconds`); returns whether it did.
template <typename Pred>
bool WaitFor(double seconds, Pred pred) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (std::chrono::steady_clock::now() < until) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return pred();
}

}  // namespace okr::testing

#endif  // OKR_TESTS_INTEGRATION_WAIT_FOR_H_
