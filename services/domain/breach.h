// When a red-line breach is one already alerted: the rule behind PRODUCT.md "Plugins",
// redline: "the same breach is not opened twice". okrd applies it to every breach a red-line
// plugin reports (services/core/alerts.cc); a plugin's breach_key names the breach for
// people and the history, it does not decide.
//
// A breach is reported for (plugin, unit, rule) as of a day, over a window of days ending
// then: [window_first, as_of] (the last 14 days, the month so far). It is the same breach as
// an earlier alert of the same plugin, unit and rule when
//   - that alert is open or acknowledged: someone has it in hand, and the breach still being
//     there (on a later evaluation day, with more or fewer events) is news for that alert,
//     not a new one; so a unit has at most one alert in work per rule; or
//   - that alert is resolved, and the window reaches back to a day the alert had seen
//     breaching (window_first <= its last_seen): the same events still count, so resolving
//     does not bring the alert straight back.
// A breach whose window lies wholly after a resolved alert's last seen day is made of new
// events only: a new alert.
#ifndef OKR_SERVICES_DOMAIN_BREACH_H_
#define OKR_SERVICES_DOMAIN_BREACH_H_

#include <vector>

#include "services/domain/calendar.h"

namespace okr {

// What the rule needs of an earlier alert of the same plugin, unit and rule.
struct AlertSpan {
  bool in_work = false;  // open or acknowledged
  Date last_seen;        // the latest as-of day the breach was seen on while in work
};

bool IsSameBreach(const AlertSpan& earlier, const Date& window_first);

// The index in `earlier` of the alert a breach with this window belongs to: the one in work
// if any, else the resolved one it overlaps that was seen last; -1 when it is a new breach.
int FindSameBreach(const std::vector<AlertSpan>& earlier, const Date& window_first);

}  // namespace okr

#endif  // OKR_SERVICES_DOMAIN_BREACH_H_
