#include "mailpath/logs/classify/dovecot_collector.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "mailpath/metrics/exposition.h"

namespace mailpath::logs::classify {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

std::string Scrape(DovecotCollector& c) {
  std::vector<prometheus::MetricFamily> families;
  c.Collect(families);
  return metrics::SerializeText(families);
}

TEST(DovecotCollector, counts_only_dovecot_records) {
  DovecotCollector c;
  LogRecord postfix;
  postfix.program = Program::kPostfix;
  postfix.message =
      "imap-login: Login: user=<a>, method=PLAIN, rip=1.2.3.4, lip=1.2.3.5, TLS, session=<s>";
  c.Consume(postfix);
  LogRecord dovecot = postfix;
  dovecot.program = Program::kDovecot;
  c.Consume(dovecot);
  const std::string text = Scrape(c);
  EXPECT_NE(
      std::string::npos,
      text.find("dovecot_logins_total{protocol=\"imap\",method=\"PLAIN\",transport=\"tls\"} 1\n"));
  EXPECT_NE(std::string::npos, text.find("dovecot_log_lines_total{result=\"classified\"} 1\n"));
}

TEST(DovecotCollector, hostile_values_never_become_labels) {
  DovecotCollector c;
  for (int i = 0; i < 10000; ++i) {
    const std::string n = std::to_string(i);
    c.ConsumeMessage("imap-login: Login: user=<u" + n + ">, method=X" + n + ", rip=10.0.0." + n +
                     ", lip=1.1.1.1, TLS, session=<s>");
    c.ConsumeMessage("auth: Info: driver" + n + "(u" + n + ",1.2.3.4): Password mismatch");
    c.ConsumeMessage("master: Warning: service(svc" + n + "): limit" + n + " (5) reached, dropped");
    c.ConsumeMessage("proc" + n + ": Info: whatever");
  }
  const std::string text = Scrape(c);
  EXPECT_EQ(std::string::npos, text.find("u9999"));
  EXPECT_EQ(std::string::npos, text.find("10.0.0."));
  EXPECT_EQ(std::string::npos, text.find("svc"));
  EXPECT_NE(std::string::npos, text.find("method=\"other\""));
  std::size_t lines = 0;
  for (char ch : text) lines += ch == '\n';
  EXPECT_LT(lines, 120u);
}

// Golden exposition for the observed 2.3.19 lines: UPDATE_GOLDEN=1 rewrites it.
TEST(DovecotCollector, fixture_log_matches_golden_exposition) {
  DovecotCollector c;
  for (const char* name : {"dovecot-2.3.19-file.log", "dovecot-2.3.19-syslog.log"}) {
    std::ifstream in(std::string(MAILPATH_FIXTURES_DIR) + "/logs/dovecot/" + name);
    ASSERT_TRUE(in);
    std::string line;
    while (std::getline(in, line)) c.ConsumeMessage(line);
  }
  const std::string text = Scrape(c);
  const std::string golden =
      std::string(MAILPATH_FIXTURES_DIR) + "/../golden/dovecot_classifier.prom";
  if (const char* u = std::getenv("UPDATE_GOLDEN"); u != nullptr && std::string(u) == "1") {
    std::ofstream(golden) << text;
  }
  EXPECT_EQ(ReadFile(golden), text) << "UPDATE_GOLDEN=1 rewrites " << golden;
  EXPECT_NE(std::string::npos, text.find("dovecot_log_lines_total{result=\"unsupported\"} 0\n"));
}

// The real Dovecot 2.4.1 lines (Debian 13): every one recognised, golden exposition.
TEST(DovecotCollector, dovecot_24_fixture_matches_golden_and_every_line_is_classified) {
  DovecotCollector c;
  std::ifstream in(std::string(MAILPATH_FIXTURES_DIR) + "/logs/dovecot/dovecot-2.4.1-file.log");
  ASSERT_TRUE(in);
  std::string line;
  while (std::getline(in, line)) c.ConsumeMessage(line);
  const std::string text = Scrape(c);
  const std::string golden =
      std::string(MAILPATH_FIXTURES_DIR) + "/../golden/dovecot_classifier_2.4.prom";
  if (const char* u = std::getenv("UPDATE_GOLDEN"); u != nullptr && std::string(u) == "1") {
    std::ofstream(golden) << text;
  }
  EXPECT_EQ(ReadFile(golden), text) << "UPDATE_GOLDEN=1 rewrites " << golden;
  EXPECT_NE(std::string::npos, text.find("dovecot_log_lines_total{result=\"unsupported\"} 0\n"))
      << text;
  // Issue 18: "Logged in" is a login, "Login aborted ... (auth_failed)" a failed login.
  EXPECT_NE(
      std::string::npos,
      text.find("dovecot_logins_total{protocol=\"imap\",method=\"PLAIN\",transport=\"tls\"} 4\n"))
      << text;
  EXPECT_NE(std::string::npos,
            text.find("dovecot_login_failures_total{protocol=\"imap\",reason=\"auth_failed\"} 3\n"))
      << text;
  EXPECT_NE(std::string::npos, text.find("dovecot_auth_passdb_failures_total{passdb=\"passwd-"
                                         "file\",result=\"password_mismatch\"} 2\n"))
      << text;
}

}  // namespace
}  // namespace mailpath::logs::classify
