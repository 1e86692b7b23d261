// Google Benchmark micro-benchmarks of the cascade and roll-up code (no I/O).
//
// The org is the synthetic one of scripts/bench (bench/gen_org.py): 1 company, 20 teams,
// agents/100 groups, FTE 1.0/0.8/0.5/0.6, 10% joiners and 10% leavers in 2026.
#include <benchmark/benchmark.h>

#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "services/domain/cascade.h"
#include "services/domain/org.h"
#include "store/rollup.h"

namespace {

okr::Date Day(int year, int day_of_year) {
  return okr::Date::FromDayNumber(okr::Date{year, 1, 1}.DayNumber() + day_of_year);
}

std::vector<okr::Unit> SyntheticUnits(int agents) {
  std::mt19937_64 rng(7);
  std::vector<okr::Unit> units;
  const int groups = std::max(1, agents / 100);
  auto add = [&](std::string id, std::string parent, okr::UnitKind kind) -> okr::Unit& {
    okr::Unit u;
    u.id = std::move(id);
    u.parent_id = std::move(parent);
    u.kind = kind;
    u.name = u.id;
    units.push_back(std::move(u));
    return units.back();
  };
  add("acme", "", okr::UnitKind::kCompany);
  char buf[32];
  for (int t = 0; t < 20; ++t) {
    std::snprintf(buf, sizeof buf, "t%02d", t);
    add(buf, "acme", okr::UnitKind::kTeam);
  }
  for (int g = 0; g < groups; ++g) {
    char team[8];
    std::snprintf(buf, sizeof buf, "g%04d", g);
    std::snprintf(team, sizeof team, "t%02d", g % 20);
    add(buf, team, okr::UnitKind::kGroup);
  }
  for (int i = 0; i < agents; ++i) {
    char group[8];
    std::snprintf(buf, sizeof buf, "a%06d", i);
    std::snprintf(group, sizeof group, "g%04d", static_cast<int>(int64_t{i} * groups / agents));
    okr::Unit& a = add(buf, group, okr::UnitKind::kAgent);
    const double r = static_cast<double>(rng() % 1000) / 1000.0;
    a.fte = r < 0.70 ? 1.0 : r < 0.85 ? 0.8 : r < 0.95 ? 0.5 : 0.6;
    const int j = static_cast<int>(rng() % 10);
    if (j == 0) a.start_date = Day(2026, 31 + static_cast<int>(rng() % 304));
    if (j == 1) a.end_date = Day(2026, 30 + static_cast<int>(rng() % 304));
  }
  return units;
}

const okr::OrgSnapshot& Org(int agents) {
  static std::unordered_map<int, okr::OrgSnapshot> cache;
  auto it = cache.find(agents);
  if (it == cache.end()) it = cache.emplace(agents, okr::OrgSnapshot(SyntheticUnits(agents))).first;
  return it->second;
}

okr::CascadeRequest Request(const okr::OrgSnapshot& org, bool ratio) {
  okr::CascadeRequest req;
  req.org = &org;
  req.metric.id = ratio ? "csat" : "tickets";
  req.metric.kind = ratio ? okr::MetricKind::kRatio : okr::MetricKind::kCount;
  req.metric.scale = ratio ? 100 : 1;
  req.year = 2026;
  req.root_unit = "acme";
  req.year_target = ratio ? 92.0 : 1200000.0 * static_cast<double>(org.size()) / 100000.0;
  return req;
}

void BM_CascadeCount(benchmark::State& state) {
  const okr::OrgSnapshot& org = Org(static_cast<int>(state.range(0)));
  okr::CascadeRequest req = Request(org, false);
  for (auto _ : state) {
    auto plan = okr::Cascade(req);
    if (!plan.ok()) state.SkipWithError(std::string(plan.status().message()).c_str());
    benchmark::DoNotOptimize(plan);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(org.size()));
}
BENCHMARK(BM_CascadeCount)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond);

// The cascade as a written one runs it: with each row's trace, stored with the plan for explain.
void BM_CascadeCountRowTrace(benchmark::State& state) {
  const okr::OrgSnapshot& org = Org(static_cast<int>(state.range(0)));
  okr::CascadeRequest req = Request(org, false);
  req.want_row_trace = true;
  for (auto _ : state) {
    auto plan = okr::Cascade(req);
    if (!plan.ok()) state.SkipWithError(std::string(plan.status().message()).c_str());
    benchmark::DoNotOptimize(plan);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(org.size()));
}
BENCHMARK(BM_CascadeCountRowTrace)->Arg(100000)->Unit(benchmark::kMillisecond);

void BM_CascadeRatio(benchmark::State& state) {
  const okr::OrgSnapshot& org = Org(static_cast<int>(state.range(0)));
  okr::CascadeRequest req = Request(org, true);
  for (auto _ : state) {
    auto plan = okr::Cascade(req);
    if (!plan.ok()) state.SkipWithError(std::string(plan.status().message()).c_str());
    benchmark::DoNotOptimize(plan);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(org.size()));
}
BENCHMARK(BM_CascadeRatio)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond);

void BM_CascadeCountFromJuly(benchmark::State& state) {
  const okr::OrgSnapshot& org = Org(static_cast<int>(state.range(0)));
  okr::CascadeRequest req = Request(org, false);
  auto first = okr::Cascade(req);
  for (const auto& [id, row] : first->rows) req.previous_plan[id] = row.months;
  req.from_month = 7;
  for (auto _ : state) {
    auto plan = okr::Cascade(req);
    benchmark::DoNotOptimize(plan);
  }
}
BENCHMARK(BM_CascadeCountFromJuly)->Arg(100000)->Unit(benchmark::kMillisecond);

// The roll-up path of one ingest chunk: the ancestry of each event, and its deltas summed per
// (unit, metric, day|month) key, as actuals_ops.cc does.
void BM_RollupDeltas(benchmark::State& state) {
  const okr::OrgSnapshot& org = Org(100000);
  const int events = static_cast<int>(state.range(0));
  std::mt19937_64 rng(3);
  std::vector<std::pair<std::string, okr::Date>> sample;
  const auto& units = org.units();
  while (static_cast<int>(sample.size()) < events) {
    const okr::Unit& u = units[rng() % units.size()];
    if (u.kind != okr::UnitKind::kAgent) continue;
    okr::Date d = Day(2026, static_cast<int>(rng() % 365));
    if (!u.ActiveOn(d)) continue;
    sample.emplace_back(u.id, d);
  }
  for (auto _ : state) {
    std::unordered_map<std::string, okr::store::RollupValue> deltas;
    for (const auto& [agent, day] : sample) {
      const okr::store::RollupValue v{5000000, 0, 1};
      for (const std::string& unit : org.AncestryOn(agent, day)) {
        benchmark::DoNotOptimize(
            deltas[okr::store::RollupDayKey(unit, "tickets",
                                            day.year * 10000 + day.month * 100 + day.day)]
                .AddChecked(v));
        benchmark::DoNotOptimize(
            deltas[okr::store::RollupMonthKey(unit, "tickets", day.year * 100 + day.month)]
                .AddChecked(v));
      }
    }
    benchmark::DoNotOptimize(deltas);
  }
  state.SetItemsProcessed(state.iterations() * events);
}
BENCHMARK(BM_RollupDeltas)->Arg(20000)->Unit(benchmark::kMillisecond);

void BM_RollupMergeOperator(benchmark::State& state) {
  auto op = okr::store::NewRollupMergeOperator();
  const std::string operand = okr::store::RollupValue{1000000, 2000000, 1}.Encode();
  std::vector<rocksdb::Slice> operands(static_cast<size_t>(state.range(0)),
                                       rocksdb::Slice(operand));
  const std::string existing = okr::store::RollupValue{5, 6, 7}.Encode();
  const rocksdb::Slice existing_slice(existing);
  for (auto _ : state) {
    rocksdb::MergeOperator::MergeOperationInput in(rocksdb::Slice("k"), &existing_slice, operands,
                                                   nullptr);
    std::string result;
    rocksdb::Slice existing_operand;
    rocksdb::MergeOperator::MergeOperationOutput out(result, existing_operand);
    benchmark::DoNotOptimize(op->FullMergeV2(in, &out));
    benchmark::DoNotOptimize(result);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_RollupMergeOperator)->Arg(1)->Arg(16)->Arg(256);

void BM_RollupEncodeDecode(benchmark::State& state) {
  okr::store::RollupValue v{123456789, 987654321, 42};
  for (auto _ : state) {
    std::string bytes = v.Encode();
    v = okr::store::RollupValue::Decode(bytes);
    benchmark::DoNotOptimize(v);
  }
}
BENCHMARK(BM_RollupEncodeDecode);

}  // namespace

BENCHMARK_MAIN();
