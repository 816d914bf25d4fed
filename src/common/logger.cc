#include "mailpath/common/logger.h"

#include <cstdio>
#include <ctime>

namespace mailpath {
namespace {

std::string_view LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarn:
      return "warn";
    case LogLevel::kError:
      return "error";
  }
  return "info";
}

void AppendJsonString(std::string& out, std::string_view s) {
  out += '"';
  for (unsigned char c : s) {
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
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}

bool NeedsQuoting(std::string_view s) {
  if (s.empty()) return true;
  for (unsigned char c : s) {
    if (c <= ' ' || c == '"' || c == '=' || c == '\\' || c >= 0x7f) return true;
  }
  return false;
}

void AppendLogfmtValue(std::string& out, std::string_view s) {
  if (NeedsQuoting(s)) {
    AppendJsonString(out, s);
  } else {
    out += s;
  }
}

std::string Rfc3339Millis(std::chrono::system_clock::time_point tp) {
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(tp.time_since_epoch()).count();
  const std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(ms % 1000));
  return buf;
}

}  // namespace

Result<LogLevel> ParseLogLevel(std::string_view text) {
  if (text == "debug") return LogLevel::kDebug;
  if (text == "info") return LogLevel::kInfo;
  if (text == "warn") return LogLevel::kWarn;
  if (text == "error") return LogLevel::kError;
  return Error{"expected one of debug, info, warn, error, got '" + std::string(text) + "'"};
}

Result<LogFormat> ParseLogFormat(std::string_view text) {
  if (text == "logfmt") return LogFormat::kLogfmt;
  if (text == "json") return LogFormat::kJson;
  return Error{"expected logfmt or json, got '" + std::string(text) + "'"};
}

std::string FormatLogRecord(LogFormat format, std::string_view time, LogLevel level,
                            std::string_view msg, const LogFields& fields) {
  std::string out;
  if (format == LogFormat::kJson) {
    out += "{\"time\":";
    AppendJsonString(out, time);
    out += ",\"level\":";
    AppendJsonString(out, LevelName(level));
    out += ",\"msg\":";
    AppendJsonString(out, msg);
    for (const auto& [k, v] : fields) {
      out += ',';
      AppendJsonString(out, k);
      out += ':';
      AppendJsonString(out, v);
    }
    out += '}';
  } else {
    out += "time=";
    out += time;
    out += " level=";
    out += LevelName(level);
    out += " msg=";
    AppendLogfmtValue(out, msg);
    for (const auto& [k, v] : fields) {
      out += ' ';
      out += k;
      out += '=';
      AppendLogfmtValue(out, v);
    }
  }
  out += '\n';
  return out;
}

Logger::Logger(std::ostream& out, LogLevel level, LogFormat format, WallClock clock)
    : out_(out), level_(level), format_(format), clock_(std::move(clock)) {}

void Logger::Log(LogLevel level, std::string_view msg, const LogFields& fields) {
  if (level < level_) return;
  std::string line = FormatLogRecord(format_, Rfc3339Millis(clock_()), level, msg, fields);
  std::lock_guard<std::mutex> lock(mu_);
  out_ << line << std::flush;
}

bool Logger::LogEvery(std::string_view key, std::chrono::seconds interval, LogLevel level,
                      std::string_view msg, const LogFields& fields) {
  const auto now = clock_();
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = last_logged_.find(key);
    if (it != last_logged_.end() && now - it->second < interval) return false;
    last_logged_[std::string(key)] = now;
  }
  Log(level, msg, fields);
  return true;
}

}  // namespace mailpath
