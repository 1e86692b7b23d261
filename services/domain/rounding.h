// Largest-remainder (Hamilton) apportionment of whole units, in exact integer arithmetic.
//
// The cascade splits a whole number among children or months by weights and needs every split
// to add up exactly and to come out the same on every machine, so shares and remainders are
// computed as exact rationals (128-bit products), never as floating point.
#ifndef OKR_SERVICES_DOMAIN_ROUNDING_H_
#define OKR_SERVICES_DOMAIN_ROUNDING_H_

#include <cstdint>
#include <span>
#include <vector>

namespace okr {

class LargestRemainder {
 public:
  // Splits `total` (>= 0) in proportion to `weights` (each >= 0) into `shares` (same size):
  // each share is floor(total * w / W), and the units left over go one each to the largest
  // remainders; equal remainders favour the smaller index. `got_extra`, when not empty, marks
  // the shares that received a left-over unit. Returns false, writing nothing, when total > 0
  // and the weights sum to 0.
  //
  // Requires total * max(w) and the weight sum to fit in 127 bits (the cascade keeps both
  // below 10^31).
  bool Apportion(int64_t total, std::span<const int64_t> weights, std::span<int64_t> shares,
                 std::span<uint8_t> got_extra = {});

 private:
  struct Candidate {
    __int128 remainder;
    int index;
  };
  std::vector<Candidate> candidates_;  // scratch, reused across calls
};

}  // namespace okr

#endif  // OKR_SERVICES_DOMAIN_ROUNDING_H_
