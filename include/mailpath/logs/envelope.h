#pragma once

#include <cstdint>
#include <string_view>

#include "mailpath/logs/log_record.h"

namespace mailpath::logs {

/// The framing a line arrived in.
enum class EnvelopeFormat {
  kRfc3164,     // "Jan  3 09:12:44 host prog[pid]: msg"; also Postfix's postlog/maillog_file ("Jan 03 ...")
  kRfc3339,     // rsyslog high precision, Debian 12's default: "2026-01-03T09:12:44.123456+00:00 host prog[pid]: msg"
  kRfc5424,     // "<22>1 2026-01-03T09:12:44Z host prog 123 - - msg"
  kDovecotFile, // Dovecot's log_path: "Nov 22 13:29:05 imap-login: Info: Login: ..." (no host, no tag)
  kMalformed,   // none of the above
};

/// A parsed envelope. Views point into the input line.
struct Envelope {
  EnvelopeFormat format = EnvelopeFormat::kMalformed;
  std::string_view host;
  std::string_view ident;    // syslog tag without [pid]: "postfix/submission/smtpd", "dovecot"
  std::string_view message;  // after "ident[pid]: "
  std::int64_t timestamp_us = 0;  // UTC microseconds; 0 when the line had none usable
};

/// Parses one line's envelope, detecting the format. RFC3164 and Dovecot
/// timestamps carry no year: `now_us` (UTC) supplies it, choosing the year
/// that puts the stamp at most ~one month in the future. RFC3164 stamps are
/// taken as UTC plus `local_offset_seconds`. Pure.
[[nodiscard]] Envelope ParseEnvelope(std::string_view line, std::int64_t now_us,
                                     std::int32_t local_offset_seconds = 0);

/// Splits a syslog tag into program, instance, service and daemon, and fills
/// those fields of `record` (message and timestamp are left alone):
///   "postfix/smtpd" -> postfix, instance "postfix", service "smtpd", daemon "smtpd"
///   "postfix/submission/smtpd" -> service "submission", daemon "smtpd"
///   "postfix-out/smtp" -> instance "postfix-out", service "smtp", daemon "smtp"
///   "dovecot", "dovecot-lab" (instance_name) -> Program::kDovecot
///   anything else -> Program::kForeign. Pure.
void SplitIdent(std::string_view ident, LogRecord& record);

/// Envelope + SplitIdent in one step. Dovecot's own file format yields a
/// Dovecot record whose message is the whole text after the timestamp.
/// Returns false for a malformed line. Pure.
[[nodiscard]] bool ParseLogLine(std::string_view line, std::int64_t now_us, LogRecord& record,
                                std::int32_t local_offset_seconds = 0);

/// Days since 1970-01-01 of a civil date (proleptic Gregorian). Pure.
[[nodiscard]] std::int64_t DaysFromCivil(int year, unsigned month, unsigned day);

}  // namespace mailpath::logs
