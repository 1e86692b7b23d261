#include "services/domain/plugin_output.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "services/domain/text.h"

namespace okr {
namespace {

// The unit an entry is for: one the plugin was given, or the error that says it was not.
absl::Status CheckUnit(const std::string& entry, std::string_view unit_id,
                       const std::set<std::string>& units_given) {
  if (unit_id.empty()) return absl::InvalidArgumentError(absl::StrCat(entry, " names no unit"));
  if (!units_given.contains(std::string(unit_id))) {
    // The id is not quoted: it is whatever the plugin made up, of any length or encoding.
    return absl::InvalidArgumentError(
        absl::StrCat(entry, " for a unit the plugin was not given (",
                     TextProblem(unit_id, kIdText).empty() ? "unknown id" : "not a valid id", ")"));
  }
  return absl::OkStatus();
}

// FIELD must hold text by `rule`, and some text when `required`.
absl::Status CheckField(const std::string& where, const std::string& field, std::string_view value,
                        TextRule rule, bool required) {
  if (required && value.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(where, ": ", field, " is empty"));
  }
  if (const std::string problem = TextProblem(value, rule); !problem.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(where, ": ", field, ": ", problem));
  }
  return absl::OkStatus();
}

std::string Where(const std::string& entry, std::string_view unit_id) {
  return entry + " for \"" + std::string(unit_id) + "\"";
}

}  // namespace

absl::Status CheckPluginPayout(const PluginPayout& payout,
                               const std::set<std::string>& units_given) {
  if (absl::Status s = CheckUnit("payout", payout.unit_id, units_given); !s.ok()) return s;
  const std::string where = Where("payout", payout.unit_id);
  if (!std::isfinite(payout.amount)) {
    return absl::InvalidArgumentError(absl::StrCat(where, ": amount is not finite"));
  }
  if (payout.amount < 0) {
    return absl::InvalidArgumentError(absl::StrCat(where, ": amount is negative"));
  }
  if (absl::Status s = CheckField(where, "currency", payout.currency, kIdText, true); !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckField(where, "rule", payout.rule, kIdText, true); !s.ok()) return s;
  return CheckField(where, "explanation", payout.explanation, kReasonText, false);
}

absl::Status CheckPluginAward(const PluginAward& award, const std::set<std::string>& units_given) {
  if (absl::Status s = CheckUnit("award", award.unit_id, units_given); !s.ok()) return s;
  const std::string where = Where("award", award.unit_id);
  if (!std::isfinite(award.score)) {
    return absl::InvalidArgumentError(absl::StrCat(where, ": score is not finite"));
  }
  if (absl::Status s = CheckField(where, "award", award.award, kIdText, true); !s.ok()) return s;
  return CheckField(where, "explanation", award.explanation, kReasonText, false);
}

absl::Status CheckPluginAlert(const PluginAlert& alert, const std::set<std::string>& units_given) {
  if (absl::Status s = CheckUnit("alert", alert.unit_id, units_given); !s.ok()) return s;
  const std::string where = Where("alert", alert.unit_id);
  if (absl::Status s = CheckField(where, "rule", alert.rule, kIdText, true); !s.ok()) return s;
  if (alert.severity != "info" && alert.severity != "warning" && alert.severity != "critical") {
    return absl::InvalidArgumentError(
        absl::StrCat(where, ": severity is not info, warning or critical"));
  }
  if (absl::Status s = CheckField(where, "figures", alert.figures, kReasonText, false); !s.ok()) {
    return s;
  }
  return CheckField(where, "breach key", alert.breach_key, kIdText, false);
}

}  // namespace okr
