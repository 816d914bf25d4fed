#include "mailpath/logs/envelope.h"

#include <gtest/gtest.h>

#include "mailpath/logs/log_timestamp.h"

namespace mailpath::logs {
namespace {

// 2026-11-22T12:00:00Z
constexpr std::int64_t kNow = (20779LL * 86400 + 12 * 3600) * 1000000;

std::int64_t Us(int y, unsigned m, unsigned d, int h, int mi, int s) {
  return ((DaysFromCivil(y, m, d) * 24 + h) * 60 + mi) * 60 * 1000000LL + s * 1000000LL;
}

// 2026-01-03T09:12:44Z, the stamp of most examples below.
const std::int64_t kJan3 = Us(2026, 1, 3, 9, 12, 44);

TEST(DaysFromCivil, known_dates) {
  EXPECT_EQ(0, DaysFromCivil(1970, 1, 1));
  EXPECT_EQ(20779, DaysFromCivil(2026, 11, 22));
  EXPECT_EQ(11016, DaysFromCivil(2000, 2, 29));
}

struct Case {
  const char* name;
  const char* line;
  EnvelopeFormat format;
  const char* host;
  const char* ident;
  const char* message;
  std::int64_t ts;
};

// One real example per shape a mail host writes (docs/logs.md lists them).
// Personal details are replaced by documentation values.
TEST(ParseEnvelope, every_envelope_a_mail_host_writes) {
  const Case cases[] = {
      // RFC 3164 section 4.1.2: "Mmm dd" with a space-padded day; sysklogd, rsyslog's
      // RSYSLOG_TraditionalFileFormat.
      {"rfc3164 space-padded day",
       "Jan  3 09:12:44 mx1 postfix/smtpd[123]: connect from a[192.0.2.4]",
       EnvelopeFormat::kRfc3164, "mx1", "postfix/smtpd", "connect from a[192.0.2.4]", kJan3},
      // Some syslog daemons (busybox syslogd, some appliances) write the day unpadded with one
      // space.
      {"rfc3164 unpadded day",
       "Aug 4 16:47:52 mx postfix/smtpd[31152]: connect from unknown[192.0.2.10]",
       EnvelopeFormat::kRfc3164, "mx", "postfix/smtpd", "connect from unknown[192.0.2.10]",
       Us(2026, 8, 4, 16, 47, 52)},
      // journalctl -o short (systemd journalctl(1)): zero-padded day, host, tag.
      {"journalctl short",
       "Jan 03 09:12:44 mx.example.com postfix/smtpd[2101]: connect from unknown[192.0.2.10]",
       EnvelopeFormat::kRfc3164, "mx.example.com", "postfix/smtpd",
       "connect from unknown[192.0.2.10]", kJan3},
      // journalctl -o short-precise: the same with microseconds.
      {"journalctl short-precise",
       "Jan 03 09:12:44.123456 mx.example.com postfix/smtpd[2101]: connect from "
       "unknown[192.0.2.10]",
       EnvelopeFormat::kRfc3164, "mx.example.com", "postfix/smtpd",
       "connect from unknown[192.0.2.10]", kJan3 + 123456},
      // journalctl -o short-iso (systemd 246+ prints "+0000"; newer ones "+00:00").
      {"journalctl short-iso",
       "2026-01-03T10:12:44+0100 mx.example.com postfix/qmgr[2102]: 3F2A1B2C3D: removed",
       EnvelopeFormat::kRfc3339, "mx.example.com", "postfix/qmgr", "3F2A1B2C3D: removed", kJan3},
      // journalctl -o short-iso-precise.
      {"journalctl short-iso-precise",
       "2026-01-03T09:12:44.123456+0000 mx.example.com dovecot[880]: imap-login: Login: "
       "user=<alice>",
       EnvelopeFormat::kRfc3339, "mx.example.com", "dovecot", "imap-login: Login: user=<alice>",
       kJan3 + 123456},
      // journalctl -o short-full: weekday, date and zone abbreviation (locale-independent).
      {"journalctl short-full",
       "Sat 2026-01-03 09:12:44 UTC mx.example.com postfix/smtpd[2101]: connect from x[192.0.2.1]",
       EnvelopeFormat::kJournalFull, "mx.example.com", "postfix/smtpd", "connect from x[192.0.2.1]",
       kJan3},
      // journalctl -o short-unix: seconds since the epoch with microseconds.
      {"journalctl short-unix",
       "1767431564.123456 mx.example.com postfix/smtpd[2101]: connect from x[192.0.2.1]",
       EnvelopeFormat::kJournalUnix, "mx.example.com", "postfix/smtpd", "connect from x[192.0.2.1]",
       kJan3 + 123456},
      // rsyslog RSYSLOG_FileFormat, Debian 12's and 13's default for /var/log/mail.log.
      {"rsyslog file format",
       "2026-01-03T09:12:44.123456+00:00 mx1 postfix/submission/smtpd[148]: lost connection after "
       "STARTTLS",
       EnvelopeFormat::kRfc3339, "mx1", "postfix/submission/smtpd",
       "lost connection after STARTTLS", kJan3 + 123456},
      // syslog-ng ts-format(iso), its default for file destinations in many distributions.
      {"syslog-ng iso", "2026-01-03T11:12:44+02:00 mx1 dovecot[5]: imap-login: Login: user=<a>",
       EnvelopeFormat::kRfc3339, "mx1", "dovecot", "imap-login: Login: user=<a>", kJan3},
      // rsyslog RSYSLOG_SyslogProtocol23Format keeps the message's leading space: two spaces after
      // "- -".
      {"rsyslog rfc5424 template",
       "<22>1 2026-01-03T09:12:44.123456+00:00 mx.example.com postfix/smtpd 2101 - -  connect from "
       "unknown[192.0.2.10]",
       EnvelopeFormat::kRfc5424, "mx.example.com", "postfix/smtpd",
       "connect from unknown[192.0.2.10]", kJan3 + 123456},
      {"rsyslog rfc5424 template, dovecot",
       "<22>1 2026-01-03T09:12:46.000101+00:00 mx.example.com dovecot 880 - -  imap-login: Login: "
       "user=<a>",
       EnvelopeFormat::kRfc5424, "mx.example.com", "dovecot", "imap-login: Login: user=<a>",
       kJan3 + 2 * 1000000 + 101},
      // rsyslog's default stops APP-NAME at "/" (parser.permitSlashInProgramName off).
      {"rsyslog rfc5424, app-name without daemon",
       "<22>1 2026-01-03T09:12:44Z mx.example.com postfix 2101 - -  connect from "
       "unknown[192.0.2.10]",
       EnvelopeFormat::kRfc5424, "mx.example.com", "postfix", "connect from unknown[192.0.2.10]",
       kJan3},
      // RFC 5424 section 6.5, example 3 (structured data, then a BOM before the message).
      {"rfc5424 structured data",
       "<165>1 2026-01-03T09:12:44.003Z mx1 postfix/smtp 123 ID47 [exampleSDID@32473 iut=\"3\" "
       "x=\"a\\]b\"][y@1] "
       "\xEF\xBB\xBFstatus=sent",
       EnvelopeFormat::kRfc5424, "mx1", "postfix/smtp", "status=sent", kJan3 + 3000},
      {"rfc5424 nil host and no message", "<22>1 2026-01-03T09:12:44Z - postfix/smtp 1 - -",
       EnvelopeFormat::kRfc5424, "", "postfix/smtp", "", kJan3},
      // rsyslog RSYSLOG_ForwardFormat / RSYSLOG_TraditionalForwardFormat: "<PRI>" then a file-style
      // line.
      {"forward format with pri",
       "<22>2026-01-03T09:12:44.123456+00:00 mx1 postfix/smtpd[2101]: connect from x[192.0.2.1]",
       EnvelopeFormat::kRfc3339, "mx1", "postfix/smtpd", "connect from x[192.0.2.1]",
       kJan3 + 123456},
      {"traditional forward format with pri",
       "<22>Jan  3 09:12:44 mx1 postfix/smtpd[2101]: connect from x[192.0.2.1]",
       EnvelopeFormat::kRfc3164, "mx1", "postfix/smtpd", "connect from x[192.0.2.1]", kJan3},
      // Postfix 3.4+ maillog_file (postlogd; util/msg_logger.c: strftime "%b %d %H:%M:%S").
      {"postfix maillog_file", "Nov 02 13:29:05 mx1 postfix/qmgr[9]: 3F2A1B2C3D: removed",
       EnvelopeFormat::kRfc3164, "mx1", "postfix/qmgr", "3F2A1B2C3D: removed",
       Us(2026, 11, 2, 13, 29, 5)},
      {"december read in november belongs to last year", "Dec 31 23:59:59 h postfix/pickup[1]: x",
       EnvelopeFormat::kRfc3164, "h", "postfix/pickup", "x", Us(2025, 12, 31, 23, 59, 59)},
      // Dovecot log_path (lib/failures.c; log_timestamp default "%b %d %H:%M:%S ").
      {"dovecot log_path", "Nov 22 13:29:05 imap-login: Info: Login: user=<alice>, method=PLAIN",
       EnvelopeFormat::kDovecotFile, "", "dovecot",
       "imap-login: Info: Login: user=<alice>, method=PLAIN", Us(2026, 11, 22, 13, 29, 5)},
      {"dovecot log_path post-login",
       "Nov 22 13:29:05 imap(alice)<12><sess>: Info: Disconnected: Logged out in=1",
       EnvelopeFormat::kDovecotFile, "", "dovecot",
       "imap(alice)<12><sess>: Info: Disconnected: Logged out in=1", Us(2026, 11, 22, 13, 29, 5)},
      {"dovecot log_path, session id with a slash",
       "Nov 22 00:03:05 lmtp(bob@example.net)<44458><3DXSp+BL/c3jAAAg>: Info: "
       "msgid=<a@example.org>: saved mail to INBOX",
       EnvelopeFormat::kDovecotFile, "", "dovecot",
       "lmtp(bob@example.net)<44458><3DXSp+BL/c3jAAAg>: Info: msgid=<a@example.org>: saved mail to "
       "INBOX",
       Us(2026, 11, 22, 0, 3, 5)},
      // Dovecot with log_timestamp = "%Y-%m-%d %H:%M:%S " (a common setting; local time).
      {"dovecot log_path iso stamp", "2026-01-03 09:12:44 imap-login: Info: Login: user=<alice>",
       EnvelopeFormat::kDovecotFile, "", "dovecot", "imap-login: Info: Login: user=<alice>", kJan3},
      // daemontools multilog / s6-log "t": a TAI64N label before the program's own line
      // (Postfix with maillog_file=/dev/stdout under s6 or runit).
      {"tai64n before a postlog line",
       "@400000006958dd96075bca00 Jan 03 09:12:44 mx postfix/smtpd[2101]: connect from "
       "x[192.0.2.1]",
       EnvelopeFormat::kTai64n, "mx", "postfix/smtpd", "connect from x[192.0.2.1]", kJan3 + 123456},
      {"tai64n before a bare tag",
       "@400000006958dd96075bca00 postfix/smtpd[2101]: connect from x[192.0.2.1]",
       EnvelopeFormat::kTai64n, "", "postfix/smtpd", "connect from x[192.0.2.1]", kJan3 + 123456},
      // journalctl -o short-monotonic and short-delta: seconds since boot, no wall-clock time.
      {"journalctl short-monotonic",
       "[ 1234.567890] mx.example.com postfix/smtpd[2101]: connect from x[192.0.2.1]",
       EnvelopeFormat::kJournalMonotonic, "mx.example.com", "postfix/smtpd",
       "connect from x[192.0.2.1]", 0},
      {"journalctl short-delta",
       "[ 1234.567890 <    0.000123>] mx.example.com postfix/smtpd[2101]: connect from "
       "x[192.0.2.1]",
       EnvelopeFormat::kJournalMonotonic, "mx.example.com", "postfix/smtpd",
       "connect from x[192.0.2.1]", 0},
      // Kubernetes CRI container logs (/var/log/pods, kubelet's CRI logging format): the runtime's
      // stamp,
      // the stream and a full/partial flag before the container's own line (Postfix with
      // maillog_file=/dev/stdout).
      {"kubernetes cri",
       "2026-01-03T09:12:44.123456789Z stdout F Jan 03 09:12:44 mx postfix/smtpd[2101]: connect "
       "from x[192.0.2.1]",
       EnvelopeFormat::kCri, "mx", "postfix/smtpd", "connect from x[192.0.2.1]", kJan3 + 123456},
      {"kubernetes cri, dovecot on stderr",
       "2026-01-03T09:12:44.123456789Z stderr F Jan 03 09:12:44 imap-login: Info: Login: "
       "user=<alice>",
       EnvelopeFormat::kCri, "", "dovecot", "imap-login: Info: Login: user=<alice>",
       kJan3 + 123456},
      // A UTF-8 BOM at the start of a file (editors, some Windows collectors).
      {"bom", "\xEF\xBB\xBFJan  3 09:12:44 mx1 postfix/smtpd[123]: connect from a[192.0.2.4]",
       EnvelopeFormat::kRfc3164, "mx1", "postfix/smtpd", "connect from a[192.0.2.4]", kJan3},
      // A hostless classic line (some embedded syslog daemons).
      {"rfc3164 without host", "Jan  3 09:12:44 postfix/smtpd[123]: connect from a[192.0.2.4]",
       EnvelopeFormat::kRfc3164, "", "postfix/smtpd", "connect from a[192.0.2.4]", kJan3},
      // A file written on Windows or through a CRLF relay.
      {"crlf", "Jan  3 09:12:44 mx1 postfix/smtpd[123]: connect from a[192.0.2.4]\r",
       EnvelopeFormat::kRfc3164, "mx1", "postfix/smtpd", "connect from a[192.0.2.4]", kJan3},
      {"foreign program", "Jan  3 09:12:44 mx1 CRON[77]: (root) CMD (true)",
       EnvelopeFormat::kRfc3164, "mx1", "CRON", "(root) CMD (true)", kJan3},
      {"tag without pid", "Jan  3 09:12:44 mx1 kernel: oops", EnvelopeFormat::kRfc3164, "mx1",
       "kernel", "oops", kJan3},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const Envelope env = ParseEnvelope(c.line, kNow);
    EXPECT_EQ(static_cast<int>(c.format), static_cast<int>(env.format));
    EXPECT_EQ(c.host, env.host);
    EXPECT_EQ(c.ident, env.ident);
    EXPECT_EQ(c.message, env.message);
    EXPECT_EQ(c.ts, env.timestamp_us);
  }
}

TEST(ParseEnvelope, stamps_without_zone_are_local_time_plus_the_offset) {
  EXPECT_EQ(kJan3,
            ParseEnvelope("Jan  3 10:12:44 mx1 postfix/smtpd[1]: x", kNow, 3600).timestamp_us);
  EXPECT_EQ(kJan3, ParseEnvelope("Sat 2026-01-03 10:12:44 CET mx1 postfix/smtpd[1]: x", kNow, 3600)
                       .timestamp_us);
  EXPECT_EQ(kJan3, ParseEnvelope("Sat 2026-01-03 09:12:44 UTC mx1 postfix/smtpd[1]: x", kNow, 3600)
                       .timestamp_us);
  EXPECT_EQ(kJan3,
            ParseEnvelope("2026-01-03T09:12:44Z mx1 postfix/smtpd[1]: x", kNow, 3600).timestamp_us);
}

TEST(ParseEnvelope, malformed_lines) {
  for (const char* line : {"",
                           "garbage",
                           "Foo  3 09:12:44 h p[1]: m",
                           "Jan  3 09:12 h p: m",
                           "Jan  3 09:12:44",
                           "Jan 33 09:12:44 h p[1]: m",
                           "2026-13-03T09:12:44Z h p[1]: m",
                           "Jan  3 09:12:44. h p[1]: m",
                           "<22>1",
                           "<999999>1 - h p 1 - - m",
                           "\0\0\0",
                           "Jan  3 09:12:44 host-only",
                           "2026-01-03T09:12:44Z h no colon here",
                           "<1>1 2026-01-03T09:12:44Z h p 1 - [unterminated",
                           "<1>1 2026-01-03T09:12:44Z h p 1 - -x",
                           "12345 h p[1]: m",
                           "@4000 h p[1]: m",
                           "@zz00000069590a4c0754d4a8 p[1]: m",
                           "Sat 2026-01-03 09:12:44 h",
                           "<22><22>1 x",
                           "-- not a marker",
                           "[x] h p[1]: m",
                           "[ 12.5] no tag here",
                           "2026-01-03T09:12:44Z stdout F",
                           "2026-01-03T09:12:44Z stdout F garbage"}) {
    SCOPED_TRACE(line);
    EXPECT_EQ(static_cast<int>(EnvelopeFormat::kMalformed),
              static_cast<int>(ParseEnvelope(line, kNow).format));
  }
}

TEST(IsFramingOnly, blank_lines_and_journal_markers_are_not_log_lines) {
  for (const char* line :
       {"", " ", "\t ", "\r", "-- Boot 0f3c2b1a9d8e4f7a6b5c4d3e2f1a0b9c --", "-- No entries --",
        "-- Reboot --",
        "-- Logs begin at Sat 2026-01-03 09:00:00 UTC, end at Sat 2026-01-03 10:00:00 UTC. --"}) {
    SCOPED_TRACE(line);
    EXPECT_TRUE(IsFramingOnly(line));
  }
  for (const char* line : {"garbage", "-- half", "Jan  3 09:12:44 mx1 postfix/smtpd[1]: x", "--"}) {
    SCOPED_TRACE(line);
    EXPECT_FALSE(IsFramingOnly(line));
  }
}

TEST(SplitIdent, postfix_dovecot_and_foreign) {
  struct IdentCase {
    const char* ident;
    Program program;
    const char* instance;
    const char* service;
    const char* daemon;
  };
  const IdentCase cases[] = {
      {"postfix/smtpd", Program::kPostfix, "postfix", "smtpd", "smtpd"},
      {"postfix/submission/smtpd", Program::kPostfix, "postfix", "submission", "smtpd"},
      {"postfix/relay/smtp", Program::kPostfix, "postfix", "relay", "smtp"},
      {"postfix-out/smtp", Program::kPostfix, "postfix-out", "smtp", "smtp"},
      {"postfix-out/smtps/smtpd", Program::kPostfix, "postfix-out", "smtps", "smtpd"},
      {"dovecot", Program::kDovecot, "dovecot", "dovecot", "dovecot"},
      {"dovecot-lab", Program::kDovecot, "dovecot-lab", "dovecot", "dovecot"},
      {"postfix", Program::kPostfix, "postfix", "", ""},
      {"postfix/", Program::kForeign, "", "", ""},
      {"opendkim", Program::kForeign, "", "", ""},
      {"CRON", Program::kForeign, "", "", ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.ident);
    LogRecord r;
    SplitIdent(c.ident, r);
    EXPECT_EQ(static_cast<int>(c.program), static_cast<int>(r.program));
    if (c.program != Program::kForeign) {
      EXPECT_EQ(c.instance, r.instance);
      EXPECT_EQ(c.service, r.service);
      EXPECT_EQ(c.daemon, r.daemon);
    }
  }
}

TEST(ParseLogLine, fills_record_from_envelope_and_ident) {
  LogRecord r;
  ASSERT_TRUE(ParseLogLine(
      "2026-01-03T09:12:44.000001+00:00 mx1 postfix/submission/smtpd[1]: hello", kNow, r));
  EXPECT_EQ(Program::kPostfix, r.program);
  EXPECT_EQ("submission", r.service);
  EXPECT_EQ("hello", r.message);
  EXPECT_EQ(kJan3 + 1, r.timestamp_us);
  EXPECT_FALSE(ParseLogLine("not a log line", kNow, r));
}

TEST(ParseLogLine, a_tag_without_daemon_takes_it_from_the_message) {
  struct DaemonCase {
    const char* line;
    Program program;
    const char* daemon;
  };
  const DaemonCase cases[] = {
      {"<22>1 2026-01-03T09:12:44Z mx postfix 2101 - -  connect from unknown[192.0.2.10]",
       Program::kPostfix, "smtpd"},
      {"<22>1 2026-01-03T09:12:44Z mx postfix 2101 - -  3F2A1B2C3D: to=<alice@example.net>, "
       "relay=mx.example.net[198.51.100.7]:25, delay=1, delays=0.1/0/0.4/0.5, dsn=2.0.0, "
       "status=sent (250 ok)",
       Program::kPostfix, "smtp"},
      {"<22>1 2026-01-03T09:12:44Z mx postfix 2101 - -  something no rule knows", Program::kPostfix,
       "unknown"},
      {"<22>1 2026-01-03T09:12:44Z mx postfix-out 2101 - -  connect from unknown[192.0.2.10]",
       Program::kPostfix, "smtpd"},
      // Not Postfix's own: a policy daemon whose name starts with "postfix".
      {"Jan  3 09:12:44 mx postfix-policyd-spf-perl[77]: prepend Received-SPF: Pass",
       Program::kForeign, ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.line);
    LogRecord r;
    ASSERT_TRUE(ParseLogLine(c.line, kNow, r));
    EXPECT_EQ(static_cast<int>(c.program), static_cast<int>(r.program));
    if (c.program == Program::kPostfix) {
      EXPECT_EQ(c.daemon, r.daemon);
      EXPECT_EQ(c.daemon, r.service);
    }
  }
}

}  // namespace
}  // namespace mailpath::logs

namespace mailpath::logs {
namespace {

// ParseRfc3339Stamp remembers the last minute it read; the answers must be the same as without it.
TEST(ParseRfc3339Stamp, lines_of_one_minute_in_a_row_read_the_same_as_alone) {
  std::int64_t a = 0, b = 0, c = 0, d = 0;
  ASSERT_EQ(32u, ParseRfc3339Stamp("2026-01-03T09:12:44.123456+00:00", a));
  ASSERT_EQ(32u, ParseRfc3339Stamp("2026-01-03T09:12:59.000001+00:00", b));
  ASSERT_EQ(25u, ParseRfc3339Stamp("2026-01-03T09:12:05+01:00", c));
  EXPECT_EQ(0u, ParseRfc3339Stamp("2026-01-03T09:12:7x+00:00", d)) << "same minute, broken seconds";
  EXPECT_EQ(0u, ParseRfc3339Stamp("2026-01-03T09:12:61+00:00", d))
      << "same minute, seconds out of range";
  EXPECT_EQ(0u, ParseRfc3339Stamp("2026-01-03T09:12:44", d)) << "same minute, no zone";
  EXPECT_EQ(kJan3 + 123456, a);
  EXPECT_EQ(kJan3 + 15 * 1000000LL + 1, b);
  EXPECT_EQ(kJan3 - 39 * 1000000LL - 3600 * 1000000LL, c);
  std::int64_t e = 0;
  ASSERT_EQ(25u, ParseRfc3339Stamp("2026-01-03T09:13:00+00:00", e));
  EXPECT_EQ(kJan3 + 16 * 1000000LL, e);
}

}  // namespace
}  // namespace mailpath::logs
