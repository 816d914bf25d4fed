#include "mailpath/certs/cert_probe.h"

#include <gtest/gtest.h>

#include "mailpath/certs/cert_collector.h"
#include "mailpath/certs/probe_dialogue.h"

namespace mailpath::certs {
namespace {

const std::string kFixtures = std::string(MAILPATH_FIXTURES_DIR) + "/certs/";

TEST(ProbeDialogue, smtp_greeting_and_ehlo_complete_at_the_last_line_without_a_dash) {
  EXPECT_EQ(Reply::kIncomplete, CheckGreeting(Protocol::kSmtp, "220-mail.example.org ESMTP\r\n"));
  EXPECT_EQ(Reply::kOk,
            CheckGreeting(Protocol::kSmtp, "220-mail.example.org ESMTP\r\n220 ready\r\n"));
  EXPECT_EQ(Reply::kRefused, CheckGreeting(Protocol::kSmtp, "421 4.3.2 busy\r\n"));
  EXPECT_EQ(Reply::kIncomplete, CheckEhlo("250-mail.example.org\r\n250-PIPELINING\r\n"));
  EXPECT_EQ(Reply::kOk, CheckEhlo("250-mail.example.org\r\n250-STARTTLS\r\n250 CHUNKING\r\n"));
  EXPECT_EQ(Reply::kIncomplete, CheckEhlo("250-mail.example.org\r\n250 CHUNK"));
}

TEST(ProbeDialogue, starttls_answers_per_protocol) {
  EXPECT_EQ(Reply::kOk, CheckStartTls(Protocol::kSmtp, "220 2.0.0 Ready to start TLS\r\n"));
  EXPECT_EQ(Reply::kRefused, CheckStartTls(Protocol::kSmtp, "454 4.7.0 TLS not available\r\n"));
  EXPECT_EQ(Reply::kOk,
            CheckStartTls(Protocol::kImap,
                          "* CAPABILITY IMAP4rev1\r\na OK Begin TLS negotiation now.\r\n"));
  EXPECT_EQ(Reply::kIncomplete, CheckStartTls(Protocol::kImap, "* CAPABILITY IMAP4rev1\r\n"));
  EXPECT_EQ(Reply::kRefused, CheckStartTls(Protocol::kImap, "a BAD TLS is already active.\r\n"));
  EXPECT_EQ(Reply::kOk, CheckStartTls(Protocol::kPop3, "+OK Begin TLS negotiation now.\r\n"));
  EXPECT_EQ(Reply::kRefused, CheckStartTls(Protocol::kPop3, "-ERR TLS support isn't enabled.\r\n"));
  EXPECT_EQ(Reply::kOk,
            CheckGreeting(Protocol::kImap, "* OK [CAPABILITY IMAP4rev1] mailpath test ready\r\n"));
  EXPECT_EQ(Reply::kOk, CheckGreeting(Protocol::kPop3, "+OK mailpath test ready\r\n"));
}

TEST(ProbeDialogue, sessions_end_with_a_clean_goodbye) {
  EXPECT_EQ("QUIT\r\n", GoodbyeCommand(Protocol::kSmtp));
  EXPECT_EQ("z LOGOUT\r\n", GoodbyeCommand(Protocol::kImap));
  EXPECT_EQ("QUIT\r\n", GoodbyeCommand(Protocol::kPop3));
}

TEST(ProbeDialogue, well_known_ports_and_targets) {
  EXPECT_EQ(TlsMode::kImplicit, WellKnownTarget(993)->mode);
  EXPECT_EQ(Protocol::kPop3, WellKnownTarget(110)->protocol);
  EXPECT_EQ(TlsMode::kStartTls, WellKnownTarget(587)->mode);
  EXPECT_FALSE(WellKnownTarget(2525));
  const auto t = ParseTarget("10993:imaps:/etc/dovecot/private/cert.pem");
  ASSERT_TRUE(t) << t.message();
  EXPECT_EQ(10993, t->port);
  EXPECT_EQ(Protocol::kImap, t->protocol);
  EXPECT_EQ(TlsMode::kImplicit, t->mode);
  EXPECT_EQ("/etc/dovecot/private/cert.pem", t->cert_file);
  EXPECT_EQ("unknown kind \"gopher\" (smtp, smtps, imap, imaps, pop3, pop3s)",
            MessageOrEmpty(ParseTarget("587:gopher")));
  EXPECT_EQ("bad port \"0\"", MessageOrEmpty(ParseTarget("0:smtp")));
  EXPECT_FALSE(ParseTarget("587"));
}

TEST(CertFile, first_certificate_dates_and_fingerprint_as_openssl_prints_them) {
  const auto c = ReadCertFile(kFixtures + "leaf.pem");
  ASSERT_TRUE(c) << c.message();
  EXPECT_EQ(1796054492.0, c->not_before);  // Nov 30 16:01:32 2026 GMT
  EXPECT_EQ(4949654492.0,
            c->not_after);  // Nov  6 16:01:32 2126 GMT (past 2038 and 2049: GeneralizedTime)
  EXPECT_EQ(static_cast<double>(0xF0DEB9936B54ull),
            c->fingerprint48);  // SHA-256 F0:DE:B9:93:6B:54:...
}

TEST(CertFile, a_chain_file_with_the_key_first_yields_its_certificate) {
  const auto chain = ReadCertFile(kFixtures + "chain-key-first.pem");
  const auto leaf = ReadCertFile(kFixtures + "leaf.pem");
  ASSERT_TRUE(chain) << chain.message();
  ASSERT_TRUE(leaf) << leaf.message();
  EXPECT_EQ(leaf->der, chain->der);
}

TEST(CertFile, missing_or_certificate_free_files_say_why) {
  const auto absent = ReadCertFile(kFixtures + "absent.pem");
  ASSERT_FALSE(absent);
  EXPECT_EQ("cannot open " + kFixtures + "absent.pem: No such file or directory", absent.message());
  EXPECT_EQ(ENOENT, absent.error().error_number);
  EXPECT_EQ(kFixtures + "README.md holds no PEM certificate",
            MessageOrEmpty(ReadCertFile(kFixtures + "README.md")));
  EXPECT_FALSE(DecodeFirstPemCertificate(
      "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n"));
}

TEST(ConfiguredFile, postconf_and_doveconf_answers) {
  EXPECT_EQ("/etc/ssl/mail.pem", ConfiguredFile(Protocol::kSmtp, "/etc/ssl/mail.pem\n", ""));
  EXPECT_EQ(
      "/etc/postfix/rsa.pem",
      ConfiguredFile(Protocol::kSmtp, "\n", "/etc/postfix/rsa.pem, /etc/postfix/ecdsa.pem\n"));
  EXPECT_EQ("", ConfiguredFile(Protocol::kSmtp, "", ""));
  EXPECT_EQ("/etc/dovecot/cert.pem",
            ConfiguredFile(Protocol::kImap, "/etc/dovecot/cert.pem\n", ""));  // 2.4
  EXPECT_EQ("/etc/dovecot/private/d.pem",
            ConfiguredFile(Protocol::kPop3, "", "</etc/dovecot/private/d.pem\n"));  // 2.3
}

}  // namespace
}  // namespace mailpath::certs
