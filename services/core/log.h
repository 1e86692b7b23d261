// okrd's log: one line per event, levelled and timestamped (UTC), written to stderr for the
// journal. A line names its event and carries key=value fields:
//
//   2026-12-01T23:40:01.123Z info plugin.disabled plugin=tiered_bonus reason="crashed twice"
//
// and with `okrd --log-format json` the same event is one JSON object per line:
//
//   {"ts":"2026-12-01T23:40:01.123Z","level":"info","event":"plugin.disabled",
//    "plugin":"tiered_bonus","reason":"crashed twice"}
//
// spdlog (Debian libspdlog-dev) keeps the level, the timestamp and a thread-safe sink; this
// file keeps okrd's line shape, so every call site reads
//   Log(LogLevel::kWarn, "auth.failed", {{"peer", peer}, {"method", method}});
// Logging never throws: a line that cannot be written is dropped.
#ifndef OKR_SERVICES_CORE_LOG_H_
#define OKR_SERVICES_CORE_LOG_H_

#include <concepts>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"

namespace okr {

enum class LogLevel { kDebug, kInfo, kWarn, kError, kOff };
enum class LogFormat { kText, kJson };

// One field of a line. Numbers stay numbers in JSON; everything else is a string.
struct LogField {
  LogField(std::string_view k, std::string_view v) : key(k), value(v) {}
  LogField(std::string_view k, const std::string& v) : key(k), value(v) {}
  LogField(std::string_view k, const char* v) : key(k), value(v) {}
  LogField(std::string_view k, bool v) : key(k), value(v ? "true" : "false"), number(true) {}
  template <typename T>
  requires(std::integral<T> && !std::same_as<T, bool>) LogField(std::string_view k, T v)
      : key(k), value(std::to_string(v)), number(true) {}
  // The shortest text that reads back to v ("12.5", not "12.500000"); JSON has no NaN or
  // infinity, so those are written as null.
  LogField(std::string_view k, double v);

  std::string key;
  std::string value;
  bool number = false;  // JSON writes it unquoted
};

// Sets the lowest level written and the line format (okrd's --log-level, --log-format). Call
// once at start, before other threads log; until then: info, text.
void ConfigureLog(LogLevel level, LogFormat format);

// "debug", "info", "warn", "error", "off" and "text", "json"; anything else is
// INVALID_ARGUMENT naming the choices.
absl::Status ParseLogLevel(std::string_view text, LogLevel* level);
absl::Status ParseLogFormat(std::string_view text, LogFormat* format);

// Whether a line of `level` would be written (skip building costly fields when not).
bool LogEnabled(LogLevel level);

// Writes one line: the event name (dotted, e.g. "grpc.request") and its fields.
void Log(LogLevel level, std::string_view event, std::initializer_list<LogField> fields = {});
// The same, for fields gathered at run time (a field present only sometimes).
void Log(LogLevel level, std::string_view event, const std::vector<LogField>& fields);

// The line's text without timestamp and level, as the format writes it (tests of the shape).
std::string FormatLogLine(LogFormat format, std::string_view event,
                          std::initializer_list<LogField> fields);

}  // namespace okr

#endif  // OKR_SERVICES_CORE_LOG_H_
