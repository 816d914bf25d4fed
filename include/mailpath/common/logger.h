#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mailpath/common/result.h"

namespace mailpath {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };
enum class LogFormat { kLogfmt, kJson };

/// Parses "debug|info|warn|error"; anything else is an Error naming it.
[[nodiscard]] Result<LogLevel> ParseLogLevel(std::string_view text);
/// Parses "logfmt|json"; anything else is an Error naming it.
[[nodiscard]] Result<LogFormat> ParseLogFormat(std::string_view text);

using LogFields = std::vector<std::pair<std::string, std::string>>;

/// Formats one structured log record (promslog style: time, level, msg, then
/// fields). Pure: the timestamp comes in as an argument.
[[nodiscard]] std::string FormatLogRecord(LogFormat format, std::string_view time, LogLevel level,
                                          std::string_view msg, const LogFields& fields);

/// A thread-safe structured logger writing one line per record.
class Logger {
 public:
  using WallClock = std::function<std::chrono::system_clock::time_point()>;

  Logger(
      std::ostream& out, LogLevel level, LogFormat format,
      WallClock clock = [] { return std::chrono::system_clock::now(); });

  void Log(LogLevel level, std::string_view msg, const LogFields& fields = {});
  void Debug(std::string_view msg, const LogFields& f = {}) { Log(LogLevel::kDebug, msg, f); }
  void Info(std::string_view msg, const LogFields& f = {}) { Log(LogLevel::kInfo, msg, f); }
  void Warn(std::string_view msg, const LogFields& f = {}) { Log(LogLevel::kWarn, msg, f); }
  void Error(std::string_view msg, const LogFields& f = {}) { Log(LogLevel::kError, msg, f); }

  /// Logs at most once per `interval` for each `key` (a degraded source that
  /// fails on every scrape must not flood the journal). Returns true if logged.
  bool LogEvery(std::string_view key, std::chrono::seconds interval, LogLevel level,
                std::string_view msg, const LogFields& fields = {});

  [[nodiscard]] LogLevel level() const { return level_; }

 private:
  std::ostream& out_;
  const LogLevel level_;
  const LogFormat format_;
  WallClock clock_;
  std::mutex mu_;  // guards out_ and last_logged_
  std::map<std::string, std::chrono::system_clock::time_point, std::less<>> last_logged_;
};

}  // namespace mailpath
