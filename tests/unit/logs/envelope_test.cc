#include "mailpath/logs/envelope.h"

#include <gtest/gtest.h>

namespace mailpath::logs {
namespace {

// 2026-11-22T12:00:00Z
constexpr std::int64_t kNow = (20779LL * 86400 + 12 * 3600) * 1000000;

std::int64_t Us(int y, unsigned m, unsigned d, int h, int mi, int s) {
  return ((DaysFromCivil(y, m, d) * 24 + h) * 60 + mi) * 60 * 1000000LL + s * 1000000LL;
}

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

TEST(ParseEnvelope, every_format) {
  const Case cases[] = {
      {"rfc3164 space-padded day", "Jan  3 09:12:44 mx1 postfix/smtpd[123]: connect from a[1.2.3.4]",
       EnvelopeFormat::kRfc3164, "mx1", "postfix/smtpd", "connect from a[1.2.3.4]", Us(2026, 1, 3, 9, 12, 44)},
      {"postlog zero-padded day", "Nov 02 13:29:05 mx1 postfix/qmgr[9]: ABC: removed",
       EnvelopeFormat::kRfc3164, "mx1", "postfix/qmgr", "ABC: removed", Us(2026, 11, 2, 13, 29, 5)},
      {"december read in january belongs to last year... here november so same year",
       "Dec 31 23:59:59 h postfix/pickup[1]: x", EnvelopeFormat::kRfc3164, "h", "postfix/pickup", "x",
       Us(2025, 12, 31, 23, 59, 59)},
      {"rfc3339 debian 12 default",
       "2026-01-03T09:12:44.123456+00:00 mx1 postfix/submission/smtpd[148]: lost connection after STARTTLS",
       EnvelopeFormat::kRfc3339, "mx1", "postfix/submission/smtpd", "lost connection after STARTTLS",
       Us(2026, 1, 3, 9, 12, 44) + 123456},
      {"rfc3339 offset", "2026-01-03T11:12:44+02:00 mx1 dovecot[5]: imap-login: Login: user=<a>",
       EnvelopeFormat::kRfc3339, "mx1", "dovecot", "imap-login: Login: user=<a>", Us(2026, 1, 3, 9, 12, 44)},
      {"rfc5424", "<22>1 2026-01-03T09:12:44.5Z mx1 postfix/smtp 123 - - status=sent",
       EnvelopeFormat::kRfc5424, "mx1", "postfix/smtp", "status=sent", Us(2026, 1, 3, 9, 12, 44) + 500000},
      {"rfc5424 structured data", "<22>1 2026-01-03T09:12:44Z mx1 postfix/smtp 123 ID1 [a b=\"c\\]\"][d] msg",
       EnvelopeFormat::kRfc5424, "mx1", "postfix/smtp", "msg", Us(2026, 1, 3, 9, 12, 44)},
      {"dovecot log_path", "Nov 22 13:29:05 imap-login: Info: Login: user=<alice>, method=PLAIN",
       EnvelopeFormat::kDovecotFile, "", "dovecot", "imap-login: Info: Login: user=<alice>, method=PLAIN",
       Us(2026, 11, 22, 13, 29, 5)},
      {"dovecot log_path post-login", "Nov 22 13:29:05 imap(alice)<12><sess>: Info: Disconnected: Logged out in=1",
       EnvelopeFormat::kDovecotFile, "", "dovecot", "imap(alice)<12><sess>: Info: Disconnected: Logged out in=1",
       Us(2026, 11, 22, 13, 29, 5)},
      {"foreign program", "Jan  3 09:12:44 mx1 CRON[77]: (root) CMD (true)", EnvelopeFormat::kRfc3164, "mx1",
       "CRON", "(root) CMD (true)", Us(2026, 1, 3, 9, 12, 44)},
      {"tag without pid", "Jan  3 09:12:44 mx1 kernel: oops", EnvelopeFormat::kRfc3164, "mx1", "kernel", "oops",
       Us(2026, 1, 3, 9, 12, 44)},
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

TEST(ParseEnvelope, malformed_lines) {
  for (const char* line : {"", "garbage", "Foo  3 09:12:44 h p[1]: m", "Jan  3 09:12 h p: m", "Jan  3 09:12:44",
                           "Jan 33 09:12:44 h p[1]: m", "2026-13-03T09:12:44Z h p[1]: m", "2026-01-03T09:12:44 h p: m",
                           "<22>1", "<999999>1 - h p 1 - - m", "\0\0\0", "Jan  3 09:12:44 host-only",
                           "2026-01-03T09:12:44Z h no colon here", "<1>1 2026-01-03T09:12:44Z h p 1 - [unterminated"}) {
    SCOPED_TRACE(line);
    EXPECT_EQ(static_cast<int>(EnvelopeFormat::kMalformed), static_cast<int>(ParseEnvelope(line, kNow).format));
  }
}

TEST(SplitIdent, postfix_dovecot_and_foreign) {
  struct IdentCase { const char* ident; Program program; const char* instance; const char* service; const char* daemon; };
  const IdentCase cases[] = {
      {"postfix/smtpd", Program::kPostfix, "postfix", "smtpd", "smtpd"},
      {"postfix/submission/smtpd", Program::kPostfix, "postfix", "submission", "smtpd"},
      {"postfix/relay/smtp", Program::kPostfix, "postfix", "relay", "smtp"},
      {"postfix-out/smtp", Program::kPostfix, "postfix-out", "smtp", "smtp"},
      {"postfix-out/smtps/smtpd", Program::kPostfix, "postfix-out", "smtps", "smtpd"},
      {"dovecot", Program::kDovecot, "dovecot", "dovecot", "dovecot"},
      {"dovecot-lab", Program::kDovecot, "dovecot-lab", "dovecot", "dovecot"},
      {"postfix", Program::kForeign, "", "", ""},
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
  ASSERT_TRUE(ParseLogLine("2026-01-03T09:12:44.000001+00:00 mx1 postfix/submission/smtpd[1]: hello", kNow, r));
  EXPECT_EQ(Program::kPostfix, r.program);
  EXPECT_EQ("submission", r.service);
  EXPECT_EQ("hello", r.message);
  EXPECT_EQ(Us(2026, 1, 3, 9, 12, 44) + 1, r.timestamp_us);
  EXPECT_FALSE(ParseLogLine("not a log line", kNow, r));
}

}  // namespace
}  // namespace mailpath::logs
