#include "store/rocks_log.h"

#include <algorithm>
#include <cstdio>
#include <string>
#include <utility>

namespace okr::store {
namespace {

const char* LevelName(rocksdb::InfoLogLevel level) {
  switch (level) {
    case rocksdb::InfoLogLevel::WARN_LEVEL:
      return "warn";
    case rocksdb::InfoLogLevel::ERROR_LEVEL:
      return "error";
    default:
      return "fatal";
  }
}

class RocksLog final : public rocksdb::Logger {
 public:
  explicit RocksLog(RocksLogSink sink)
      : rocksdb::Logger(rocksdb::InfoLogLevel::WARN_LEVEL), sink_(std::move(sink)) {}

  // A line without a level is an info line (RocksDB's header lines): dropped.
  void Logv(const char* /*format*/, va_list /*ap*/) override {}

  void Logv(const rocksdb::InfoLogLevel level, const char* format, va_list ap) override {
    if (level < GetInfoLogLevel() || level == rocksdb::InfoLogLevel::HEADER_LEVEL || !sink_) {
      return;
    }
    std::string line(512, '\0');
    va_list again;
    va_copy(again, ap);
    const int n = std::vsnprintf(line.data(), line.size(), format, ap);
    if (n >= 0 && static_cast<size_t>(n) >= line.size()) {
      line.resize(static_cast<size_t>(n) + 1);
      std::vsnprintf(line.data(), line.size(), format, again);
    }
    va_end(again);
    line.resize(n < 0 ? 0 : std::min(static_cast<size_t>(n), line.size()));
    while (!line.empty() && (line.back() == '\n' || line.back() == '\0')) line.pop_back();
    sink_(LevelName(level), line);
  }

 private:
  RocksLogSink sink_;
};

}  // namespace

std::shared_ptr<rocksdb::Logger> NewRocksLog(RocksLogSink sink) {
  return std::make_shared<RocksLog>(std::move(sink));
}

}  // namespace okr::store
