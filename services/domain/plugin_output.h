// What okrd keeps of a plugin's answer. A plugin is code we load, not code we trust: each
// payout, award and alert it returns is checked here before anything of it is stored. An
// entry that fails is dropped and reported (a month close lists it in its `problems`); the
// plugin's other entries stand, since one bad row says nothing about the rest.
//
// An entry must
//   - name a unit the plugin was given: a payout for an agent outside the group it was asked
//     about (or for no agent at all) would pay someone no rule covered, and the unit id is
//     part of the stored key;
//   - carry finite numbers: a payout amount is finite and not negative (okrd pays, it does not
//     claw back), an award's score is finite;
//   - keep its text within the rules of every stored string (services/domain/text.h): rule,
//     currency, award and breach key are single-line ids (at most kMaxIdBytes), explanations
//     and figures free text (at most kMaxReasonBytes); a rule, a currency and an award are
//     required, and an alert's severity is info, warning or critical.
#ifndef OKR_SERVICES_DOMAIN_PLUGIN_OUTPUT_H_
#define OKR_SERVICES_DOMAIN_PLUGIN_OUTPUT_H_

#include <set>
#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace okr {

struct PluginPayout {
  std::string_view unit_id;
  double amount = 0;
  std::string_view currency, rule, explanation;
};

struct PluginAward {
  std::string_view unit_id;
  std::string_view award, explanation;
  double score = 0;
};

struct PluginAlert {
  std::string_view unit_id;
  std::string_view rule, severity, figures, breach_key;
};

// OK when the entry may be stored; else InvalidArgument naming the entry and what is wrong:
// "payout for \"A1\": amount is not finite". `units_given` are the ids of the agents the
// plugin was called with. The message quotes the unit id only once it is known to be one of
// `units_given`, so it is safe to show.
absl::Status CheckPluginPayout(const PluginPayout& payout,
                               const std::set<std::string>& units_given);
absl::Status CheckPluginAward(const PluginAward& award, const std::set<std::string>& units_given);
absl::Status CheckPluginAlert(const PluginAlert& alert, const std::set<std::string>& units_given);

}  // namespace okr

#endif  // OKR_SERVICES_DOMAIN_PLUGIN_OUTPUT_H_
