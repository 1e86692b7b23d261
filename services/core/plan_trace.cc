#include "services/core/plan_trace.h"

#include <string>
#include <string_view>

namespace okr {
namespace {

// The stored rule codes: a code is its index, so names are only ever appended.
constexpr std::array<std::string_view, 11> kRuleNames = {
    "",        "seasonality", "days",      "given", "fte",    "even",
    "weights", "hold",        "year_hold", "kept",  "inherit"};

char RuleCode(std::string_view rule) {
  for (size_t i = 0; i < kRuleNames.size(); ++i) {
    if (kRuleNames[i] == rule) return static_cast<char>(i);
  }
  return 0;
}

std::string_view RuleOfCode(char code) {
  const auto i = static_cast<unsigned char>(code);
  return i < kRuleNames.size() ? kRuleNames[i] : std::string_view();
}

bool IsYearSplit(std::string_view rule) {
  return rule == "seasonality" || rule == "days" || rule == "year_hold";
}
bool IsChildSplit(std::string_view rule) {
  return rule == "fte" || rule == "even" || rule == "weights";
}

double WeightOf(const store::PlanRecord& row, int month0) {
  if (row.trace_weights_size() == 1) return row.trace_weights(0);
  return month0 < row.trace_weights_size() ? row.trace_weights(month0) : 0;
}

// Twelve values, or none when all are 0.
void PutMonths(const std::array<double, 12>& values, google::protobuf::RepeatedField<double>* out) {
  out->Clear();
  bool any = false;
  for (double v : values) any = any || v != 0;
  if (!any) return;
  for (double v : values) out->Add(v);
}

}  // namespace

bool HasTrace(const store::PlanRecord& row) { return row.trace_rules().size() == 12; }

TraceMonths FreshMonths(const PlanRow& row, int only_month, const store::PlanRecord* existing) {
  TraceMonths fresh;
  const bool had = existing != nullptr && HasTrace(*existing);
  for (int m = 0; m < 12; ++m) {
    const bool wanted = row.covered[m] && (only_month < 1 || only_month == m + 1);
    fresh.split[m] = wanted;
    fresh.cell[m] = wanted && !(had && row.trace->rules[m] == CellRule::kGiven);
  }
  return fresh;
}

void SetRowTrace(const RowTrace& trace, const TraceMonths& fresh, const store::PlanRecord* existing,
                 store::PlanRecord* record) {
  const bool had = existing != nullptr && HasTrace(*existing);
  std::string rules(12, '\0');
  std::array<double, 12> weights{};
  int remainder = 0;
  std::array<double, 12> child_pools{}, child_totals{};
  bool year_split = false;
  for (int m = 0; m < 12; ++m) {
    if (fresh.cell[m]) {
      const std::string_view rule = CellRuleName(trace.rules[m]);
      rules[m] = RuleCode(rule);
      weights[m] = trace.weights[m];
      remainder |= trace.remainder_months & (1 << m);
      year_split = year_split || IsYearSplit(rule);
    } else if (had) {
      rules[m] = existing->trace_rules()[m];
      weights[m] = WeightOf(*existing, m);
      remainder |= existing->trace_remainder_months() & (1 << m);
    }
    if (fresh.split[m]) {
      if (trace.child_split != nullptr) {
        child_pools[m] = trace.child_split->pools[m];
        child_totals[m] = trace.child_split->weight_totals[m];
      }
    } else if (had && existing->trace_child_pools_size() == 12 &&
               existing->trace_child_weight_totals_size() == 12) {
      child_pools[m] = existing->trace_child_pools(m);
      child_totals[m] = existing->trace_child_weight_totals(m);
    }
  }
  record->set_trace_rules(rules);
  record->clear_trace_weights();
  bool same = true;
  for (double w : weights) same = same && w == weights[0];
  if (same) {
    record->add_trace_weights(weights[0]);
  } else {
    for (double w : weights) record->add_trace_weights(w);
  }
  record->set_trace_remainder_months(remainder);
  if (year_split) {
    record->set_trace_year_pool(trace.year_pool);
    record->set_trace_year_weight_total(trace.year_weight_total);
  } else if (had) {
    record->set_trace_year_pool(existing->trace_year_pool());
    record->set_trace_year_weight_total(existing->trace_year_weight_total());
  }
  PutMonths(child_pools, record->mutable_trace_child_pools());
  PutMonths(child_totals, record->mutable_trace_child_weight_totals());
}

std::optional<CellTrace> StoredCellTrace(const store::PlanRecord& row,
                                         const store::PlanRecord* parent, int month, double value) {
  if (!HasTrace(row) || month < 1 || month > 12) return std::nullopt;
  const int m = month - 1;
  const std::string_view rule = RuleOfCode(row.trace_rules()[m]);
  if (rule.empty()) return std::nullopt;
  CellTrace out;
  out.rule = std::string(rule);
  out.weight = WeightOf(row, m);
  out.remainder_unit = (row.trace_remainder_months() & (1 << m)) != 0;
  if (IsYearSplit(rule)) {
    out.pool = row.trace_year_pool();
    out.weight_total = row.trace_year_weight_total();
  } else if (IsChildSplit(rule)) {
    if (parent == nullptr || !HasTrace(*parent)) return std::nullopt;
    // A parent whose split stored nothing split only zeros (all arrays 0).
    if (parent->trace_child_pools_size() == 12) out.pool = parent->trace_child_pools(m);
    if (parent->trace_child_weight_totals_size() == 12) {
      out.weight_total = parent->trace_child_weight_totals(m);
    }
  } else {
    out.exact_share = value;
    return out;
  }
  out.exact_share = out.weight_total == 0 ? 0 : out.pool * out.weight / out.weight_total;
  return out;
}

}  // namespace okr
