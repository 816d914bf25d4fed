#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "mailpath/logs/classify/dovecot_event.h"
#include "mailpath/logs/classify/openssl_reason.h"
#include "mailpath/logs/classify/postfix_event.h"

namespace mailpath::logs::classify {
namespace {

struct LoginFailureCase {
  const char* name;
  const char* line;
  DovecotLoginReason reason;
  DovecotTlsCause cause;
};

TEST(ClassifyDovecot, pre_auth_disconnect_reasons_across_versions) {
  const LoginFailureCase cases[] = {
      {"2.3.19 auth failed, logout",
       "imap-login: Info: Disconnected: Aborted login by logging out (auth failed, 1 attempts in 1 "
       "secs): "
       "user=<alice@lab.test>, method=PLAIN, rip=127.0.0.1, lip=127.0.0.1, TLS, session=<x>",
       DovecotLoginReason::kAuthFailed, DovecotTlsCause::kNone},
      {"2.3.19 auth failed, io error",
       "imap-login: Info: Disconnected: Connection closed: read(size=984) failed: Connection reset "
       "by peer "
       "(auth failed, 2 attempts in 5 secs): user=<bob>, method=PLAIN, rip=127.0.0.1, "
       "lip=127.0.0.1, secured, session=<x>",
       DovecotLoginReason::kAuthFailed, DovecotTlsCause::kNone},
      {"2.3.19 no auth attempts",
       "imap-login: Info: Disconnected: Connection closed (no auth attempts in 0 secs): user=<>, "
       "rip=127.0.0.1, "
       "lip=127.0.0.1, secured, session=<x>",
       DovecotLoginReason::kNoAuthAttempts, DovecotTlsCause::kNone},
      {"2.3.19 STARTTLS then close",
       "imap-login: Info: Disconnected: Connection closed (no auth attempts in 0 secs): user=<>, "
       "rip=127.0.0.1, "
       "lip=127.0.0.1, TLS handshaking: Connection closed, session=<x>",
       DovecotLoginReason::kTlsHandshake, DovecotTlsCause::kConnectionClosed},
      {"2.3.19 plaintext to TLS port",
       "imap-login: Info: Disconnected: Connection closed: SSL_accept() failed: error:0A00010B:SSL "
       "routines::wrong "
       "version number (no auth attempts in 0 secs): user=<>, rip=127.0.0.1, lip=127.0.0.1, TLS "
       "handshaking: "
       "SSL_accept() failed: error:0A00010B:SSL routines::wrong version number, session=<x>",
       DovecotLoginReason::kTlsHandshake, DovecotTlsCause::kWrongVersionNumber},
      {"2.3.19 old protocol",
       "imap-login: Disconnected: Connection closed: SSL_accept() failed: error:0A000102:SSL "
       "routines::unsupported "
       "protocol (no auth attempts in 0 secs): user=<>, rip=1.2.3.4, lip=1.2.3.5, TLS handshaking: "
       "SSL_accept() "
       "failed: error:0A000102:SSL routines::unsupported protocol, session=<x>",
       DovecotLoginReason::kTlsHandshake, DovecotTlsCause::kUnsupportedProtocol},
      {"2.3.19 client rejects our CA",
       "imap-login: Disconnected: Connection closed: SSL_accept() failed: error:0A000418:SSL "
       "routines::tlsv1 alert "
       "unknown ca: SSL alert number 48 (no auth attempts in 0 secs): user=<>, rip=1.2.3.4, "
       "lip=1.2.3.5, TLS "
       "handshaking: SSL_accept() failed: error:0A000418:SSL routines::tlsv1 alert unknown ca: SSL "
       "alert number 48, session=<x>",
       DovecotLoginReason::kTlsHandshake, DovecotTlsCause::kUnknownCa},
      {"2.3.19 user+IP limit",
       "imap-login: Info: Disconnected: Maximum number of connections from user+IP exceeded "
       "(mail_max_userip_connections=2): user=<bob@lab.test>, method=PLAIN, rip=127.0.0.1, "
       "lip=127.0.0.1, TLS, session=<x>",
       DovecotLoginReason::kUserIpLimit, DovecotTlsCause::kNone},
      {"2.3.19 plaintext disallowed",
       "imap-login: Login failed: Plaintext authentication disabled: user=<>, rip=127.0.0.62, "
       "lip=127.0.0.1, session=<x>",
       DovecotLoginReason::kPlaintextDisallowed, DovecotTlsCause::kNone},
      {"2.3.19 too many invalid commands",
       "imap-login: Info: Disconnected: Too many invalid commands (no auth attempts in 0 secs): "
       "user=<>, "
       "rip=127.0.0.1, lip=127.0.0.1, secured, session=<x>",
       DovecotLoginReason::kTooManyInvalidCommands, DovecotTlsCause::kNone},
      {"source: pop3 bad commands",
       "pop3-login: Disconnected: Too many bad commands (no auth attempts in 3 secs): user=<>, "
       "rip=1.2.3.4, lip=1.2.3.5, session=<x>",
       DovecotLoginReason::kTooManyInvalidCommands, DovecotTlsCause::kNone},
      {"source: connection queue full",
       "imap-login: Disconnected: Connection queue full (no auth attempts in 1 secs): user=<>, "
       "rip=1.2.3.4, "
       "lip=1.2.3.5, session=<x>",
       DovecotLoginReason::kConnectionQueueFull, DovecotTlsCause::kNone},
      {"source: inactivity",
       "imap-login: Disconnected: Inactivity (no auth attempts in 180 secs): user=<>, rip=1.2.3.4, "
       "lip=1.2.3.5, session=<x>",
       DovecotLoginReason::kInactivity, DovecotTlsCause::kNone},
      {"source: aborted authentication",
       "imap-login: Disconnected: Connection closed (client didn't finish SASL auth, waited 0 "
       "secs): user=<>, "
       "method=PLAIN, rip=1.2.3.4, lip=1.2.3.5, TLS, session=<x>",
       DovecotLoginReason::kAbortedAuthentication, DovecotTlsCause::kNone},
      {"source: disallowed plaintext in parens",
       "imap-login: Disconnected: Aborted login by logging out (tried to use disallowed plaintext "
       "auth): "
       "user=<>, rip=1.2.3.4, lip=1.2.3.5, session=<x>",
       DovecotLoginReason::kPlaintextDisallowed, DovecotTlsCause::kNone},
      {"2.3.14 no auth attempts",
       "imap-login: Disconnected (no auth attempts in 0 secs): user=<>, rip=1.2.3.4, lip=1.2.3.5, "
       "session=<x>",
       DovecotLoginReason::kNoAuthAttempts, DovecotTlsCause::kNone},
      {"2.3.14 TLS handshake closed",
       "imap-login: Disconnected (no auth attempts in 12 secs): user=<>, rip=1.2.3.4, lip=1.2.3.5, "
       "TLS "
       "handshaking: Connection closed, session=<x>",
       DovecotLoginReason::kTlsHandshake, DovecotTlsCause::kConnectionClosed},
      {"2.3.14 aborted login auth failed",
       "pop3-login: Aborted login (auth failed, 1 attempts in 2 secs): user=<bob>, method=PLAIN, "
       "rip=1.2.3.4, "
       "lip=1.2.3.5, session=<x>",
       DovecotLoginReason::kAuthFailed, DovecotTlsCause::kNone},
      {"2.3.14 disconnected auth failed",
       "imap-login: Disconnected (auth failed, 3 attempts in 10 secs): user=<bob>, method=LOGIN, "
       "rip=1.2.3.4, "
       "lip=1.2.3.5, TLS, session=<x>",
       DovecotLoginReason::kAuthFailed, DovecotTlsCause::kNone},
      {"2.4 no auth attempts token",
       "imap-login: Login aborted: Connection closed (no auth attempts in 0 secs) "
       "(no_auth_attempts): user=<>, "
       "rip=1.2.3.4, lip=1.2.3.5, session=<x>",
       DovecotLoginReason::kNoAuthAttempts, DovecotTlsCause::kNone},
      {"2.4 auth failed token",
       "imap-login: Login aborted: Connection closed (auth failed, 1 attempts in 2 secs) "
       "(auth_failed): "
       "user=<bob>, method=PLAIN, rip=1.2.3.4, lip=1.2.3.5, TLS, session=<x>",
       DovecotLoginReason::kAuthFailed, DovecotTlsCause::kNone},
      {"2.4 TLS handshake token",
       "imap-login: Login aborted: Connection closed (disconnected during TLS handshake) "
       "(tls_handshake_not_finished): user=<>, rip=1.2.3.4, lip=1.2.3.5, session=<x>",
       DovecotLoginReason::kTlsHandshake, DovecotTlsCause::kConnectionClosed},
      {"2.4 user+IP limit token",
       "imap-login: Login aborted: Maximum number of connections from user+IP exceeded "
       "(mail_max_userip_connections=10) (connection_limit): user=<bob>, rip=1.2.3.4, lip=1.2.3.5, "
       "session=<x>",
       DovecotLoginReason::kUserIpLimit, DovecotTlsCause::kNone},
      {"2.4 process full token",
       "imap-login: Login aborted: Connection queue full (no auth attempts in 0 secs) "
       "(process_full): user=<>, "
       "rip=1.2.3.4, lip=1.2.3.5, session=<x>",
       DovecotLoginReason::kConnectionQueueFull, DovecotTlsCause::kNone},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const DovecotEvent ev = ClassifyDovecot(c.line);
    EXPECT_EQ(DovecotKind::kLoginFailure, ev.kind);
    EXPECT_EQ(LoginReasonName(c.reason), LoginReasonName(ev.reason));
    EXPECT_EQ(TlsCauseName(c.cause), TlsCauseName(ev.tls_cause));
  }
}

TEST(ClassifyDovecot, login_reads_protocol_method_transport_user_and_ip) {
  const DovecotEvent ev = ClassifyDovecot(
      "imap-login: Info: Login: user=<alice@lab.test>, method=PLAIN, rip=127.0.0.1, lip=127.0.0.1, "
      "mpid=12503, TLS, session=<0nOket1gMq1/AAAB>");
  ASSERT_EQ(DovecotKind::kLogin, ev.kind);
  EXPECT_EQ("imap", ev.protocol);
  EXPECT_EQ("PLAIN", ev.method);
  EXPECT_EQ(DovecotTransport::kTls, ev.transport);
  EXPECT_EQ("alice@lab.test", ev.user);
  EXPECT_EQ("127.0.0.1", ev.rip);

  const DovecotEvent secured = ClassifyDovecot(
      "pop3-login: Login: user=<c>, method=LOGIN, rip=::1, lip=::1, mpid=1, secured, session=<s>");
  EXPECT_EQ("pop3", secured.protocol);
  EXPECT_EQ(DovecotTransport::kSecured, secured.transport);

  const DovecotEvent plain = ClassifyDovecot(
      "submission-login: Login: user=<d>, method=PLAIN, rip=1.2.3.4, lip=1.2.3.5, mpid=1, "
      "session=<s>");
  EXPECT_EQ("submission", plain.protocol);
  EXPECT_EQ(DovecotTransport::kPlaintext, plain.transport);
}

TEST(ClassifyDovecot, hostile_user_with_separators_does_not_shift_fields) {
  const DovecotEvent ev = ClassifyDovecot(
      "imap-login: Login: user=<a, method=EVIL, rip=6.6.6.6>, method=PLAIN, rip=1.2.3.4, "
      "lip=1.2.3.5, TLS, session=<s>");
  ASSERT_EQ(DovecotKind::kLogin, ev.kind);
  EXPECT_EQ("a, method=EVIL, rip=6.6.6.6", ev.user);
  EXPECT_EQ("PLAIN", ev.method);
  EXPECT_EQ("1.2.3.4", ev.rip);
}

TEST(ClassifyDovecot, auth_backend_results_by_passdb_driver) {
  DovecotEvent ev = ClassifyDovecot(
      "auth: Info: passwd-file(alice@lab.test,127.0.0.1,<gYip>): Password mismatch");
  ASSERT_EQ(DovecotKind::kAuthResult, ev.kind);
  EXPECT_EQ("passwd-file", ev.passdb);
  EXPECT_EQ(DovecotAuthResult::kPasswordMismatch, ev.auth_result);
  EXPECT_EQ("alice@lab.test", ev.user);
  EXPECT_EQ("127.0.0.1", ev.rip);
  ev = ClassifyDovecot("auth: Info: passwd-file(ghost@lab.test): unknown user");
  EXPECT_EQ(DovecotAuthResult::kUnknownUser, ev.auth_result);
  ev = ClassifyDovecot(
      "auth-worker(4242): Info: pam(bob,1.2.3.4,<s>): pam_authenticate() failed: "
      "Authentication failure (Password mismatch?)");
  EXPECT_EQ("pam", ev.passdb);
  EXPECT_EQ(DovecotAuthResult::kPasswordMismatch, ev.auth_result);
  ev = ClassifyDovecot("auth: Info: ldap(bob,1.2.3.4): Password mismatch (for LDAP bind)");
  EXPECT_EQ("ldap", ev.passdb);
  EXPECT_EQ(DovecotAuthResult::kPasswordMismatch, ev.auth_result);
}

TEST(ClassifyDovecot, master_process_and_client_limits) {
  DovecotEvent ev = ClassifyDovecot(
      "master: Warning: service(imap-login): process_limit (100) reached, client connections are "
      "being dropped");
  ASSERT_EQ(DovecotKind::kMasterLimit, ev.kind);
  EXPECT_EQ("imap-login", ev.service);
  EXPECT_EQ("process_limit", ev.limit);
  ev = ClassifyDovecot(
      "master: Warning: service(pop3-login): client_limit (1000) reached, client connections "
      "are being dropped (pid=12, reuse_port=yes)");
  EXPECT_EQ("pop3-login", ev.service);
  EXPECT_EQ("client_limit", ev.limit);
}

TEST(ClassifyDovecot, session_ends_carry_bytes) {
  DovecotEvent ev = ClassifyDovecot(
      "imap(alice@lab.test)<12503><0nOk>: Info: Disconnected: Logged out in=32 out=822 deleted=0 "
      "expunged=0");
  ASSERT_EQ(DovecotKind::kSessionEnd, ev.kind);
  EXPECT_EQ("imap", ev.protocol);
  EXPECT_EQ("Logged out", ev.end_reason);
  EXPECT_EQ(32u, ev.bytes_in);
  EXPECT_EQ(822u, ev.bytes_out);
  ev = ClassifyDovecot(
      "pop3(carol)<1><s>: Info: Disconnected: Logged out top=1/100, retr=2/1459, del=0/2, "
      "size=1459");
  EXPECT_EQ("pop3", ev.protocol);
  EXPECT_EQ(1559u, ev.bytes_out);
  ev = ClassifyDovecot(
      "imap(bob)<1><s>: Connection closed (IDLE running for 0.001 + waiting input for 5.0 secs, "
      "2 B in + 10+0 B out, state=wait-input) in=2 out=12 deleted=0");
  EXPECT_EQ(DovecotKind::kSessionEnd, ev.kind);
  EXPECT_EQ("Connection closed", ev.end_reason);
  EXPECT_EQ(12u, ev.bytes_out);
}

TEST(ClassifyDovecot, lmtp_saved_failed_and_connection_noise) {
  EXPECT_EQ(
      DovecotKind::kLmtpDelivery,
      ClassifyDovecot("lmtp(alice)<10478><2Xft>: Info: msgid=<a@vm>: saved mail to INBOX").kind);
  EXPECT_EQ(DovecotKind::kLmtpFailure,
            ClassifyDovecot("lmtp(bob)<1><s>: Error: msgid=<b@vm>: save failed to INBOX: Quota "
                            "exceeded (mailbox for user is full)")
                .kind);
  EXPECT_EQ(DovecotKind::kKnownIgnored,
            ClassifyDovecot("lmtp(10478): Info: Connect from local").kind);
  EXPECT_EQ(
      DovecotKind::kKnownIgnored,
      ClassifyDovecot("lmtp(10478): Info: Disconnect from local: Logged out (state=READY)").kind);
}

TEST(ClassifyDovecot, unknown_and_garbage_are_unsupported_not_crashes) {
  for (const char* line :
       {"", "no colon here", ": ", "imap-login: ", "imap-login: Info: something new", "auth: (",
        "auth: x(y", "master: service(", "imap(", "config: Warning: foo",
        "imap-login: Login: user=<", "imap-login: Disconnected: user=<a"}) {
    SCOPED_TRACE(line);
    const DovecotEvent ev = ClassifyDovecot(line);
    EXPECT_TRUE(ev.kind == DovecotKind::kUnsupported || ev.kind == DovecotKind::kLoginFailure ||
                ev.kind == DovecotKind::kLogin);
  }
  EXPECT_EQ(DovecotKind::kUnsupported, ClassifyDovecot("imap-login: Info: something new").kind);
}

TEST(ClassifyDovecot, every_line_of_the_real_fixtures_is_classified) {
  for (const char* name : {"dovecot-2.3.19-file.log", "dovecot-2.3.19-syslog.log"}) {
    std::ifstream in(std::string(MAILPATH_FIXTURES_DIR) + "/logs/dovecot/" + name);
    ASSERT_TRUE(in) << name;
    std::string line;
    int n = 0;
    while (std::getline(in, line)) {
      ++n;
      SCOPED_TRACE(line);
      EXPECT_NE(DovecotKind::kUnsupported, ClassifyDovecot(line).kind);
    }
    EXPECT_GT(n, 3);
  }
}

}  // namespace
}  // namespace mailpath::logs::classify

namespace mailpath::logs::classify {
namespace {

// Every Dovecot line row: its example lands on that very row (no earlier row
// of its process class shadows it) with the row's kind.
TEST(DovecotRules, every_example_lands_on_its_own_row) {
  const auto rules = DovecotRules();
  ASSERT_GT(rules.size(), 25u);
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const DovecotRule& r = rules[i];
    SCOPED_TRACE("row " + std::to_string(i) + ": " + std::string(r.example));
    EXPECT_FALSE(r.source.empty());
    const DovecotEvent ev = ClassifyDovecot(r.example);
    EXPECT_EQ(&r, ev.rule) << "shadowed by: " << (ev.rule != nullptr ? ev.rule->example : "no row");
    EXPECT_EQ(static_cast<int>(r.kind), static_cast<int>(ev.kind));
  }
}

TEST(DovecotRules, each_process_class_keeps_its_rows_together) {
  const auto rules = DovecotRules();
  for (std::size_t i = 1; i < rules.size(); ++i) {
    if (rules[i].process == rules[i - 1].process) continue;
    for (std::size_t j = 0; j + 1 < i; ++j) {
      EXPECT_NE(static_cast<int>(rules[i].process), static_cast<int>(rules[j].process))
          << "row " << i;
    }
  }
}

TEST(DovecotRules, cause_tables_examples_land_on_their_own_rows) {
  for (const NamedLiteralTable& table : DovecotCauseTables()) {
    for (std::size_t i = 0; i < table.rows.size(); ++i) {
      SCOPED_TRACE(std::string(table.name) + ": " + std::string(table.rows[i].example));
      EXPECT_FALSE(table.rows[i].source.empty());
      EXPECT_EQ(static_cast<int>(i), FirstRow(table.rows, table.rows[i].example));
    }
  }
}

TEST(DovecotRules, the_classifier_returns_the_session_end_label) {
  const DovecotEvent ev = ClassifyDovecot(
      "pop3(bob@example.com)<12504><1nOket1gMq1/AAAB>: Info: Disconnected for inactivity top=0/0, "
      "retr=1/1459, "
      "del=0/1, size=1459");
  ASSERT_EQ(DovecotKind::kSessionEnd, ev.kind);
  EXPECT_EQ("inactivity", ev.end_label);
  EXPECT_EQ(1459u, ev.bytes_out);
}

}  // namespace
}  // namespace mailpath::logs::classify

namespace mailpath::logs::classify {
namespace {

// One OpenSSL table for both daemons: the same alert gets the same class.
TEST(OpenSslReasons, postfix_and_dovecot_read_one_table) {
  for (const LiteralRow& r : OpenSslReasons()) {
    SCOPED_TRACE(std::string(r.example));
    EXPECT_EQ(r.value, TlsLibraryReason(r.example));
    const DovecotEvent ev =
        ClassifyDovecot("imap-login: Info: Disconnected: Connection closed: SSL_accept() failed: " +
                        std::string(r.example) +
                        " (no auth attempts in 0 secs): user=<>, rip=192.0.2.54, lip=192.0.2.1, "
                        "session=<ab6Ket1gMq1/AAAB>");
    ASSERT_EQ(DovecotKind::kLoginFailure, ev.kind);
    const std::string_view want = r.value == "unknown_ca" ? "certificate_unknown_ca"
                                  : r.value == "certificate_verify_failed" ? "certificate_rejected"
                                                                           : r.value;
    EXPECT_EQ(want, TlsCauseName(ev.tls_cause));
  }
}

}  // namespace
}  // namespace mailpath::logs::classify
