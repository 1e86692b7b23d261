#include "services/core/log.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <charconv>
#include <cmath>
#include <memory>
#include <nlohmann/json.hpp>

namespace okr {
namespace {

std::atomic<LogFormat> g_format{LogFormat::kText};

spdlog::level::level_enum ToSpdlog(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return spdlog::level::debug;
    case LogLevel::kInfo:
      return spdlog::level::info;
    case LogLevel::kWarn:
      return spdlog::level::warn;
    case LogLevel::kError:
      return spdlog::level::err;
    case LogLevel::kOff:
      return spdlog::level::off;
  }
  return spdlog::level::info;
}

// The pattern spdlog wraps around our text: UTC timestamp and level in front of the event.
// The level is ours (LevelName), not spdlog's %l, which says "warning" for the level that
// --log-level calls warn. FormatFields closes the JSON object.
std::string Pattern(LogFormat format) {
  if (format == LogFormat::kJson) return R"({"ts":"%Y-%m-%dT%H:%M:%S.%eZ",%v)";
  return "%Y-%m-%dT%H:%M:%S.%eZ %v";
}

// The names --log-level takes.
const char* LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarn:
      return "warn";
    case LogLevel::kError:
      return "error";
    case LogLevel::kOff:
      return "off";
  }
  return "info";
}

// The process's one logger: stderr, unbuffered by the journal's rules (one write per line).
spdlog::logger& Logger() {
  static std::shared_ptr<spdlog::logger> logger = [] {
    auto made =
        std::make_shared<spdlog::logger>("okrd", std::make_shared<spdlog::sinks::stderr_sink_mt>());
    made->set_pattern(Pattern(LogFormat::kText), spdlog::pattern_time_type::utc);
    made->set_level(spdlog::level::info);
    made->flush_on(spdlog::level::debug);
    return made;
  }();
  return *logger;
}

// A text value is quoted when a reader could not tell where it ends.
bool NeedsQuotes(std::string_view value) {
  if (value.empty()) return true;
  for (char c : value) {
    if (c == ' ' || c == '"' || c == '=' || c == '\\' || static_cast<unsigned char>(c) < 0x20) {
      return true;
    }
  }
  return false;
}

void AppendQuoted(std::string& out, std::string_view value) {
  out += '"';
  for (char c : value) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out += c;
    }
  }
  out += '"';
}

}  // namespace

LogField::LogField(std::string_view k, double v) : key(k), number(true) {
  if (!std::isfinite(v)) {
    value = "null";
    return;
  }
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  value = ec == std::errc() ? std::string(buf, end) : "null";
}

void ConfigureLog(LogLevel level, LogFormat format) {
  g_format = format;
  Logger().set_pattern(Pattern(format), spdlog::pattern_time_type::utc);
  Logger().set_level(ToSpdlog(level));
}

absl::Status ParseLogLevel(std::string_view text, LogLevel* level) {
  if (text == "debug")
    *level = LogLevel::kDebug;
  else if (text == "info")
    *level = LogLevel::kInfo;
  else if (text == "warn")
    *level = LogLevel::kWarn;
  else if (text == "error")
    *level = LogLevel::kError;
  else if (text == "off")
    *level = LogLevel::kOff;
  else {
    return absl::InvalidArgumentError("log level '" + std::string(text) +
                                      "' is none of debug, info, warn, error, off");
  }
  return absl::OkStatus();
}

absl::Status ParseLogFormat(std::string_view text, LogFormat* format) {
  if (text == "text")
    *format = LogFormat::kText;
  else if (text == "json")
    *format = LogFormat::kJson;
  else {
    return absl::InvalidArgumentError("log format '" + std::string(text) +
                                      "' is neither text nor json");
  }
  return absl::OkStatus();
}

bool LogEnabled(LogLevel level) { return Logger().should_log(ToSpdlog(level)); }

namespace {

template <typename Fields>
std::string FormatFields(LogFormat format, std::string_view event, const Fields& fields) {
  if (format == LogFormat::kJson) {
    // The pattern opens the object with ts and level; this is the rest of it, unbraced.
    std::string out = "\"event\":" + nlohmann::json(std::string(event)).dump();
    for (const LogField& field : fields) {
      out += ',';
      out += nlohmann::json(field.key).dump();
      out += ':';
      if (field.number) {
        out += field.value;
      } else {
        // Replace, not throw, on bytes that are not UTF-8 (a peer address never is, a
        // plugin's message might be).
        out += nlohmann::json(field.value)
                   .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      }
    }
    return out + "}";
  }
  std::string out(event);
  for (const LogField& field : fields) {
    out += ' ';
    out += field.key;
    out += '=';
    if (!field.number && NeedsQuotes(field.value)) {
      AppendQuoted(out, field.value);
    } else {
      out += field.value;
    }
  }
  return out;
}

template <typename Fields>
void LogFields(LogLevel level, std::string_view event, const Fields& fields) {
  try {
    spdlog::logger& logger = Logger();
    if (!logger.should_log(ToSpdlog(level))) return;
    const LogFormat format = g_format.load();
    std::string line = format == LogFormat::kJson
                           ? std::string("\"level\":\"") + LevelName(level) + "\","
                           : std::string(LevelName(level)) + " ";
    line += FormatFields(format, event, fields);
    logger.log(ToSpdlog(level), line);
  } catch (...) {
    // A log line is never worth an exception in the caller's thread.
  }
}

}  // namespace

std::string FormatLogLine(LogFormat format, std::string_view event,
                          std::initializer_list<LogField> fields) {
  return FormatFields(format, event, fields);
}

void Log(LogLevel level, std::string_view event, std::initializer_list<LogField> fields) {
  LogFields(level, event, fields);
}

void Log(LogLevel level, std::string_view event, const std::vector<LogField>& fields) {
  LogFields(level, event, fields);
}

}  // namespace okr
