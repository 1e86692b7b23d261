#include "services/domain/breach.h"

namespace okr {

bool IsSameBreach(const AlertSpan& earlier, const Date& window_first) {
  return earlier.in_work || window_first <= earlier.last_seen;
}

int FindSameBreach(const std::vector<AlertSpan>& earlier, const Date& window_first) {
  int found = -1;
  for (size_t i = 0; i < earlier.size(); ++i) {
    if (!IsSameBreach(earlier[i], window_first)) continue;
    if (earlier[i].in_work) return static_cast<int>(i);
    if (found < 0 || earlier[found].last_seen < earlier[i].last_seen) found = static_cast<int>(i);
  }
  return found;
}

}  // namespace okr
