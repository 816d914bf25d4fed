// Property: whatever bytes arrive as log lines, the exposition of the log
// families stays valid for Prometheus (issue 15). Real lines are mutated with
// invalid UTF-8, NUL, CR, control bytes and random bytes at random places,
// then fed through the envelope parser and both classifiers; every scrape is
// checked with CheckTextFormat. The fuzz target log_line_fuzz checks the same
// property with coverage guidance.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "mailpath/logs/classify/dovecot_collector.h"
#include "mailpath/logs/classify/postfix_collector.h"
#include "mailpath/logs/envelope.h"
#include "mailpath/metrics/exposition.h"
#include "mailpath/metrics/text_format_check.h"

namespace mailpath::logs {
namespace {

constexpr std::int64_t kNow = 1795354145000000;  // 2026-11-22

const char* const kLines[] = {
    "2026-05-02T10:00:02.000001+00:00 mx postfix/submission/smtpd[2201]: warning: "
    "unknown[192.0.2.70]: SASL PLAIN "
    "authentication failed: authentication failure, sasl_username=alice@example.com",
    "2026-05-02T10:00:02.000001+00:00 mx postfix/smtpd[2201]: 3F2A1B2C3D: "
    "client=unknown[192.0.2.70], "
    "sasl_method=PLAIN, sasl_username=alice@example.com",
    "2026-05-02T10:00:02.000001+00:00 mx postfix/smtp[2202]: 3F2A1B2C3D: to=<bob@example.net>, "
    "relay=mx.example.net[198.51.100.7]:25, delay=0.9, delays=0.1/0/0.4/0.4, dsn=4.7.0, "
    "status=deferred (host "
    "mx.example.net[198.51.100.7] said: 421 4.7.0 Try again later, closing connection. (in reply "
    "to MAIL FROM command))",
    "2026-05-02T10:00:02.000001+00:00 mx postfix/smtpd[2201]: warning: Connection rate limit "
    "exceeded: 61 from "
    "unknown[192.0.2.70] for service smtp",
    "2026-05-02T10:00:02.000001+00:00 mx postfix/smtpd[2201]: warning: problem talking to server "
    "private/policy: Connection refused",
    "2026-05-02T10:00:02.000001+00:00 mx postfix/smtpd[2201]: Anonymous TLS connection established "
    "from "
    "unknown[192.0.2.70]: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)",
    "Jan 03 09:12:46.000101 mx.example.com dovecot[880]: imap-login: Login: "
    "user=<alice@example.com>, method=PLAIN, "
    "rip=198.51.100.7, lip=203.0.113.5, mpid=3301, TLS, session=<Ab1Cd2Ef3Gh4>",
    "Jan 03 09:12:46 mx dovecot[880]: pop3-login: Disconnected: Inactivity (auth failed, 1 "
    "attempts in 178 secs): "
    "user=<bob>, method=PLAIN, rip=192.0.2.44, lip=203.0.113.5, session=<Xy>",
    "<22>1 2026-01-03T09:12:44Z mx postfix 2101 - -  connect from unknown[192.0.2.10]",
};

std::string Mutate(std::string line, std::mt19937& rng) {
  static const std::string kNasty[] = {"\xFC", "\xC0\xAF", "\xED\xA0\x80",     std::string(1, '\0'),
                                       "\r",   "\x1B[31m", "\xC2\x85",         "\"",
                                       "\\",   "}",        "\xF4\x90\x80\x80", "\xE2\x82"};
  const int edits = 1 + static_cast<int>(rng() % 4);
  for (int e = 0; e < edits; ++e) {
    const std::size_t at = rng() % (line.size() + 1);
    if (rng() % 3 == 0) {
      line.insert(at, 1, static_cast<char>(rng() % 256));
    } else {
      line.insert(at, kNasty[rng() % std::size(kNasty)]);
    }
  }
  return line;
}

TEST(HostileBytes, exposition_stays_valid_whatever_the_log_lines_hold) {
  classify::PostfixCollector postfix;
  classify::DovecotCollector dovecot;
  std::mt19937 rng(15);
  for (int round = 0; round < 40; ++round) {
    for (int i = 0; i < 200; ++i) {
      const std::string line = Mutate(kLines[rng() % std::size(kLines)], rng);
      LogRecord r;
      if (!ParseLogLine(line, kNow, r)) continue;
      postfix.Consume(r);
      dovecot.Consume(r);
    }
    std::vector<prometheus::MetricFamily> families;
    postfix.Collect(families);
    dovecot.Collect(families);
    const std::string text = metrics::SerializeText(families);
    ASSERT_EQ("", metrics::CheckTextFormat(text)) << "round " << round;
  }
}

TEST(HostileBytes, the_sasl_user_of_issue_15_gives_a_valid_exposition) {
  classify::PostfixCollector postfix;
  LogRecord r;
  const std::string line =
      "2026-05-02T10:00:02.000001+00:00 mx postfix/submission/smtpd[2201]: warning: "
      "unknown[192.0.2.70]: SASL "
      "PLAIN authentication failed: authentication failure, sasl_username=j\xFCrgen@example.com";
  ASSERT_TRUE(ParseLogLine(line, kNow, r));
  postfix.Consume(r);
  std::vector<prometheus::MetricFamily> families;
  postfix.Collect(families);
  const std::string text = metrics::SerializeText(families);
  EXPECT_EQ("", metrics::CheckTextFormat(text));
  EXPECT_NE(std::string::npos, text.find("j\xEF\xBF\xBDrgen@example.com")) << text;
}

}  // namespace
}  // namespace mailpath::logs
