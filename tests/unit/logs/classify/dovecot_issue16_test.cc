// Issue 16 and issue 18's Dovecot wordings: 2.4 logins and passdb results, auth
// failures behind another disconnect reason, one LMTP/Sieve outcome per message.
#include <gtest/gtest.h>

#include "mailpath/logs/classify/dovecot_collector.h"
#include "mailpath/logs/classify/dovecot_event.h"
#include "mailpath/metrics/exposition.h"

namespace mailpath::logs::classify {
namespace {

std::string Scrape(DovecotCollector& c) {
  std::vector<prometheus::MetricFamily> families;
  c.Collect(families);
  return metrics::SerializeText(families);
}

bool Has(const std::string& text, const std::string& sample) {
  return text.find(sample + "\n") != std::string::npos;
}

// Every row's example classifies to that row's reason, and no earlier row shadows it.
TEST(DovecotLoginRules, every_example_lands_on_its_own_row) {
  const auto rules = DovecotLoginRules();
  ASSERT_GT(rules.size(), 20u);
  for (std::size_t i = 0; i < rules.size(); ++i) {
    SCOPED_TRACE(std::string(rules[i].example));
    EXPECT_FALSE(rules[i].source.empty());
    const std::string_view ex = rules[i].example;
    DovecotLoginReason r;
    EXPECT_EQ(static_cast<int>(i), MatchDovecotLoginReason(ex.substr(0, ex.find(": user=<")), r))
        << "shadowed";
    const DovecotEvent ev = ClassifyDovecot(ex);
    EXPECT_EQ(DovecotKind::kLoginFailure, ev.kind);
    EXPECT_EQ(LoginReasonName(rules[i].reason), LoginReasonName(ev.reason));
  }
}

TEST(Dovecot24, logged_in_is_a_login) {
  const DovecotEvent ev = ClassifyDovecot(
      "imap-login: Info: Logged in: user=<alice@example.com>, method=PLAIN, rip=192.0.2.44, "
      "lip=192.0.2.1, "
      "mpid=4242, TLS, session=<Xy7kQ2aBcD3eFgHi>");
  EXPECT_EQ(DovecotKind::kLogin, ev.kind);
  EXPECT_EQ("PLAIN", ev.method);
  EXPECT_EQ(DovecotTransport::kTls, ev.transport);
}

TEST(Dovecot24, login_aborted_with_auth_failed_is_an_auth_failure) {
  const DovecotEvent ev = ClassifyDovecot(
      "imap-login: Info: Login aborted: Connection closed (auth failed, 3 attempts in 12 secs) "
      "(auth_failed): "
      "user=<bob@example.com>, method=PLAIN, rip=192.0.2.45, lip=192.0.2.1, TLS, "
      "session=<Ab1cD2eF3gH4iJ5k>");
  EXPECT_EQ(DovecotKind::kLoginFailure, ev.kind);
  EXPECT_EQ(DovecotLoginReason::kAuthFailed, ev.reason);
  EXPECT_TRUE(ev.auth_failed);
}

struct AuthCase {
  const char* name;
  const char* line;
  const char* passdb;
  const char* user;
  const char* rip;
  DovecotAuthResult result;
};

TEST(DovecotAuth, passdb_results_of_23_and_24) {
  const AuthCase cases[] = {
      {"2.4 plain", "auth(alice,192.0.2.44,sasl:plain): Info: passwd-file: Password mismatch",
       "passwd-file", "alice", "192.0.2.44", DovecotAuthResult::kPasswordMismatch},
      {"2.4.1 SASL for Postfix, no session (real, Debian 13)",
       "auth(sender@lab.test,127.0.0.31,sasl:plain): Info: passwd-file: Password mismatch",
       "passwd-file", "sender@lab.test", "127.0.0.31", DovecotAuthResult::kPasswordMismatch},
      {"2.4 with session",
       "auth(alice@example.com,192.0.2.44,sasl:login)<Xy7kQ2aBcD3eFgHi>: Info: sql: Password "
       "mismatch",
       "sql", "alice@example.com", "192.0.2.44", DovecotAuthResult::kPasswordMismatch},
      {"2.4 unknown user",
       "auth(carol,192.0.2.46,sasl:plain)<Kq2wE3rT4yU5iO6p>: Info: passwd-file: unknown user",
       "passwd-file", "carol", "192.0.2.46", DovecotAuthResult::kUnknownUser},
      {"2.4 worker",
       "auth-worker(bob,192.0.2.47,sasl:plain)<4242><Zx9cV8bN7mL6kJ5h>: request [3]: sql: Password "
       "mismatch",
       "sql", "bob", "192.0.2.47", DovecotAuthResult::kPasswordMismatch},
      {"2.3 file",
       "auth: Info: passwd-file(alice@lab.test,127.0.0.1,<gYipet1gNq1/AAAB>): Password mismatch",
       "passwd-file", "alice@lab.test", "127.0.0.1", DovecotAuthResult::kPasswordMismatch},
      {"2.3 worker pam",
       "auth-worker(4242): Info: pam(bob,192.0.2.47,<Zx9cV8bN7mL6kJ5h>): pam_authenticate() "
       "failed: Authentication failure (password mismatch?)",
       "pam", "bob", "192.0.2.47", DovecotAuthResult::kPasswordMismatch},
      {"2.3 worker sql unknown",
       "auth-worker(4242): Info: sql(carol,192.0.2.46,<Kq2wE3rT4yU5iO6p>): unknown user", "sql",
       "carol", "192.0.2.46", DovecotAuthResult::kUnknownUser},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const DovecotEvent ev = ClassifyDovecot(c.line);
    ASSERT_EQ(DovecotKind::kAuthResult, ev.kind);
    EXPECT_EQ(c.passdb, ev.passdb);
    EXPECT_EQ(c.user, ev.user);
    EXPECT_EQ(c.rip, ev.rip);
    EXPECT_EQ(AuthResultName(c.result), AuthResultName(ev.auth_result));
  }
}

TEST(DovecotCollector, auth_failure_counts_whatever_reason_came_first) {
  DovecotCollector c;
  c.ConsumeMessage(
      "pop3-login: Info: Disconnected: Inactivity (auth failed, 1 attempts in 178 secs): "
      "user=<bob>, "
      "method=PLAIN, rip=192.0.2.45, lip=192.0.2.1, TLS, session=<Ab1cD2eF3gH4iJ5k>");
  c.ConsumeMessage(
      "imap-login: Info: Disconnected: Connection closed (no auth attempts in 0 secs): user=<>, "
      "rip=192.0.2.46, lip=192.0.2.1, TLS, session=<Bb1cD2eF3gH4iJ5k>");
  const std::string text = Scrape(c);
  EXPECT_TRUE(Has(text, "dovecot_login_failures_total{protocol=\"pop3\",reason=\"inactivity\"} 1"))
      << text;
  EXPECT_TRUE(Has(text, "dovecot_auth_failed_logins_total{protocol=\"pop3\"} 1")) << text;
  EXPECT_TRUE(Has(text, "dovecot_auth_failed_logins_total{protocol=\"imap\"} 0")) << text;
}

TEST(DovecotCollector, two_sieve_store_failures_of_one_message_count_once) {
  DovecotCollector c;
  c.ConsumeMessage(
      "lmtp(alice@example.com)<4242><Q7rT9yU1iO3pA5sD>: Error: sieve: msgid=<m1@example.org>: "
      "failed "
      "to store into mailbox 'Junk': Mailbox doesn't exist: Junk");
  c.ConsumeMessage(
      "lmtp(alice@example.com)<4242><Q7rT9yU1iO3pA5sD>: Error: sieve: msgid=<m1@example.org>: "
      "failed "
      "to store into mailbox 'INBOX': Quota exceeded (mailbox for user is full)");
  c.ConsumeMessage("lmtp(4242): Info: Disconnect from local: Logged out (state=READY)");
  const std::string text = Scrape(c);
  EXPECT_TRUE(Has(text, "dovecot_lmtp_deliveries_total{result=\"failed\"} 1")) << text;
  EXPECT_TRUE(Has(text, "dovecot_lmtp_deliveries_total{result=\"saved\"} 0")) << text;
}

TEST(DovecotCollector, sieve_failure_then_implicit_keep_counts_saved_only) {
  DovecotCollector c;
  c.ConsumeMessage(
      "lmtp(alice@example.com)<4242><Q7rT9yU1iO3pA5sD>: Error: sieve: msgid=<m2@example.org>: "
      "failed "
      "to store into mailbox 'Junk': Mailbox doesn't exist: Junk");
  c.ConsumeMessage(
      "lmtp(alice@example.com)<4242><Q7rT9yU1iO3pA5sD>: Info: sieve: msgid=<m2@example.org>: "
      "stored "
      "mail into mailbox 'INBOX'");
  // The same message to a second recipient of the session is its own outcome.
  c.ConsumeMessage(
      "lmtp(bob@example.com)<4242><Q7rT9yU1iO3pA5sD:R2>: Info: msgid=<m2@example.org>: saved mail "
      "to "
      "INBOX");
  c.ConsumeMessage("lmtp(4242): Info: Disconnect from local: Logged out (state=READY)");
  const std::string text = Scrape(c);
  EXPECT_TRUE(Has(text, "dovecot_lmtp_deliveries_total{result=\"saved\"} 2")) << text;
  EXPECT_TRUE(Has(text, "dovecot_lmtp_deliveries_total{result=\"failed\"} 0")) << text;
}

TEST(DovecotCollector, sieve_fileinto_plus_keep_is_one_delivery) {
  DovecotCollector c;
  c.ConsumeMessage(
      "lmtp(alice@example.com)<4242><Q7rT9yU1iO3pA5sD>: Info: sieve: msgid=<m3@example.org>: "
      "stored "
      "mail into mailbox 'Archive'");
  c.ConsumeMessage(
      "lmtp(alice@example.com)<4242><Q7rT9yU1iO3pA5sD>: Info: sieve: msgid=<m3@example.org>: "
      "stored "
      "mail into mailbox 'INBOX'");
  // Without Sieve, one "saved mail to" line per recipient: two messages, two deliveries.
  c.ConsumeMessage(
      "lmtp(bob@example.com)<4243><R7rT9yU1iO3pA5sD>: Info: msgid=<m4@example.org>: saved mail to "
      "INBOX");
  c.ConsumeMessage(
      "lmtp(bob@example.com)<4243><R7rT9yU1iO3pA5sD>: Info: msgid=<m5@example.org>: saved mail to "
      "INBOX");
  const std::string text = Scrape(c);
  EXPECT_TRUE(Has(text, "dovecot_lmtp_deliveries_total{result=\"saved\"} 3")) << text;
}

}  // namespace
}  // namespace mailpath::logs::classify
