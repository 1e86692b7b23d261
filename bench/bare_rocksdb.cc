// okr_bare_rocksdb: the ceilings for the okrd benchmarks — bare RocksDB writes of the same
// records okrd writes, with the same options and the same sync policy (sync=true), and none of
// okrd's work around them.
//
//   --mode plan    one WriteBatch of a plan record (store::PlanKey / store::PlanRecord, 12
//                  months) for every unit in --org, per metric in --metrics; --runs times.
//                  The ceiling of "cascade + persist".
//   --mode events  --events event records (store::EventKey / store::EventRecord rolled up under
//                  agent, group, team, company) in WriteBatches of --batch, each written with
//                  sync=true. With --rollups, each batch also carries the roll-up merge
//                  operands okrd writes (per unit, metric, day and month, summed per batch).
// Prints one JSON object.
#include <CLI/CLI.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "rocksdb/db.h"
#include "rocksdb/filter_policy.h"
#include "rocksdb/table.h"
#include "rocksdb/write_batch.h"
#include "store/codecs.h"
#include "store/records.pb.h"
#include "store/rollup.h"

namespace {

using Clock = std::chrono::steady_clock;

struct OrgRow {
  std::string id, parent;
  bool agent = false;
};

std::vector<OrgRow> ReadOrg(const std::string& path) {
  std::vector<OrgRow> rows;
  std::ifstream in(path);
  if (!in) {
    std::cerr << "okr_bare_rocksdb: cannot read " << path << "\n";
    std::exit(2);
  }
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, ',')) f.push_back(cell);
    while (f.size() < 3) f.emplace_back();
    rows.push_back({f[0], f[1], f[2] == "agent"});
  }
  return rows;
}

// The same options as store::Db::Open (two column families: plain and roll-ups).
std::unique_ptr<rocksdb::DB> Open(const std::string& dir,
                                  std::vector<rocksdb::ColumnFamilyHandle*>* handles) {
  std::filesystem::remove_all(dir);
  rocksdb::Options options;
  options.create_if_missing = true;
  options.create_missing_column_families = true;
  options.IncreaseParallelism(2);
  options.max_open_files = 512;
  options.keep_log_file_num = 4;
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = rocksdb::NewLRUCache(256 << 20);
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  auto factory = std::shared_ptr<rocksdb::TableFactory>(rocksdb::NewBlockBasedTableFactory(table));
  rocksdb::ColumnFamilyOptions plain(options);
  plain.table_factory = factory;
  rocksdb::ColumnFamilyOptions rollups(options);
  rollups.table_factory = factory;
  rollups.merge_operator = okr::store::NewRollupMergeOperator();
  std::vector<rocksdb::ColumnFamilyDescriptor> families = {{"default", plain},
                                                           {"rollups", rollups}};
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s = rocksdb::DB::Open(options, dir, families, handles, &raw);
  if (!s.ok()) {
    std::cerr << "okr_bare_rocksdb: " << s.ToString() << "\n";
    std::exit(1);
  }
  return std::unique_ptr<rocksdb::DB>(raw);
}

}  // namespace

int main(int argc, char** argv) {
  std::string mode = "plan", dir = "/tmp/okr-bare-rocksdb", org_path;
  std::vector<std::string> metrics = {"tickets"};
  int runs = 3, batch_size = 5000, year = 2026;
  int64_t events = 100000;
  bool with_rollups = false, sync = true, sorted = false;
  CLI::App app{"okr_bare_rocksdb: bare RocksDB ceilings"};
  app.add_option("--mode", mode, "plan|events")->capture_default_str();
  app.add_option("--dir", dir, "scratch database (deleted first)")->capture_default_str();
  app.add_option("--org", org_path, "org CSV")->required();
  app.add_option("--metrics", metrics)->delimiter(',');
  app.add_option("--runs", runs)->capture_default_str();
  app.add_option("--events", events)->capture_default_str();
  app.add_option("--batch", batch_size)->capture_default_str();
  app.add_flag("--rollups", with_rollups, "events: also the roll-up merge operands");
  app.add_flag("--sorted", sorted, "events: add the roll-up operands in key order");
  app.add_option("--sync", sync, "sync every write")->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  const std::vector<OrgRow> org = ReadOrg(org_path);
  std::unordered_map<std::string, std::string> parent;
  for (const auto& r : org) parent[r.id] = r.parent;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  auto db = Open(dir, &handles);
  rocksdb::WriteOptions wo;
  wo.sync = sync;
  nlohmann::json out = {{"mode", mode}, {"sync", sync}};

  if (mode == "plan") {
    nlohmann::json per_run = nlohmann::json::array();
    for (int r = 0; r < runs; ++r) {
      nlohmann::json m_ms = nlohmann::json::object();
      double total = 0;
      size_t bytes = 0;
      for (const std::string& metric : metrics) {
        const auto t0 = Clock::now();
        rocksdb::WriteBatch batch;
        for (const auto& u : org) {
          okr::store::PlanRecord rec;
          for (int m = 0; m < 12; ++m) rec.add_months(1000.0 + m + r);
          rec.set_plan_version(r + 1);
          rec.set_root_unit("acme");
          batch.Put(handles[0], okr::store::PlanKey(metric, year, u.id), rec.SerializeAsString());
        }
        rocksdb::Status s = db->Write(wo, &batch);
        if (!s.ok()) {
          std::cerr << s.ToString() << "\n";
          return 1;
        }
        const double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
        m_ms[metric] = ms;
        total += ms;
        bytes = batch.GetDataSize();
      }
      per_run.push_back({{"metrics_ms", m_ms}, {"total_ms", total}, {"batch_bytes", bytes}});
    }
    out["units"] = org.size();
    out["runs"] = per_run;
  } else if (mode == "events") {
    std::vector<const OrgRow*> agents;
    for (const auto& r : org) {
      if (r.agent) agents.push_back(&r);
    }
    std::mt19937_64 rng(1);
    // Build every batch first (the client's work), then time only the writes.
    std::vector<rocksdb::WriteBatch> batches;
    int64_t bytes = 0;
    for (int64_t start = 0; start < events; start += batch_size) {
      rocksdb::WriteBatch batch;
      std::unordered_map<std::string, okr::store::RollupValue> deltas;
      const int64_t end = std::min(events, start + batch_size);
      for (int64_t i = start; i < end; ++i) {
        const OrgRow* a = agents[rng() % agents.size()];
        const std::string& metric = metrics[static_cast<size_t>(i) % metrics.size()];
        const int month = 1 + static_cast<int>(rng() % 12), day = 1 + static_cast<int>(rng() % 28);
        okr::store::EventRecord rec;
        rec.set_unit_id(a->id);
        rec.set_metric_id(metric);
        rec.set_day(20454 + (month - 1) * 30 + day);
        rec.set_value_micros(static_cast<int64_t>(rng() % 50) * 1000000);
        std::vector<std::string> chain;
        for (std::string u = a->id; !u.empty(); u = parent[u]) chain.push_back(u);
        for (const auto& u : chain) rec.add_rolled_up_under(u);
        batch.Put(handles[0], okr::store::EventKey("e" + std::to_string(i)),
                  rec.SerializeAsString());
        if (with_rollups) {
          const okr::store::RollupValue v{rec.value_micros(), 0, 1};
          for (const auto& u : chain) {
            // Values below 50 units: the checked sums never overflow here.
            (void)deltas[okr::store::RollupDayKey(u, metric, year * 10000 + month * 100 + day)]
                .AddChecked(v);
            (void)deltas[okr::store::RollupMonthKey(u, metric, year * 100 + month)].AddChecked(v);
          }
        }
      }
      if (sorted) {
        std::map<std::string, okr::store::RollupValue> ordered(deltas.begin(), deltas.end());
        for (const auto& [key, v] : ordered) batch.Merge(handles[1], key, v.Encode());
      } else {
        for (const auto& [key, v] : deltas) batch.Merge(handles[1], key, v.Encode());
      }
      bytes += static_cast<int64_t>(batch.GetDataSize());
      batches.push_back(std::move(batch));
    }
    const auto t0 = Clock::now();
    for (auto& batch : batches) {
      rocksdb::Status s = db->Write(wo, &batch);
      if (!s.ok()) {
        std::cerr << s.ToString() << "\n";
        return 1;
      }
    }
    const double secs = std::chrono::duration<double>(Clock::now() - t0).count();
    out["events"] = events;
    out["batch"] = batch_size;
    out["rollups"] = with_rollups;
    out["sorted"] = sorted;
    out["bytes"] = bytes;
    out["seconds"] = secs;
    out["events_per_s"] = static_cast<double>(events) / secs;
  } else {
    std::cerr << "okr_bare_rocksdb: unknown --mode " << mode << "\n";
    return 2;
  }
  for (auto* h : handles) db->DestroyColumnFamilyHandle(h).PermitUncheckedError();
  db->Close().PermitUncheckedError();
  db.reset();
  std::filesystem::remove_all(dir);
  std::cout << out.dump() << std::endl;
  return 0;
}
