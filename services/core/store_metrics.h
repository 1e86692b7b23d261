// The store's figures on /metrics, read from RocksDB at scrape time: what the data takes on
// disk and in memory, and whether RocksDB is holding writes back.
#ifndef OKR_SERVICES_CORE_STORE_METRICS_H_
#define OKR_SERVICES_CORE_STORE_METRICS_H_

#include "services/core/metrics.h"
#include "store/db.h"

namespace okr {

void CollectStoreMetrics(const store::Db& db, Metrics& metrics);

}  // namespace okr

#endif  // OKR_SERVICES_CORE_STORE_METRICS_H_
