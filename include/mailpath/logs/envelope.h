#pragma once

#include <cstdint>
#include <string_view>

#include "mailpath/logs/log_record.h"

namespace mailpath::logs {

/// The framing a line arrived in. docs/logs.md lists every shape with an
/// example; tests/unit/logs/envelope_test.cc has a real line of each.
enum class EnvelopeFormat {
  kRfc3164,  // BSD syslog and its kin: "Jan  3 09:12:44 host prog[pid]: msg", "Jan 3 ...", "Jan 03
             // ..." (journalctl -o short, Postfix maillog_file), "Jan 03 09:12:44.123456 ..."
             // (short-precise); an optional "<PRI>" before the stamp (rsyslog's forwarding format)
  kRfc3339,  // "2026-01-03T09:12:44.123456+00:00 host prog[pid]: msg": rsyslog's file format
             // (Debian 12's default), syslog-ng ISO, journalctl -o short-iso and short-iso-precise
  kRfc5424,  // "<22>1 2026-01-03T09:12:44Z host app procid msgid [sd] msg" (RFC 5424 section 6)
  kDovecotFile,  // Dovecot's log_path: "Nov 22 13:29:05 imap-login: Info: Login: ..." (no host, no
                 // tag)
  kJournalFull,  // journalctl -o short-full: "Sat 2026-01-03 09:12:44 UTC host prog[pid]: msg"
  kJournalUnix,  // journalctl -o short-unix: "1767431564.123456 host prog[pid]: msg"
  kTai64n,       // daemontools/s6: "@4000000069590a4c0754d4a8 " before one of the shapes above, or
                 // before a bare "prog[pid]: msg"
  kJournalMonotonic,  // journalctl -o short-monotonic / short-delta: "[ 1234.567890] host
                      // prog[pid]: msg",
                      // "[ 1234.567890 <    0.000123>] ..."; no wall-clock time (timestamp 0)
  kCri,  // Kubernetes CRI container log: "2026-01-03T09:12:44.123456789Z stdout F " before one of
         // the shapes above (the container runtime's stamp is used)
  kMalformed,  // none of the above
};

/// A parsed envelope. Views point into the input line.
struct Envelope {
  EnvelopeFormat format = EnvelopeFormat::kMalformed;
  std::string_view host;
  std::string_view
      ident;  // syslog tag (RFC5424 APP-NAME) without [pid]: "postfix/submission/smtpd", "dovecot"
  std::string_view message;       // after "ident[pid]: ", leading spaces removed (rsyslog's RFC5424
                                  // templates keep one)
  std::int64_t timestamp_us = 0;  // UTC microseconds; 0 when the line had none usable
};

/// Parses one line's envelope, detecting the format. A trailing CR and a
/// leading UTF-8 BOM are ignored. Stamps with no year take the year from `now_us` (UTC); stamps
/// with no zone are UTC plus `local_offset_seconds` (log_timestamp.h). Pure.
[[nodiscard]] Envelope ParseEnvelope(std::string_view line, std::int64_t now_us,
                                     std::int32_t local_offset_seconds = 0);

/// True for a line that is framing, not a log line: empty or only blanks, or
/// one of journalctl's markers ("-- Boot 5a3c... --", "-- No entries --",
/// "-- Logs begin at ... --", "-- Reboot --"). Pure.
[[nodiscard]] bool IsFramingOnly(std::string_view line);

/// Splits a syslog tag into program, instance, service and daemon, and fills
/// those fields of `record` (message and timestamp are left alone):
///   "postfix/smtpd" -> postfix, instance "postfix", service "smtpd", daemon "smtpd"
///   "postfix/submission/smtpd" -> service "submission", daemon "smtpd"
///   "postfix-out/smtp" -> instance "postfix-out", service "smtp", daemon "smtp"
///   "postfix", "postfix-out" (no daemon: an RFC5424 APP-NAME from rsyslog,
///     whose default stops the program name at "/") -> Program::kPostfix with
///     empty service and daemon; ParseLogLine then takes them from the message
///   "dovecot", "dovecot-lab" (instance_name) -> Program::kDovecot
///   anything else -> Program::kForeign. Pure.
void SplitIdent(std::string_view ident, LogRecord& record);

/// SplitIdent, then, for a Postfix tag that named no daemon, the daemon the
/// shape of `record.message` shows (GuessPostfixDaemon) as service and
/// daemon; when no shape is known, both are "unknown" for the tag "postfix"
/// and the record is foreign for any other tag ("postfix-policyd-spf-perl"
/// is not Postfix's own). Used by ParseLogLine and the journal source. Pure.
void ResolveProgram(std::string_view ident, LogRecord& record);

/// Envelope + ResolveProgram in one step. Dovecot's own file format yields a
/// Dovecot record whose message is the whole text after the timestamp.
/// Returns false for a malformed line (IsFramingOnly tells the blank ones
/// apart). Pure.
[[nodiscard]] bool ParseLogLine(std::string_view line, std::int64_t now_us, LogRecord& record,
                                std::int32_t local_offset_seconds = 0);

}  // namespace mailpath::logs
