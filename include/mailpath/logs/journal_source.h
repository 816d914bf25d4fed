#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "mailpath/common/logger.h"
#include "mailpath/logs/log_record.h"

namespace mailpath::logs {

/// Reads the systemd journal through sd-journal: entries whose
/// SYSLOG_IDENTIFIER starts with "postfix" or "dovecot" (optionally only of
/// one unit), resuming from a saved cursor. Built only with libsystemd.
class JournalSource {
 public:
  using OnRecord = std::function<void(LogRecord& record)>;

  /// `matches` ("_SYSTEMD_UNIT=postfix@-.service", ...) are ORed; none reads
  /// every entry. Throws std::runtime_error with a clear message when the journal cannot
  /// be opened (for example the user is not in group systemd-journal).
  JournalSource(const std::string& directory, const std::vector<std::string>& matches,
                Logger& logger);
  ~JournalSource();

  /// Positions after `cursor`, or at the tail (head with from_beginning).
  void Start(const std::string& cursor, bool from_beginning);
  /// Hands every new matching entry to `on_record`. Returns entries read.
  std::size_t Poll(const OnRecord& on_record);
  [[nodiscard]] const std::string& cursor() const { return cursor_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string cursor_;
  Logger& logger_;
};

}  // namespace mailpath::logs
