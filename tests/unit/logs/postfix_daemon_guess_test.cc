#include "mailpath/logs/postfix_daemon_guess.h"

#include <gtest/gtest.h>

namespace mailpath::logs {
namespace {

// Messages as Postfix 3.7/3.10 write them (the fixtures under
// tests/fixtures/logs/postfix/ hold the same shapes with their tags).
TEST(GuessPostfixDaemon, known_shapes_name_their_daemon) {
  struct Case {
    const char* message;
    const char* daemon;
  };
  const Case cases[] = {
      {"connect from unknown[192.0.2.10]", "smtpd"},
      {"disconnect from unknown[192.0.2.10] ehlo=1 quit=1 commands=2", "smtpd"},
      {"lost connection after STARTTLS from unknown[192.0.2.10]", "smtpd"},
      {"timeout after DATA (102400 bytes) from unknown[192.0.2.10]", "smtpd"},
      {"NOQUEUE: reject: RCPT from unknown[192.0.2.10]: 554 5.7.1 <a@example.com>: Relay access "
       "denied; "
       "from=<b@example.org> to=<a@example.com> proto=ESMTP helo=<x>",
       "smtpd"},
      {"warning: unknown[192.0.2.10]: SASL LOGIN authentication failed: UGFzc3dvcmQ6", "smtpd"},
      {"Anonymous TLS connection established from unknown[192.0.2.10]: TLSv1.3 with cipher "
       "TLS_AES_256_GCM_SHA384 "
       "(256/256 bits)",
       "smtpd"},
      {"3F2A1B2C3D: client=unknown[192.0.2.10], sasl_method=PLAIN, sasl_username=alice@example.com",
       "smtpd"},
      {"Verified TLS connection established to mx.example.net[198.51.100.7]:25: TLSv1.3 with "
       "cipher "
       "TLS_AES_256_GCM_SHA384 (256/256 bits)",
       "smtp"},
      {"connect to mx.example.net[198.51.100.7]:25: Connection timed out", "smtp"},
      {"3F2A1B2C3D: to=<alice@example.net>, relay=mx.example.net[198.51.100.7]:25, delay=1, "
       "delays=0.1/0/0.4/0.5, "
       "dsn=2.0.0, status=sent (250 2.0.0 Ok)",
       "smtp"},
      {"3F2A1B2C3D: to=<bob@example.com>, relay=none, delay=0.1, delays=0.1/0/0/0, dsn=5.4.4, "
       "status=bounced "
       "(Host or domain name not found)",
       "smtp"},
      {"3F2A1B2C3D: to=<bob@example.com>, relay=local, delay=0.1, delays=0.1/0/0/0, dsn=2.0.0, "
       "status=sent "
       "(delivered to mailbox)",
       "local"},
      {"3F2A1B2C3D: to=<bob@example.com>, relay=virtual, delay=0.1, delays=0.1/0/0/0, dsn=2.0.0, "
       "status=sent "
       "(delivered to maildir)",
       "virtual"},
      {"3F2A1B2C3D: to=<bob@example.com>, relay=mx.example.com[private/dovecot-lmtp], delay=0.1, "
       "delays=0.1/0/0/0, dsn=2.0.0, status=sent (250 2.0.0 Saved)",
       "lmtp"},
      {"3F2A1B2C3D: to=<bob@example.com>, relay=dovecot, delay=0.1, delays=0.1/0/0/0, dsn=2.0.0, "
       "status=sent "
       "(delivered via dovecot service)",
       "pipe"},
      {"3F2A1B2C3D: from=<alice@example.com>, size=1234, nrcpt=1 (queue active)", "qmgr"},
      {"3F2A1B2C3D: from=<>, status=expired, returned to sender", "qmgr"},
      {"3F2A1B2C3D: removed", "qmgr"},
      {"3F2A1B2C3D: message-id=<20260103091244.3F2A1B2C3D@mx.example.com>", "cleanup"},
      {"3F2A1B2C3D: milter-reject: END-OF-MESSAGE from unknown[192.0.2.10]: 5.7.1 rejected; "
       "from=<a@example.org> "
       "to=<b@example.com>",
       "cleanup"},
      {"3F2A1B2C3D: uid=0 from=<root>", "pickup"},
      {"3F2A1B2C3D: sender non-delivery notification: 4B5C6D7E8F", "bounce"},
      {"CONNECT from [192.0.2.10]:41234 to [203.0.113.5]:25", "postscreen"},
      {"PASS NEW [192.0.2.10]:41234", "postscreen"},
      {"DNSBL rank 3 for [192.0.2.10]:41234", "postscreen"},
      {"NOQUEUE: reject: RCPT from [192.0.2.10]:41234: 550 5.7.1 Service unavailable; client "
       "[192.0.2.10] blocked "
       "using zen.spamhaus.org; from=<a@example.org>, to=<b@example.com>, proto=ESMTP, helo=<x>",
       "postscreen"},
      {"statistics: max connection rate 11/60s for (smtpd:192.0.2.10) at Jan  3 09:12:44", "anvil"},
      {"warning: process /usr/lib/postfix/sbin/smtpd pid 4471 exit status 1", "master"},
      {"warning: /usr/lib/postfix/sbin/smtpd: bad command startup -- throttling", "master"},
      {"warning: service \"smtp\" (25) has reached its process limit \"100\": new clients may "
       "experience "
       "noticeable delays",
       "master"},
      {"daemon started -- version 3.7.11, configuration /etc/postfix", "master"},
      {"Deleted: 6 messages", "postsuper"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.message);
    EXPECT_EQ(c.daemon, GuessPostfixDaemon(c.message));
  }
}

TEST(GuessPostfixDaemon, unknown_shapes_name_none) {
  for (const char* m :
       {"", "something else", "statistics: start interval Jan  3 09:12:44",
        "statistics: max simultaneous domains=1 addresses=1 connection=1",
        "x: client=", "3F2A1B2C3D: from=<a@example.com>", "prepend Received-SPF: Pass"}) {
    SCOPED_TRACE(m);
    EXPECT_EQ("", GuessPostfixDaemon(m));
  }
}

}  // namespace
}  // namespace mailpath::logs
