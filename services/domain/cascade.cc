#include "services/domain/cascade.h"

#include <algorithm>
#include <array>
#include <climits>
#include <cmath>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "services/domain/calendar.h"
#include "services/domain/rounding.h"

namespace okr {
namespace {

#define OKR_CASCADE_RETURN_IF_ERROR(expr)                          \
  do {                                                             \
    if (absl::Status status = (expr); !status.ok()) return status; \
  } while (false)

// Weights (FTE, seasonality, explicit weights) become fixed-point integers with this many parts
// per unit, so that every split is exact integer arithmetic and identical on every machine.
constexpr int64_t kWeightScale = 1'000'000;
// Bounds that keep every product of an amount and a weight far inside 128 bits, and whole
// numbers exact in the doubles of the API.
constexpr double kMaxCount = 1e15;
constexpr double kMaxWeight = 1e9;
constexpr double kMaxFte = 1e3;
constexpr int kNoUnit = -1;
constexpr int kMonths = 12;

using Rule = CellRule;

std::string_view RuleName(Rule rule) {
  switch (rule) {
    case Rule::kNone:
      return "";
    case Rule::kSeasonality:
      return "seasonality";
    case Rule::kDays:
      return "days";
    case Rule::kGiven:
      return "given";
    case Rule::kFte:
      return "fte";
    case Rule::kEven:
      return "even";
    case Rule::kWeights:
      return "weights";
    case Rule::kHold:
      return "hold";
    case Rule::kYearHold:
      return "year_hold";
    case Rule::kKept:
      return "kept";
    case Rule::kInherit:
      return "inherit";
  }
  return "";
}

// Where a cell's value came from; kOpen cells have no value yet.
enum class Source : uint8_t { kOpen, kKept, kMonthHold, kYearHold, kRoot, kSplit };

bool IsFixed(Source source) {
  return source == Source::kKept || source == Source::kMonthHold || source == Source::kYearHold;
}

enum class Progress : uint8_t { kNotStarted, kInProgress, kDone };

// The trace of one cell, kept compact until the plan is built.
struct TraceCell {
  Rule rule = Rule::kNone;
  bool remainder_unit = false;
  double weight = 0;
  double weight_total = 0;
  double pool = 0;
  double exact_share = 0;
};

// The org tree as of the 1st of a month, as children lists over unit positions.
struct MonthTree {
  std::vector<int> parent;       // kNoUnit for none (and for the cascade's root)
  std::vector<int> child_begin;  // children of u: children[child_begin[u], child_begin[u+1])
  std::vector<int> children;     // each list ascending, that is sorted by unit id
  std::vector<int> order;        // the root's subtree, breadth first, root first
  std::vector<uint8_t> in_subtree;

  std::span<const int> ChildrenOf(int unit) const {
    return std::span<const int>(children).subspan(child_begin[unit],
                                                  child_begin[unit + 1] - child_begin[unit]);
  }
};

std::string MonthLabel(int year, int month0) {
  return Period{Period::Kind::kMonth, year, month0 + 1}.ToString();
}

absl::StatusOr<int64_t> WholeCount(double value, const std::string& what) {
  if (!std::isfinite(value) || value < 0 || value > kMaxCount || value != std::floor(value)) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, " must be a whole number from 0 to 10^15, not ", value));
  }
  return static_cast<int64_t>(value);
}

absl::StatusOr<int64_t> FixedPointWeight(double value, const std::string& what) {
  if (!std::isfinite(value) || value < 0 || value > kMaxWeight) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, " must be a number from 0 to 10^9, not ", value));
  }
  return std::llround(value * kWeightScale);
}

absl::Status CheckFinite(double value, const std::string& what) {
  if (std::isfinite(value)) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(what, " must be a finite number"));
}

// One cascade run: the request, indexes over the org for the year, and the plan being built.
// Every per-cell array is month-major (month0 * unit_count + unit) over the snapshot's unit
// positions, which are sorted by id, so position order is id order and the result does not
// depend on the order of the caller's unit vector.
class Cascader {
 public:
  explicit Cascader(const CascadeRequest& request) : request_(request) {}

  absl::StatusOr<CascadePlan> Run();

 private:
  // Set-up.
  absl::Status ValidateRequest();
  void BuildTrees();
  MonthTree MakeTree(std::vector<int> parent) const;
  absl::Status LoadUnitAttributes();
  absl::Status LoadHolds();
  absl::Status LoadHold(const Hold& hold);
  absl::Status LoadKeptMonths();
  void ComputeActivity();

  // Count metrics.
  absl::Status SpreadRootYear();
  absl::Status SpreadYear(int unit, int64_t year, const std::array<int64_t, kMonths>& weights,
                          Rule rule, double weight_divisor);
  absl::Status CascadeCountMonths();
  absl::Status EnsureValue(int unit, int month0);
  absl::Status EnsureSplit(int parent, int month0);
  absl::Status EnsureYearSpread(int unit);
  absl::Status Split(int parent, int month0);

  // Ratio metrics.
  absl::Status CascadeRatioMonths();

  CascadePlan BuildPlan() const;

  size_t Cell(int month0, int unit) const {
    return static_cast<size_t>(month0) * unit_count_ + static_cast<size_t>(unit);
  }
  const MonthTree& TreeOf(int month0) const { return trees_[tree_of_month_[month0]]; }
  bool Covered(int month0, int unit) const { return TreeOf(month0).in_subtree[unit] != 0; }
  int IndexOf(std::string_view id) const;
  const std::string& IdOf(int unit) const { return units_[unit].id; }
  bool HasYearHold(int unit) const { return !std::isnan(year_hold_[unit]); }
  void SetCount(int month0, int unit, int64_t value, Source source);
  void Trace(int month0, int unit, const TraceCell& cell);
  // PlanRow::trace by unit position (null outside the subtree).
  std::vector<std::shared_ptr<RowTrace>> RowTraces() const;

  const CascadeRequest& request_;
  std::span<const Unit> units_;
  int unit_count_ = 0;
  int root_ = kNoUnit;
  int first_open_month0_ = 0;  // months before it are kept from the previous plan
  bool is_count_ = true;

  std::vector<MonthTree> trees_;  // distinct trees of the year; months share them
  std::array<int, kMonths> tree_of_month_{};
  std::vector<uint8_t> ever_in_subtree_;

  // Per unit.
  std::vector<int64_t> fte_fixed_point_;  // agents: FTE in kWeightScale parts
  std::vector<int> first_day_;            // agents: first active day number
  std::vector<int> last_day_;             // agents: last active day number
  std::vector<int64_t> explicit_weight_;  // kWeightScale parts; -1 when not named
  std::vector<double> year_hold_;         // NaN when none
  std::vector<Progress> year_spread_;

  // Per cell.
  std::vector<int64_t> fte_days_below_;  // sum of FTE (fixed point) x active days of agents
  std::vector<uint8_t> active_;
  std::vector<int64_t> count_;
  std::vector<double> ratio_;
  std::vector<Source> source_;
  std::vector<Progress> split_;
  std::vector<TraceCell> trace_;  // empty unless a trace is wanted

  LargestRemainder rounding_;
  // Scratch for Split, which never recurses.
  std::vector<int> open_children_;
  std::vector<int64_t> open_weights_;
  std::vector<int64_t> open_shares_;
  std::vector<uint8_t> open_extra_;
};

absl::StatusOr<CascadePlan> Cascader::Run() {
  OKR_CASCADE_RETURN_IF_ERROR(ValidateRequest());
  BuildTrees();
  OKR_CASCADE_RETURN_IF_ERROR(LoadUnitAttributes());
  const size_t cells = static_cast<size_t>(kMonths) * unit_count_;
  source_.assign(cells, Source::kOpen);
  if (is_count_) {
    count_.assign(cells, 0);
  } else {
    ratio_.assign(cells, 0);
  }
  if (request_.want_trace || request_.want_row_trace) trace_.assign(cells, TraceCell{});
  OKR_CASCADE_RETURN_IF_ERROR(LoadHolds());
  OKR_CASCADE_RETURN_IF_ERROR(LoadKeptMonths());
  if (is_count_) {
    ComputeActivity();
    OKR_CASCADE_RETURN_IF_ERROR(SpreadRootYear());
    OKR_CASCADE_RETURN_IF_ERROR(CascadeCountMonths());
  } else {
    OKR_CASCADE_RETURN_IF_ERROR(CascadeRatioMonths());
  }
  return BuildPlan();
}

absl::Status Cascader::ValidateRequest() {
  if (request_.org == nullptr) return absl::InvalidArgumentError("cascade needs an org");
  units_ = request_.org->units();
  unit_count_ = static_cast<int>(units_.size());
  is_count_ = request_.metric.kind == MetricKind::kCount;
  root_ = IndexOf(request_.root_unit);
  if (root_ == kNoUnit) {
    return absl::InvalidArgumentError(absl::StrCat("unknown unit '", request_.root_unit, "'"));
  }
  if (absl::Status s = CheckYear(request_.year); !s.ok()) return s;
  if (request_.from_month < 1 || request_.from_month > kMonths) {
    return absl::InvalidArgumentError(
        absl::StrCat("from month must be 1..12, not ", request_.from_month));
  }
  first_open_month0_ = request_.from_month - 1;
  if (request_.seasonality) {
    int64_t sum = 0;
    for (double weight : *request_.seasonality) {
      absl::StatusOr<int64_t> fixed = FixedPointWeight(weight, "a seasonality weight");
      if (!fixed.ok()) return fixed.status();
      sum += *fixed;
    }
    if (sum == 0) return absl::InvalidArgumentError("seasonality weights are all zero");
  }
  if (request_.year_target) {
    const std::string what = absl::StrCat("the year target of unit '", request_.root_unit, "'");
    if (is_count_) {
      OKR_CASCADE_RETURN_IF_ERROR(WholeCount(*request_.year_target, what).status());
    } else {
      OKR_CASCADE_RETURN_IF_ERROR(CheckFinite(*request_.year_target, what));
    }
  }
  if (request_.root_months) {
    for (int month0 = 0; month0 < kMonths; ++month0) {
      const std::string what = absl::StrCat("the target of unit '", request_.root_unit, "' in ",
                                            MonthLabel(request_.year, month0));
      const double value = (*request_.root_months)[month0];
      OKR_CASCADE_RETURN_IF_ERROR(is_count_ ? WholeCount(value, what).status()
                                            : CheckFinite(value, what));
    }
  }
  for (const auto& [id, weight] : request_.weights) {
    OKR_CASCADE_RETURN_IF_ERROR(
        FixedPointWeight(weight, absl::StrCat("the weight of unit '", id, "'")).status());
  }
  return absl::OkStatus();
}

int Cascader::IndexOf(std::string_view id) const {
  if (id.empty()) return kNoUnit;
  const Unit* unit = request_.org->Find(id);
  return unit == nullptr ? kNoUnit : static_cast<int>(unit - units_.data());
}

void Cascader::BuildTrees() {
  std::vector<int> parent(unit_count_);
  std::vector<int> moved_units;
  for (int unit = 0; unit < unit_count_; ++unit) {
    parent[unit] = IndexOf(units_[unit].parent_id);
    if (!units_[unit].moves.empty()) moved_units.push_back(unit);
  }
  // Only units with moves can change parent between months; months whose tree is the same as
  // the month before share it.
  for (int month0 = 0; month0 < kMonths; ++month0) {
    const Date first_day{request_.year, month0 + 1, 1};
    bool changed = month0 == 0;
    for (int unit : moved_units) {
      const int parent_now = IndexOf(units_[unit].ParentOn(first_day));
      if (parent_now != parent[unit]) {
        parent[unit] = parent_now;
        changed = true;
      }
    }
    if (changed) trees_.push_back(MakeTree(parent));
    tree_of_month_[month0] = static_cast<int>(trees_.size()) - 1;
  }
  ever_in_subtree_.assign(unit_count_, 0);
  for (const MonthTree& tree : trees_) {
    for (int unit : tree.order) ever_in_subtree_[unit] = 1;
  }
}

MonthTree Cascader::MakeTree(std::vector<int> parent) const {
  MonthTree tree;
  // The root of the cascade has no parent inside it, which also cuts any cycle through it.
  parent[root_] = kNoUnit;
  for (int unit = 0; unit < unit_count_; ++unit) {
    if (parent[unit] == unit) parent[unit] = kNoUnit;
  }
  tree.child_begin.assign(unit_count_ + 1, 0);
  for (int unit = 0; unit < unit_count_; ++unit) {
    if (parent[unit] != kNoUnit) ++tree.child_begin[parent[unit] + 1];
  }
  for (int unit = 0; unit < unit_count_; ++unit) {
    tree.child_begin[unit + 1] += tree.child_begin[unit];
  }
  tree.children.resize(tree.child_begin[unit_count_]);
  std::vector<int> next(tree.child_begin.begin(), tree.child_begin.end() - 1);
  for (int unit = 0; unit < unit_count_; ++unit) {
    if (parent[unit] != kNoUnit) tree.children[next[parent[unit]]++] = unit;
  }
  tree.parent = std::move(parent);

  tree.in_subtree.assign(unit_count_, 0);
  tree.order.push_back(root_);
  tree.in_subtree[root_] = 1;
  for (size_t i = 0; i < tree.order.size(); ++i) {
    for (int child : tree.ChildrenOf(tree.order[i])) {
      if (tree.in_subtree[child]) continue;
      tree.in_subtree[child] = 1;
      tree.order.push_back(child);
    }
  }
  return tree;
}

absl::Status Cascader::LoadUnitAttributes() {
  fte_fixed_point_.assign(unit_count_, 0);
  first_day_.assign(unit_count_, INT_MIN);
  last_day_.assign(unit_count_, INT_MAX);
  for (int unit = 0; unit < unit_count_; ++unit) {
    const Unit& u = units_[unit];
    if (!ever_in_subtree_[unit] || u.kind != UnitKind::kAgent) continue;
    if (!std::isfinite(u.fte) || u.fte < 0 || u.fte > kMaxFte) {
      return absl::InvalidArgumentError(
          absl::StrCat("unit '", u.id, "' has fte ", u.fte, "; it must be from 0 to 1000"));
    }
    fte_fixed_point_[unit] = std::llround(u.fte * kWeightScale);
    if (u.deactivated) {
      last_day_[unit] = INT_MIN;  // never active
      continue;
    }
    if (u.start_date) first_day_[unit] = u.start_date->DayNumber();
    if (u.end_date) last_day_[unit] = u.end_date->DayNumber();
  }
  explicit_weight_.assign(unit_count_, -1);
  for (const auto& [id, weight] : request_.weights) {
    const int unit = IndexOf(id);
    if (unit != kNoUnit) explicit_weight_[unit] = std::llround(weight * kWeightScale);
  }
  return absl::OkStatus();
}

absl::Status Cascader::LoadHolds() {
  year_hold_.assign(unit_count_, std::numeric_limits<double>::quiet_NaN());
  year_spread_.assign(unit_count_, Progress::kNotStarted);
  for (const Hold& hold : request_.holds) OKR_CASCADE_RETURN_IF_ERROR(LoadHold(hold));
  return absl::OkStatus();
}

absl::Status Cascader::LoadHold(const Hold& hold) {
  const int unit = IndexOf(hold.unit_id);
  if (unit == kNoUnit || !ever_in_subtree_[unit]) return absl::OkStatus();
  if (hold.month < 0 || hold.month > kMonths) {
    return absl::InvalidArgumentError(absl::StrCat("hold on unit '", hold.unit_id, "' has month ",
                                                   hold.month,
                                                   "; it must be 0 (the year) or 1..12"));
  }
  const std::string period =
      hold.month == 0 ? absl::StrCat(request_.year) : MonthLabel(request_.year, hold.month - 1);
  const std::string what = absl::StrCat("the hold on unit '", hold.unit_id, "' for ", period);
  if (is_count_) {
    OKR_CASCADE_RETURN_IF_ERROR(WholeCount(hold.value, what).status());
  } else {
    OKR_CASCADE_RETURN_IF_ERROR(CheckFinite(hold.value, what));
  }
  const auto conflict = [&] {
    return absl::InvalidArgumentError(
        absl::StrCat("two different holds on unit '", hold.unit_id, "' for ", period));
  };
  if (hold.month == 0) {
    if (HasYearHold(unit) && year_hold_[unit] != hold.value) return conflict();
    year_hold_[unit] = hold.value;
    return absl::OkStatus();
  }
  const int month0 = hold.month - 1;
  // Kept months are never re-spread, and a unit outside the subtree that month is not planned.
  if (month0 < first_open_month0_ || !Covered(month0, unit)) return absl::OkStatus();
  const size_t cell = Cell(month0, unit);
  if (source_[cell] == Source::kMonthHold) {
    const double current = is_count_ ? static_cast<double>(count_[cell]) : ratio_[cell];
    if (current != hold.value) return conflict();
  }
  source_[cell] = Source::kMonthHold;
  if (is_count_) {
    count_[cell] = static_cast<int64_t>(hold.value);
  } else {
    ratio_[cell] = hold.value;
  }
  Trace(month0, unit, {.rule = Rule::kHold, .exact_share = hold.value});
  return absl::OkStatus();
}

absl::Status Cascader::LoadKeptMonths() {
  if (first_open_month0_ == 0) return absl::OkStatus();
  for (const auto& [id, months] : request_.previous_plan) {
    const int unit = IndexOf(id);
    if (unit == kNoUnit || !ever_in_subtree_[unit]) continue;
    for (int month0 = 0; month0 < first_open_month0_; ++month0) {
      if (!Covered(month0, unit)) continue;
      const size_t cell = Cell(month0, unit);
      source_[cell] = Source::kKept;
      const std::string what = absl::StrCat("the previous plan of unit '", id, "' for ",
                                            MonthLabel(request_.year, month0));
      if (is_count_) {
        absl::StatusOr<int64_t> value = WholeCount(months[month0], what);
        if (!value.ok()) return value.status();
        count_[cell] = *value;
      } else {
        OKR_CASCADE_RETURN_IF_ERROR(CheckFinite(months[month0], what));
        ratio_[cell] = months[month0];
      }
    }
  }
  // Units absent from the previous plan keep 0 (the arrays start at 0).
  for (int month0 = 0; month0 < first_open_month0_; ++month0) {
    for (int unit : TreeOf(month0).order) {
      const size_t cell = Cell(month0, unit);
      source_[cell] = Source::kKept;
      Trace(month0, unit,
            {.rule = Rule::kKept,
             .exact_share = is_count_ ? static_cast<double>(count_[cell]) : ratio_[cell]});
    }
  }
  return absl::OkStatus();
}

// Bottom-up over each month's subtree: which units have an active agent below them, and the
// FTE-days of those agents. Linear in the subtree size per month.
void Cascader::ComputeActivity() {
  const size_t cells = static_cast<size_t>(kMonths) * unit_count_;
  fte_days_below_.assign(cells, 0);
  active_.assign(cells, 0);
  for (int month0 = 0; month0 < kMonths; ++month0) {
    const MonthTree& tree = TreeOf(month0);
    const int month_first = Date{request_.year, month0 + 1, 1}.DayNumber();
    const int month_last = month_first + DaysInMonth(request_.year, month0 + 1) - 1;
    for (auto it = tree.order.rbegin(); it != tree.order.rend(); ++it) {
      const int unit = *it;
      const size_t cell = Cell(month0, unit);
      if (units_[unit].kind == UnitKind::kAgent) {
        const int first = std::max(first_day_[unit], month_first);
        const int last = std::min(last_day_[unit], month_last);
        if (last >= first) {
          active_[cell] = 1;
          fte_days_below_[cell] += fte_fixed_point_[unit] * (last - first + 1);
        }
      }
      const int parent = tree.parent[unit];
      if (parent == kNoUnit) continue;
      const size_t parent_cell = Cell(month0, parent);
      fte_days_below_[parent_cell] += fte_days_below_[cell];
      active_[parent_cell] |= active_[cell];
    }
  }
}

absl::Status Cascader::SpreadRootYear() {
  const bool root_year_held = HasYearHold(root_);
  if (!root_year_held && !request_.year_target) {
    if (!request_.root_months) {
      return absl::InvalidArgumentError(
          absl::StrCat("no year target or months for unit '", IdOf(root_), "' in ", request_.year));
    }
    for (int month0 = first_open_month0_; month0 < kMonths; ++month0) {
      if (source_[Cell(month0, root_)] != Source::kOpen) continue;
      const auto value = static_cast<int64_t>((*request_.root_months)[month0]);
      SetCount(month0, root_, value, Source::kRoot);
      Trace(month0, root_, {.rule = Rule::kGiven, .exact_share = static_cast<double>(value)});
    }
    return absl::OkStatus();
  }
  const int64_t year =
      static_cast<int64_t>(root_year_held ? year_hold_[root_] : *request_.year_target);
  std::array<int64_t, kMonths> weights{};
  if (!request_.year_target && request_.root_months && !request_.seasonality) {
    // A held year re-spread in a subtree: in proportion to the months handed down from above,
    // as the cascade above did.
    for (int month0 = 0; month0 < kMonths; ++month0) {
      weights[month0] = static_cast<int64_t>((*request_.root_months)[month0]);
    }
    return SpreadYear(root_, year, weights, Rule::kYearHold, 1);
  }
  if (request_.seasonality) {
    for (int month0 = 0; month0 < kMonths; ++month0) {
      weights[month0] = std::llround((*request_.seasonality)[month0] * kWeightScale);
    }
    return SpreadYear(root_, year, weights, Rule::kSeasonality, kWeightScale);
  }
  for (int month0 = 0; month0 < kMonths; ++month0) {
    weights[month0] = DaysInMonth(request_.year, month0 + 1);
  }
  return SpreadYear(root_, year, weights, Rule::kDays, 1);
}

// Spreads `year` of `unit` over its open months (covered, not kept, not month-held) by
// `weights`, after the fixed months have taken their share. Ties go to the earlier month.
absl::Status Cascader::SpreadYear(int unit, int64_t year,
                                  const std::array<int64_t, kMonths>& weights, Rule rule,
                                  double weight_divisor) {
  int64_t fixed_total = 0;
  std::array<int64_t, kMonths> open_weights{};
  std::array<bool, kMonths> open{};
  for (int month0 = 0; month0 < kMonths; ++month0) {
    if (!Covered(month0, unit)) continue;
    const size_t cell = Cell(month0, unit);
    if (source_[cell] == Source::kOpen) {
      open[month0] = true;
      open_weights[month0] = weights[month0];
    } else {
      fixed_total += count_[cell];
    }
  }
  const std::string where = absl::StrCat("unit '", IdOf(unit), "' in ", request_.year);
  if (fixed_total > year) {
    return absl::FailedPreconditionError(absl::StrCat("cannot honour holds of ", where,
                                                      ": held and kept months total ", fixed_total,
                                                      ", more than the year's ", year));
  }
  const int64_t pool = year - fixed_total;
  std::array<int64_t, kMonths> shares{};
  std::array<uint8_t, kMonths> got_extra{};
  if (!rounding_.Apportion(pool, open_weights, shares, got_extra)) {
    return absl::FailedPreconditionError(absl::StrCat("cannot spread the year of ", where,
                                                      ": no active month left to carry ", pool));
  }
  double weight_total = 0;
  for (int64_t weight : open_weights) weight_total += static_cast<double>(weight);
  const Source source = unit == root_ ? Source::kRoot : Source::kYearHold;
  for (int month0 = 0; month0 < kMonths; ++month0) {
    if (!open[month0]) continue;
    SetCount(month0, unit, shares[month0], source);
    Trace(month0, unit,
          {.rule = rule,
           .remainder_unit = got_extra[month0] != 0,
           .weight = static_cast<double>(open_weights[month0]) / weight_divisor,
           .weight_total = weight_total / weight_divisor,
           .pool = static_cast<double>(pool),
           .exact_share = weight_total == 0
                              ? 0
                              : static_cast<double>(pool) *
                                    static_cast<double>(open_weights[month0]) / weight_total});
  }
  return absl::OkStatus();
}

// Month by month, parents before children. A year-held child couples months (its share of a
// month depends on its parents' values in the other months), so values are computed on demand
// with EnsureValue / EnsureSplit / EnsureYearSpread; without year holds that is plain
// breadth-first order.
absl::Status Cascader::CascadeCountMonths() {
  split_.assign(static_cast<size_t>(kMonths) * unit_count_, Progress::kNotStarted);
  for (int month0 = first_open_month0_; month0 < kMonths; ++month0) {
    const MonthTree& tree = TreeOf(month0);
    for (int unit : tree.order) {
      // An agent without children carries its value itself: nothing to split or check.
      if (units_[unit].kind == UnitKind::kAgent && tree.ChildrenOf(unit).empty()) continue;
      OKR_CASCADE_RETURN_IF_ERROR(EnsureSplit(unit, month0));
    }
  }
  // A year-held unit whose every planned month is held or kept was never spread above; it must
  // still add up to its year.
  for (int unit = 0; unit < unit_count_; ++unit) {
    if (unit != root_ && ever_in_subtree_[unit] && HasYearHold(unit)) {
      OKR_CASCADE_RETURN_IF_ERROR(EnsureYearSpread(unit));
    }
  }
  return absl::OkStatus();
}

absl::Status Cascader::EnsureValue(int unit, int month0) {
  if (source_[Cell(month0, unit)] != Source::kOpen) return absl::OkStatus();
  return EnsureSplit(TreeOf(month0).parent[unit], month0);
}

absl::Status Cascader::EnsureSplit(int parent, int month0) {
  Progress& progress = split_[Cell(month0, parent)];
  if (progress == Progress::kDone) return absl::OkStatus();
  if (progress == Progress::kInProgress) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot order the year holds under unit '", IdOf(parent), "' in ",
                     MonthLabel(request_.year, month0), ": they depend on each other"));
  }
  progress = Progress::kInProgress;
  OKR_CASCADE_RETURN_IF_ERROR(EnsureValue(parent, month0));
  for (int child : TreeOf(month0).ChildrenOf(parent)) {
    if (HasYearHold(child) && source_[Cell(month0, child)] == Source::kOpen) {
      OKR_CASCADE_RETURN_IF_ERROR(EnsureYearSpread(child));
    }
  }
  OKR_CASCADE_RETURN_IF_ERROR(Split(parent, month0));
  progress = Progress::kDone;  // split_ never grows, so the reference is still valid
  return absl::OkStatus();
}

absl::Status Cascader::EnsureYearSpread(int unit) {
  if (year_spread_[unit] == Progress::kDone) return absl::OkStatus();
  if (year_spread_[unit] == Progress::kInProgress) {
    return absl::FailedPreconditionError(absl::StrCat("cannot order the year hold of unit '",
                                                      IdOf(unit), "' in ", request_.year,
                                                      ": it depends on itself through org moves"));
  }
  year_spread_[unit] = Progress::kInProgress;
  // The open active months share the year in proportion to the parent's value in each month
  // (the parent of that month's tree); inactive open months get 0.
  std::array<int64_t, kMonths> weights{};
  for (int month0 = first_open_month0_; month0 < kMonths; ++month0) {
    const size_t cell = Cell(month0, unit);
    if (!Covered(month0, unit) || source_[cell] != Source::kOpen || !active_[cell]) continue;
    const int parent = TreeOf(month0).parent[unit];
    OKR_CASCADE_RETURN_IF_ERROR(EnsureValue(parent, month0));
    weights[month0] = count_[Cell(month0, parent)];
  }
  OKR_CASCADE_RETURN_IF_ERROR(
      SpreadYear(unit, static_cast<int64_t>(year_hold_[unit]), weights, Rule::kYearHold, 1));
  year_spread_[unit] = Progress::kDone;
  return absl::OkStatus();
}

// Splits the parent's month among its children of that month: held children keep their
// values, the rest of the month goes to the active unheld children by weight.
absl::Status Cascader::Split(int parent, int month0) {
  const MonthTree& tree = TreeOf(month0);
  const std::span<const int> children = tree.ChildrenOf(parent);
  const int64_t amount = count_[Cell(month0, parent)];
  // Built only on failure: this runs for every cell of the plan.
  const auto where = [&] {
    return absl::StrCat("unit '", IdOf(parent), "' in ", MonthLabel(request_.year, month0));
  };
  if (children.empty()) {
    // An agent carries its own target; any other leaf has nobody to carry it.
    if (amount > 0 && units_[parent].kind != UnitKind::kAgent) {
      return absl::FailedPreconditionError(
          absl::StrCat("no active child under ", where(), " to carry ", amount));
    }
    return absl::OkStatus();
  }

  Rule rule = Rule::kFte;
  if (request_.method == SplitMethod::kEven) rule = Rule::kEven;
  if (request_.method == SplitMethod::kWeights &&
      std::any_of(children.begin(), children.end(),
                  [&](int child) { return explicit_weight_[child] >= 0; })) {
    rule = Rule::kWeights;
  }

  int64_t held = 0;
  open_children_.clear();
  open_weights_.clear();
  for (int child : children) {
    const size_t cell = Cell(month0, child);
    if (IsFixed(source_[cell])) {
      held += count_[cell];
      continue;
    }
    int64_t weight = 0;
    if (active_[cell]) {
      switch (rule) {
        case Rule::kEven:
          weight = 1;
          break;
        case Rule::kWeights:
          weight = std::max<int64_t>(explicit_weight_[child], 0);
          break;
        default:
          weight = fte_days_below_[cell];
          break;
      }
    }
    open_children_.push_back(child);
    open_weights_.push_back(weight);
  }
  if (held > amount) {
    return absl::FailedPreconditionError(absl::StrCat(
        "cannot honour holds under ", where(), ": held ", held, " exceeds ", amount, " available"));
  }
  const int64_t pool = amount - held;
  open_shares_.resize(open_children_.size());
  open_extra_.resize(open_children_.size());
  if (!rounding_.Apportion(pool, open_weights_, open_shares_, open_extra_)) {
    return absl::FailedPreconditionError(
        absl::StrCat("no active child under ", where(), " to carry ", pool));
  }
  for (size_t i = 0; i < open_children_.size(); ++i) {
    SetCount(month0, open_children_[i], open_shares_[i], Source::kSplit);
  }
  if (!trace_.empty()) {
    double divisor = 1;
    if (rule == Rule::kFte) {
      divisor = static_cast<double>(kWeightScale) * DaysInMonth(request_.year, month0 + 1);
    } else if (rule == Rule::kWeights) {
      divisor = kWeightScale;
    }
    double weight_total = 0;
    for (int64_t weight : open_weights_) weight_total += static_cast<double>(weight);
    for (size_t i = 0; i < open_children_.size(); ++i) {
      const double weight = static_cast<double>(open_weights_[i]);
      Trace(month0, open_children_[i],
            {.rule = rule,
             .remainder_unit = open_extra_[i] != 0,
             .weight = weight / divisor,
             .weight_total = weight_total / divisor,
             .pool = static_cast<double>(pool),
             .exact_share =
                 weight_total == 0 ? 0 : static_cast<double>(pool) * weight / weight_total});
    }
  }
  return absl::OkStatus();
}

// Ratio targets are levels, not amounts: each cell takes its parent's value of the month
// unless held, and a held value flows down the subtree below it.
absl::Status Cascader::CascadeRatioMonths() {
  const bool root_year_held = HasYearHold(root_);
  if (!root_year_held && !request_.year_target && !request_.root_months) {
    return absl::InvalidArgumentError(
        absl::StrCat("no year target or months for unit '", IdOf(root_), "' in ", request_.year));
  }
  for (int month0 = first_open_month0_; month0 < kMonths; ++month0) {
    const MonthTree& tree = TreeOf(month0);
    for (int unit : tree.order) {
      const size_t cell = Cell(month0, unit);
      if (source_[cell] != Source::kOpen) continue;
      double value = 0;
      Rule rule = Rule::kInherit;
      if (HasYearHold(unit)) {
        value = year_hold_[unit];
        rule = Rule::kYearHold;
      } else if (unit != root_) {
        value = ratio_[Cell(month0, tree.parent[unit])];
      } else if (request_.year_target) {
        value = *request_.year_target;
      } else {
        value = (*request_.root_months)[month0];
        rule = Rule::kGiven;
      }
      ratio_[cell] = value;
      source_[cell] = unit == root_ ? Source::kRoot : Source::kSplit;
      Trace(month0, unit, {.rule = rule, .exact_share = value});
    }
  }
  return absl::OkStatus();
}

void Cascader::SetCount(int month0, int unit, int64_t value, Source source) {
  const size_t cell = Cell(month0, unit);
  count_[cell] = value;
  source_[cell] = source;
}

void Cascader::Trace(int month0, int unit, const TraceCell& cell) {
  if (!trace_.empty()) trace_[Cell(month0, unit)] = cell;
}

}  // namespace

std::string_view CellRuleName(CellRule rule) { return RuleName(rule); }

namespace {

CascadePlan Cascader::BuildPlan() const {
  CascadePlan plan;
  std::vector<std::shared_ptr<RowTrace>> row_traces;
  if (request_.want_row_trace) row_traces = RowTraces();
  // Positions are in id order, so every insertion is at the end of the maps.
  for (int unit = 0; unit < unit_count_; ++unit) {
    if (!ever_in_subtree_[unit]) continue;
    PlanRow row;
    for (int month0 = 0; month0 < kMonths; ++month0) {
      if (!Covered(month0, unit)) continue;
      const size_t cell = Cell(month0, unit);
      row.covered[month0] = true;
      row.months[month0] = is_count_ ? static_cast<double>(count_[cell]) : ratio_[cell];
    }
    if (!row_traces.empty()) row.trace = std::move(row_traces[unit]);
    plan.rows.emplace_hint(plan.rows.end(), IdOf(unit), std::move(row));
    if (!request_.want_trace) continue;
    for (int month0 = 0; month0 < kMonths; ++month0) {
      if (!Covered(month0, unit)) continue;
      const TraceCell& cell = trace_[Cell(month0, unit)];
      plan.trace.emplace_hint(plan.trace.end(), std::make_pair(IdOf(unit), month0 + 1),
                              CellTrace{.rule = std::string(RuleName(cell.rule)),
                                        .weight = cell.weight,
                                        .weight_total = cell.weight_total,
                                        .pool = cell.pool,
                                        .exact_share = cell.exact_share,
                                        .remainder_unit = cell.remainder_unit});
    }
  }
  return plan;
}

std::vector<std::shared_ptr<RowTrace>> Cascader::RowTraces() const {
  std::vector<std::shared_ptr<RowTrace>> rows(unit_count_);
  for (int unit = 0; unit < unit_count_; ++unit) {
    if (ever_in_subtree_[unit]) rows[unit] = std::make_shared<RowTrace>();
  }
  for (int month0 = 0; month0 < kMonths; ++month0) {
    const MonthTree& tree = TreeOf(month0);
    for (int unit : tree.order) {
      const TraceCell& cell = trace_[Cell(month0, unit)];
      RowTrace& row = *rows[unit];
      row.rules[month0] = cell.rule;
      row.weights[month0] = cell.weight;
      if (cell.remainder_unit) row.remainder_months |= static_cast<uint16_t>(1u << month0);
      switch (cell.rule) {
        case Rule::kSeasonality:
        case Rule::kDays:
        case Rule::kYearHold:
          row.year_pool = cell.pool;
          row.year_weight_total = cell.weight_total;
          break;
        case Rule::kFte:
        case Rule::kEven:
        case Rule::kWeights:
          if (tree.parent[unit] != kNoUnit && rows[tree.parent[unit]] != nullptr) {
            RowTrace& parent = *rows[tree.parent[unit]];
            if (parent.child_split == nullptr) parent.child_split = std::make_unique<ChildSplit>();
            parent.child_split->pools[month0] = cell.pool;
            parent.child_split->weight_totals[month0] = cell.weight_total;
          }
          break;
        default:
          break;
      }
    }
  }
  return rows;
}

#undef OKR_CASCADE_RETURN_IF_ERROR

}  // namespace

absl::StatusOr<CascadePlan> Cascade(const CascadeRequest& request) {
  return Cascader(request).Run();
}

}  // namespace okr
