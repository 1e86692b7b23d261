#include "services/core/store_metrics.h"

namespace okr {

void CollectStoreMetrics(const store::Db& db, Metrics& m) {
  auto per_family = [&](const char* metric, const char* property) {
    m.Set(metric, {}, static_cast<double>(db.IntProperty(property)));
  };
  // SST files, memtables and compaction debt belong to each column family: summed.
  per_family("okr_rocksdb_live_data_bytes", "rocksdb.estimate-live-data-size");
  per_family("okr_rocksdb_pending_compaction_bytes", "rocksdb.estimate-pending-compaction-bytes");
  per_family("okr_rocksdb_memtable_bytes", "rocksdb.size-all-mem-tables");
  per_family("okr_rocksdb_live_sst_bytes", "rocksdb.live-sst-files-size");
  per_family("okr_rocksdb_total_sst_bytes", "rocksdb.total-sst-files-size");
  // The block cache, the WAL and the write controller are one for the whole database.
  m.Set("okr_rocksdb_block_cache_usage_bytes", {},
        static_cast<double>(db.SharedIntProperty("rocksdb.block-cache-usage")));
  m.Set("okr_rocksdb_block_cache_capacity_bytes", {},
        static_cast<double>(db.SharedIntProperty("rocksdb.block-cache-capacity")));
  m.Set("okr_rocksdb_wal_bytes", {}, static_cast<double>(db.WalBytes()));
  m.Set("okr_rocksdb_write_stopped", {},
        db.SharedIntProperty("rocksdb.is-write-stopped") != 0 ? 1 : 0);
  m.Set("okr_rocksdb_delayed_write_rate_bytes", {},
        static_cast<double>(db.SharedIntProperty("rocksdb.actual-delayed-write-rate")));
}

}  // namespace okr
