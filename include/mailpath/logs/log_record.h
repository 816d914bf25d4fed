#pragma once

#include <cstdint>
#include <string_view>

namespace mailpath::logs {

/// Who wrote a line, as split from the syslog identifier.
///   "postfix/smtpd"            -> instance "postfix", service "smtpd", daemon "smtpd"
///   "postfix/submission/smtpd" -> instance "postfix", service "submission", daemon "smtpd"
///   "postfix-out/smtp"         -> instance "postfix-out", service "smtp", daemon "smtp"
///   "dovecot" (+ "imap-login: ..." in the message) -> instance "dovecot", daemon "dovecot"
enum class Program { kPostfix, kDovecot, kForeign };

/// One log line after the envelope (syslog/journal/postlog framing) has been
/// removed. Views point into the pipeline's buffer and are valid only during
/// the call that receives the record.
struct LogRecord {
  Program program = Program::kForeign;
  std::string_view instance;  // syslog_name's first part: "postfix", "postfix-out", "dovecot"
  std::string_view service;   // master.cf service name: "smtpd", "submission", "relay"
  std::string_view daemon;    // the program: "smtpd", "smtp", "qmgr", ... ("dovecot" for Dovecot)
  std::string_view message;   // text after "prog[pid]: "
  std::int64_t timestamp_us = 0;  // 0 when the envelope carried no usable time
};

/// A classifier fed by the log pipeline. Consume() is called from the
/// pipeline's thread only, one record at a time, in log order; Collect-side
/// readers must be synchronised by the implementation.
class RecordConsumer {
 public:
  virtual ~RecordConsumer() = default;
  virtual void Consume(const LogRecord& record) = 0;
};

}  // namespace mailpath::logs
