// RocksDB's info log, handed to okrd's log instead of a LOG file in the data folder.
//
// RocksDB 7.8 writes its info log to <data>/db/LOG by default. On a full disk an append to that
// file fails, and the next line RocksDB logs (it logs the very error) aborts the process inside
// RocksDB (`Assertion 'sync_without_flush_called_' failed` in WritableFileWriter). RocksLog
// keeps no file: it passes RocksDB's warnings and errors to a sink (okrd's log) and drops the
// rest (RocksDB's routine info lines: flushes, compactions, statistics).
#ifndef OKR_STORE_ROCKS_LOG_H_
#define OKR_STORE_ROCKS_LOG_H_

#include <cstdarg>
#include <functional>
#include <memory>
#include <string_view>

#include "rocksdb/env.h"

namespace okr::store {

// Receives one RocksDB line: its level ("warn", "error", "fatal") and text.
using RocksLogSink = std::function<void(std::string_view level, std::string_view line)>;

// A logger for rocksdb::Options::info_log; a null sink drops every line.
std::shared_ptr<rocksdb::Logger> NewRocksLog(RocksLogSink sink);

}  // namespace okr::store

#endif  // OKR_STORE_ROCKS_LOG_H_
