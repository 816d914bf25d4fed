#include <gtest/gtest.h>

#include "mailpath/logs/classify/delivery_reason.h"
#include "mailpath/logs/classify/postfix_event.h"

namespace mailpath::logs::classify {
namespace {

struct Case {
  const char* name;
  const char* daemon;
  const char* message;
  PostfixKind kind;
  const char* a = "";  // expected stage/reason/status depending on kind (checked when non-empty)
};

std::string_view Key(const PostfixEvent& ev) {
  switch (ev.kind) {
    case PostfixKind::kSessionEnd:
      return ev.stage;
    case PostfixKind::kReject:
      return ev.stage;
    case PostfixKind::kAnvilLimit:
      return ev.reason;
    case PostfixKind::kAnvilStatistics:
      return ev.reason;
    case PostfixKind::kTlsHandshakeFailure:
      return ev.cause;
    case PostfixKind::kTlsLibraryProblem:
      return ev.cause;
    case PostfixKind::kTlsEstablished:
      return ev.protocol;
    case PostfixKind::kSaslFailure:
      return ev.method;
    case PostfixKind::kClientAccepted:
      return ev.method;
    case PostfixKind::kDelivery:
      return ev.status;
    case PostfixKind::kCleanupAction:
      return ev.reason;
    case PostfixKind::kPostsuper:
      return ev.reason;
    case PostfixKind::kPolicyFailure:
      return ev.text;
    case PostfixKind::kImproperPipelining:
      return ev.stage;
    default:
      return "";
  }
}

// Lines observed from Postfix 3.7 on loopback (shared notes §3), plus labelled version forms.
TEST(ClassifyPostfix, real_lines_per_daemon) {
  const Case cases[] = {
      {"anvil concurrency", "smtpd",
       "warning: Connection concurrency limit exceeded: 5 from unknown[127.0.0.21] for service "
       "smtpd",
       PostfixKind::kAnvilLimit, "connection_count"},
      {"anvil rate", "smtpd",
       "warning: Connection rate limit exceeded: 9 from unknown[127.0.0.22] for service smtpd",
       PostfixKind::kAnvilLimit, "connection_rate"},
      {"anvil message rate", "smtpd",
       "warning: Message delivery request rate limit exceeded: 5 from unknown[127.0.0.23] for "
       "service smtpd",
       PostfixKind::kAnvilLimit, "message_rate"},
      {"anvil recipient rate", "smtpd",
       "warning: Recipient address rate limit exceeded: 7 from unknown[127.0.0.24] for service "
       "smtpd",
       PostfixKind::kAnvilLimit, "recipient_rate"},
      {"anvil newtls", "smtpd",
       "warning: New TLS session rate limit exceeded: 5 from unknown[127.0.0.25] for service "
       "submission",
       PostfixKind::kAnvilLimit, "newtls_rate"},
      {"anvil auth", "smtpd",
       "warning: AUTH command rate limit exceeded: 4 from unknown[127.0.0.26] for service smtps",
       PostfixKind::kAnvilLimit, "auth_rate"},
      {"refusing starttls", "smtpd",
       "warning: Refusing STARTTLS request from unknown[127.0.0.25] for service submission",
       PostfixKind::kStarttlsRefused},
      {"anvil statistics", "anvil",
       "statistics: max connection rate 11/60s for (smtpd:127.0.0.22) at Nov 22 13:29:33",
       PostfixKind::kAnvilStatistics, "connection_rate"},
      {"anvil statistics count", "anvil",
       "statistics: max connection count 5 for (smtpd:127.0.0.21) at Nov 22 13:29:33",
       PostfixKind::kAnvilStatistics, "connection_count"},
      {"anvil cache size", "anvil", "statistics: max cache size 18 at Nov 22 13:29:33",
       PostfixKind::kKnownIgnored},
      {"policy refused", "smtpd", "warning: connect to 127.0.0.1:10099: Connection refused",
       PostfixKind::kPolicyFailure, "Connection refused"},
      {"policy timeout", "smtpd",
       "warning: problem talking to server 127.0.0.1:10097: Connection timed out",
       PostfixKind::kPolicyFailure, "Connection timed out"},
      {"reject policy down", "smtpd",
       "NOQUEUE: reject: RCPT from unknown[127.0.0.50]: 451 4.3.5 <u@refused.policy.test>: "
       "Recipient address rejected: Server configuration problem; from=<alice@lab.test> "
       "to=<u@refused.policy.test> proto=ESMTP helo=<vm>",
       PostfixKind::kReject, "RCPT"},
      {"reject unknown user", "smtpd",
       "NOQUEUE: reject: RCPT from unknown[127.0.0.13]: 550 5.1.1 <nobody@lab.test>: Recipient "
       "address rejected: User unknown in virtual mailbox table; from=<alice@lab.test> "
       "to=<nobody@lab.test> proto=ESMTP helo=<vm>",
       PostfixKind::kReject, "RCPT"},
      {"hold by access", "smtpd",
       "NOQUEUE: hold: RCPT from unknown[127.0.0.14]: <unknown[127.0.0.14]>: Client host triggers "
       "HOLD action; from=<alice@lab.test> to=<bob@lab.test> proto=ESMTP helo=<vm>",
       PostfixKind::kReject, "RCPT"},
      {"sasl success", "smtpd",
       "7B2D8112145: client=unknown[127.0.0.40], sasl_method=PLAIN, sasl_username=alice@lab.test",
       PostfixKind::kClientAccepted, "PLAIN"},
      {"sasl failure 3.7", "smtpd",
       "warning: unknown[127.0.0.40]: SASL PLAIN authentication failed: (reason unavailable), "
       "sasl_username=alice@lab.test",
       PostfixKind::kSaslFailure, "PLAIN"},
      {"sasl failure pre-3.9", "smtpd",
       "warning: unknown[1.2.3.4]: SASL LOGIN authentication failed: UGFzc3dvcmQ6",
       PostfixKind::kSaslFailure, "LOGIN"},
      {"connect", "smtpd", "connect from unknown[127.0.0.40]", PostfixKind::kConnect},
      {"disconnect", "smtpd",
       "disconnect from unknown[127.0.0.40] ehlo=2 starttls=1 auth=0/1 quit=1 commands=4/5",
       PostfixKind::kDisconnect},
      {"tls established 3.7", "smtpd",
       "Anonymous TLS connection established from unknown[127.0.0.10]: TLSv1.3 with cipher "
       "TLS_AES_256_GCM_SHA384 (256/256 bits) key-exchange X25519 server-signature RSA-PSS (2048 "
       "bits) server-digest SHA256",
       PostfixKind::kTlsEstablished, "TLSv1.3"},
      {"tls established with SNI", "smtpd",
       "Untrusted TLS connection established from x[1.2.3.4] to mx.example: TLSv1.2 with cipher "
       "ECDHE-RSA-AES256-GCM-SHA384 (256/256 bits)",
       PostfixKind::kTlsEstablished, "TLSv1.2"},
      {"starttls lost", "smtpd", "SSL_accept error from unknown[127.0.0.41]: lost connection",
       PostfixKind::kTlsHandshakeFailure, "lost_connection"},
      {"starttls stall", "smtpd", "SSL_accept error from unknown[127.0.0.42]: Connection timed out",
       PostfixKind::kTlsHandshakeFailure, "timeout"},
      {"smtps -1", "smtpd", "SSL_accept error from localhost[127.0.0.1]: -1",
       PostfixKind::kTlsHandshakeFailure, "protocol_error"},
      {"tls library unknown ca", "smtpd",
       "warning: TLS library problem: error:0A000418:SSL routines::tlsv1 alert unknown "
       "ca:../ssl/record/rec_layer_s3.c:1601:SSL alert number 48:",
       PostfixKind::kTlsLibraryProblem, "unknown_ca"},
      {"tls library wrong version", "smtpd",
       "warning: TLS library problem: error:0A00010B:SSL routines::wrong version "
       "number:../ssl/record/ssl3_record.c:350:",
       PostfixKind::kTlsLibraryProblem, "wrong_version_number"},
      {"lost after STARTTLS", "smtpd", "lost connection after STARTTLS from unknown[127.0.0.41]",
       PostfixKind::kSessionEnd, "STARTTLS"},
      {"3.10 NOQUEUE lost after STARTTLS", "smtpd",
       "NOQUEUE: lost connection after STARTTLS from unknown[1.2.3.4]", PostfixKind::kSessionEnd,
       "STARTTLS"},
      {"3.10 queue id timeout after DATA", "smtpd",
       "4F2A1112345: timeout after DATA (8192 bytes) from x[1.2.3.4]", PostfixKind::kSessionEnd,
       "DATA"},
      {"too many errors", "smtpd", "too many errors after RCPT from x[1.2.3.4]",
       PostfixKind::kSessionEnd, "RCPT"},
      {"pipelining", "smtpd",
       "improper command pipelining after EHLO from unknown[127.0.0.41]: STARTTLS\\r\\n",
       PostfixKind::kImproperPipelining, "EHLO"},
      {"fcrdns", "smtpd",
       "warning: hostname mail.example does not resolve to address 1.2.3.4: Name or service not "
       "known",
       PostfixKind::kFcrdnsError},
      {"remote 450 4.7.1", "smtp",
       "96E4D112156: to=<u@throttle-rcpt.test>, relay=127.0.0.1[127.0.0.1]:10025, delay=0.02, "
       "delays=0/0.01/0/0.01, dsn=4.7.1, status=deferred (host 127.0.0.1[127.0.0.1] said: 450 "
       "4.7.1 <u@throttle-rcpt.test>: Recipient address rejected: too many messages, slow down "
       "(lab) (in reply to RCPT TO command))",
       PostfixKind::kDelivery, "deferred"},
      {"sent lmtp", "lmtp",
       "3BDDA112119: to=<alice@lab.test>, relay=mx.lab.test[private/dovecot-lmtp], delay=0.04, "
       "delays=0.01/0.01/0.01/0.01, dsn=2.0.0, status=sent (250 2.0.0 <alice@lab.test> "
       "2XftDyHuAmvuKAAAg+zDdQ Saved)",
       PostfixKind::kDelivery, "sent"},
      {"3.11 tls field", "smtp",
       "1A2B3C4D5E: to=<u@example.com>, relay=mx.example.com[5.6.7.8]:25, delay=1.2, "
       "delays=0.1/0/0.5/0.6, tls=may, dsn=2.0.0, status=sent (250 2.0.0 OK)",
       PostfixKind::kDelivery, "sent"},
      {"smtp connect refused", "smtp", "connect to 127.0.0.1[127.0.0.1]:2: Connection refused",
       PostfixKind::kConnectFailure},
      {"smtp tls to", "smtp",
       "Verified TLS connection established to mx.example.com[5.6.7.8]:25: TLSv1.3 with cipher "
       "TLS_AES_256_GCM_SHA384 (256/256 bits)",
       PostfixKind::kTlsEstablished, "TLSv1.3"},
      {"qmgr inserted", "qmgr",
       "48973112119: from=<carol@lab.test>, size=409, nrcpt=1 (queue active)",
       PostfixKind::kQmgrInserted},
      {"qmgr removed", "qmgr", "3BDDA112119: removed", PostfixKind::kQmgrRemoved},
      {"qmgr expired", "qmgr", "79E65112151: from=<a@b>, status=expired, returned to sender",
       PostfixKind::kQmgrExpired},
      {"qmgr force-expired", "qmgr",
       "79E65112151: from=<a@b>, status=force-expired, returned to sender",
       PostfixKind::kQmgrExpired},
      {"qmgr active queue warning", "qmgr",
       "warning: mail for example.com is using up 4001 of 20000 active queue entries",
       PostfixKind::kQmgrActiveQueueWarning},
      {"qmgr suspended", "qmgr",
       "A1B2C3D4E5: to=<u@dead.test>, relay=none, delay=30, delays=30/0/0/0, dsn=4.4.1, "
       "status=deferred (delivery temporarily suspended: connect to dead.test[1.2.3.4]:25: "
       "Connection refused)",
       PostfixKind::kDelivery, "deferred"},
      {"cleanup message-id", "cleanup", "3BDDA112119: message-id=<20261122132903.010252@vm>",
       PostfixKind::kCleanupMessage},
      {"cleanup hold", "cleanup",
       "DDDEF112166: hold: header Subject: LABHOLD test from unknown[127.0.0.14]; "
       "from=<alice@lab.test> to=<bob@lab.test> proto=ESMTP helo=<vm>: held by header_checks (lab)",
       PostfixKind::kCleanupAction, "hold"},
      {"cleanup milter-reject", "cleanup",
       "ABCDE12345: milter-reject: END-OF-MESSAGE from x[1.2.3.4]: 5.7.1 Spam; from=<a@b> to=<c@d> "
       "proto=ESMTP helo=<x>",
       PostfixKind::kCleanupAction, "milter-reject"},
      {"bounce ndr", "bounce", "C0219112161: sender non-delivery notification: C11A7112163",
       PostfixKind::kBounceNotification},
      {"postsuper per message", "postsuper", "F2861112169: placed on hold",
       PostfixKind::kKnownIgnored},
      {"postsuper hold summary", "postsuper", "Placed on hold: 1 message", PostfixKind::kPostsuper,
       "hold"},
      {"postsuper delete summary (3.7, -d ALL)", "postsuper", "Deleted: 6 messages",
       PostfixKind::kPostsuper, "delete"},
      {"pickup", "pickup", "758A9112061: uid=0 from=<carol@lab.test>", PostfixKind::kPickup},
      {"postscreen connect", "postscreen", "CONNECT from [127.0.0.10]:46907 to [127.0.0.1]:25",
       PostfixKind::kPostscreen},
      {"unknown smtpd", "smtpd", "something entirely new", PostfixKind::kUnsupported},
      {"unknown warning", "smtpd", "warning: something odd", PostfixKind::kUnsupported},
      {"garbage daemon", "frobnicator", "x", PostfixKind::kUnsupported},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const PostfixEvent ev = ClassifyPostfix(c.daemon, c.message);
    EXPECT_EQ(static_cast<int>(c.kind), static_cast<int>(ev.kind));
    if (*c.a) {
      EXPECT_EQ(c.a, Key(ev));
    }
  }
}

TEST(ClassifyPostfix, postscreen_events_both_wordings) {
  struct P {
    const char* line;
    const char* want;
  };
  const P cases[] = {
      {"PASS NEW [127.0.0.10]:46907", "pass_new"},
      {"PASS OLD [127.0.0.10]:41715", "pass_old"},
      {"PREGREET 81 after 0 from [127.0.0.30]:38883: EHLO pregreet.test\\r\\n", "pregreet"},
      {"DNSBL rank 3 for [1.2.3.4]:5555", "dnsbl"},
      {"HANGUP after 0.5 from [127.0.0.32]:41257 in tests before SMTP handshake", "hangup"},
      {"COMMAND TIME LIMIT from [1.2.3.4]:5 after RCPT", "command_time_limit"},
      {"COMMAND COUNT LIMIT from [1.2.3.4]:5 after RCPT", "command_count_limit"},
      {"COMMAND LENGTH LIMIT from [1.2.3.4]:5 after RCPT", "command_length_limit"},
      {"COMMAND PIPELINING from [127.0.0.30]:38883 after EHLO: MAIL FROM:<a@pregreet.test>\\r\\n",
       "command_pipelining"},
      {"NON-SMTP COMMAND from [1.2.3.4]:5 after CONNECT: GET / HTTP/1.1", "non_smtp_command"},
      {"BARE NEWLINE from [1.2.3.4]:5 after DATA", "bare_newline"},
      {"DATA without valid RCPT from [1.2.3.4]:5", "data_without_rcpt"},
      {"BDAT without valid RCPT from [1.2.3.4]:5", "data_without_rcpt"},
      {"ALLOWLISTED [1.2.3.4]:5", "allowlisted"},
      {"WHITELISTED [1.2.3.4]:5", "allowlisted"},  // Postfix < 3.6
      {"DENYLISTED [127.0.0.31]:56553", "denylisted"},
      {"BLACKLISTED [1.2.3.4]:5", "denylisted"},  // Postfix < 3.6
      {"ALLOWLIST VETO [1.2.3.4]:5", "allowlist_veto"},
      {"WHITELIST VETO [1.2.3.4]:5", "allowlist_veto"},  // Postfix < 3.6
      {"NOQUEUE: reject: CONNECT from [127.0.0.27]:34937: too many connections",
       "too_many_connections"},
      {"NOQUEUE: reject: CONNECT from [1.2.3.4]:5: all server ports busy", "all_ports_busy"},
      {"reject: connect from [1.2.3.4]:5: all screening ports busy", "all_ports_busy"},
      {"NOQUEUE: reject: RCPT from [127.0.0.30]:38883: 550 5.5.1 Protocol error; "
       "from=<a@pregreet.test>, to=<alice@lab.test>, proto=ESMTP, helo=<pregreet.test>",
       "reject"},
      {"DISCONNECT [127.0.0.27]:34937", "disconnect"},
      {"entering STRESS mode with 70 connections", "stress_enter"},
      {"leaving STRESS mode with 20 connections", "stress_leave"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.line);
    const PostfixEvent ev = ClassifyPostfix("postscreen", c.line);
    ASSERT_EQ(static_cast<int>(PostfixKind::kPostscreen), static_cast<int>(ev.kind));
    EXPECT_EQ(c.want, ev.reason);
  }
}

TEST(ClassifyPostfix, fields_of_delivery_and_reject) {
  PostfixEvent ev =
      ClassifyPostfix("smtp",
                      "8CDB7112154: to=<u@stall.test>, relay=127.0.0.1[127.0.0.1]:10029, delay=15, "
                      "delays=0/0.5/15/0.25, dsn=4.4.2, "
                      "status=deferred (conversation with 127.0.0.1[127.0.0.1] timed out while "
                      "receiving the initial server greeting)");
  ASSERT_EQ(PostfixKind::kDelivery, ev.kind);
  EXPECT_EQ("u@stall.test", ev.recipient);
  EXPECT_EQ("4.4.2", ev.dsn);
  ASSERT_TRUE(ev.has_delays);
  EXPECT_DOUBLE_EQ(0.5, ev.delays[1]);
  EXPECT_DOUBLE_EQ(15, ev.delays[2]);
  EXPECT_EQ("greeting_timeout", ev.cause);
  EXPECT_EQ("deferred", ev.status);
  EXPECT_EQ("smtp", ev.agent);

  ev = ClassifyPostfix(
      "smtpd",
      "NOQUEUE: reject: RCPT from unknown[127.0.0.44]: 554 5.7.1 <unknown[127.0.0.44]>: "
      "Client host rejected: Access denied; from=<alice@lab.test> to=<bob@lab.test> proto=ESMTP "
      "helo=<vm>");
  EXPECT_EQ("554", ev.code);
  EXPECT_EQ("5.7.1", ev.dsn);
  EXPECT_EQ("127.0.0.44", ev.client);
  EXPECT_EQ("client_restriction", ev.cause) << "the classifier returns the final reason label";
  EXPECT_EQ("RCPT", ev.stage);
  EXPECT_EQ("reject", ev.reason);
}

}  // namespace
}  // namespace mailpath::logs::classify

namespace mailpath::logs::classify {
namespace {

// Found by tests/fuzz/log_line_fuzz: an anvil-shaped warning without " from ".
TEST(ClassifyPostfix, truncated_lines_never_throw) {
  for (const char* m : {"warning: Connection rate limit exceeded: 5",
                        "warning: x limit exceeded: ", "warning: Refusing STARTTLS request from ",
                        "warning: a authentication failed: : SASL ", "NOQUEUE: reject: RCPT",
                        "warning: connect to ", "Anonymous TLS connection established "}) {
    for (const char* daemon : {"smtpd", "smtp", "postscreen", "qmgr", "cleanup", "anvil"}) {
      EXPECT_NO_THROW((void)ClassifyPostfix(daemon, m)) << daemon << ": " << m;
    }
  }
  EXPECT_EQ(ClassifyPostfix("smtpd", "warning: Connection rate limit exceeded: 5").kind,
            PostfixKind::kAnvilLimit);
}

}  // namespace
}  // namespace mailpath::logs::classify

namespace mailpath::logs::classify {
namespace {

TEST(SplitAnvilKey, services_and_addresses_with_colons) {
  struct Case {
    const char* key;
    const char* service;
    const char* address;
  };
  for (const Case& c :
       {Case{"smtpd:127.0.0.22", "smtpd", "127.0.0.22"},
        Case{"127.0.0.1:51103:127.0.0.1", "127.0.0.1:51103", "127.0.0.1"},  // observed, 3.7
        Case{"submission:2001:db8::1", "submission", "2001:db8::1"},
        Case{"127.0.0.1:25:2001:db8::1", "127.0.0.1:25", "2001:db8::1"},
        Case{"[::1]:2525:::1", "[::1]:2525", "::1"}, Case{"smtpd", "smtpd", ""}}) {
    std::string_view service, address;
    SplitAnvilKey(c.key, service, address);
    EXPECT_EQ(service, c.service) << c.key;
    EXPECT_EQ(address, c.address) << c.key;
  }
}

}  // namespace
}  // namespace mailpath::logs::classify
