#include "services/domain/rounding.h"

#include <algorithm>

namespace okr {

bool LargestRemainder::Apportion(int64_t total, std::span<const int64_t> weights,
                                 std::span<int64_t> shares, std::span<uint8_t> got_extra) {
  __int128 weight_sum = 0;
  for (int64_t weight : weights) weight_sum += weight;
  if (total > 0 && weight_sum == 0) return false;

  std::fill(got_extra.begin(), got_extra.end(), 0);
  if (total == 0) {
    std::fill(shares.begin(), shares.end(), 0);
    return true;
  }

  candidates_.clear();
  int64_t assigned = 0;
  for (size_t i = 0; i < weights.size(); ++i) {
    const __int128 numerator = static_cast<__int128>(total) * weights[i];
    shares[i] = static_cast<int64_t>(numerator / weight_sum);
    assigned += shares[i];
    // A zero weight has no claim on a left-over unit, even with a zero remainder.
    if (weights[i] > 0) candidates_.push_back({numerator % weight_sum, static_cast<int>(i)});
  }

  // The floors lose less than one unit per positive weight, so every left-over unit has a
  // distinct candidate.
  const int64_t left_over = total - assigned;
  if (left_over <= 0) return true;
  const auto larger_remainder_first = [](const Candidate& a, const Candidate& b) {
    if (a.remainder != b.remainder) return a.remainder > b.remainder;
    return a.index < b.index;
  };
  const auto nth = candidates_.begin() + left_over;
  if (nth != candidates_.end()) {
    std::nth_element(candidates_.begin(), nth, candidates_.end(), larger_remainder_first);
  }
  for (auto it = candidates_.begin(); it != nth; ++it) {
    ++shares[it->index];
    if (!got_extra.empty()) got_extra[it->index] = 1;
  }
  return true;
}

}  // namespace okr
