#include "mailpath/logs/classify/postfix_collector.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "mailpath/logs/envelope.h"
#include "mailpath/metrics/exposition.h"

namespace mailpath::logs::classify {
namespace {

constexpr std::int64_t kNow = 1795354145000000;  // 2026-11-22

std::string Scrape(PostfixCollector& c) {
  std::vector<prometheus::MetricFamily> f;
  c.Collect(f);
  return metrics::SerializeText(f);
}

void Feed(PostfixCollector& c, const std::string& line) {
  LogRecord r;
  ASSERT_TRUE(ParseLogLine(line, kNow, r)) << line;
  c.Consume(r);
}

std::size_t Series(const std::string& text, const std::string& name) {
  std::size_t n = 0, at = 0;
  while ((at = text.find("\n" + name + "{", at)) != std::string::npos) {
    ++n;
    ++at;
  }
  return n;
}

TEST(ClientNetwork, v4_v6_and_garbage) {
  EXPECT_EQ("192.0.2.0/24", ClientNetwork("192.0.2.77"));
  EXPECT_EQ("2001:db8:1:2::/64", ClientNetwork("2001:db8:1:2:3:4:5:6"));
  EXPECT_EQ("2001:db8::/64", ClientNetwork("ipv6:2001:db8::1"));
  EXPECT_EQ("", ClientNetwork("unknown"));
  EXPECT_EQ("", ClientNetwork(""));
}

TEST(PostfixCollector, fixture_log_matches_golden_and_every_line_is_classified) {
  PostfixCollector c;
  std::ifstream in(std::string(MAILPATH_FIXTURES_DIR) + "/logs/postfix/postfix-3.7-observed.log");
  ASSERT_TRUE(in);
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    Feed(c, line);
    ++n;
  }
  ASSERT_GT(n, 50);
  const std::string text = Scrape(c);
  EXPECT_EQ(std::string::npos, text.find("postfix_unsupported_log_entries_total{")) << text;
  const std::string golden =
      std::string(MAILPATH_FIXTURES_DIR) + "/../golden/postfix_classifier.prom";
  if (const char* u = std::getenv("UPDATE_GOLDEN"); u != nullptr && std::string(u) == "1") {
    std::ofstream(golden) << text;
  }
  std::ifstream g(golden);
  std::stringstream want;
  want << g.rdbuf();
  EXPECT_EQ(want.str(), text) << "UPDATE_GOLDEN=1 rewrites " << golden;
}

// The real Postfix 3.10.13 lines (Debian 13): every one classified, golden exposition.
TEST(PostfixCollector, postfix_310_fixture_matches_golden_and_every_line_is_classified) {
  PostfixCollector c;
  std::ifstream in(std::string(MAILPATH_FIXTURES_DIR) + "/logs/postfix/postfix-3.10-observed.log");
  ASSERT_TRUE(in);
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    Feed(c, line);
    ++n;
  }
  ASSERT_GT(n, 100);
  const std::string text = Scrape(c);
  EXPECT_EQ(std::string::npos, text.find("postfix_unsupported_log_entries_total{")) << text;
  const std::string golden =
      std::string(MAILPATH_FIXTURES_DIR) + "/../golden/postfix_classifier_3.10.prom";
  if (const char* u = std::getenv("UPDATE_GOLDEN"); u != nullptr && std::string(u) == "1") {
    std::ofstream(golden) << text;
  }
  std::ifstream g(golden);
  std::stringstream want;
  want << g.rdbuf();
  EXPECT_EQ(want.str(), text) << "UPDATE_GOLDEN=1 rewrites " << golden;
}

TEST(PostfixCollector, service_and_instance_come_from_the_syslog_tag) {
  PostfixCollector c;
  Feed(c,
       "Nov 22 10:00:00 mx postfix-out/submission/smtpd[1]: lost connection after STARTTLS from "
       "x[1.2.3.4]");
  const std::string text = Scrape(c);
  EXPECT_NE(std::string::npos, text.find("postfix_smtpd_session_ends_total{postfix_instance="
                                         "\"postfix-out\",service=\"submission\","
                                         "reason=\"lost_connection\",stage=\"STARTTLS\"} 1"));
}

TEST(PostfixCollector, a_million_distinct_users_networks_and_domains_stay_under_caps) {
  PostfixCollector c(PostfixCollectorOptions{5, 5, 5});
  for (int i = 0; i < 1'000'000; ++i) {
    const std::string n = std::to_string(i);
    const std::string ip = std::to_string(i % 250) + "." + std::to_string((i / 250) % 250) + "." +
                           std::to_string((i / 62500) % 250) + ".9";
    LogRecord r;
    r.program = Program::kPostfix;
    r.instance = "postfix";
    switch (i % 4) {
      case 0: {
        r.service = r.daemon = "smtpd";
        const std::string m =
            "Q" + n + "AAAA: client=h[" + ip + "], sasl_method=PLAIN, sasl_username=u" + n;
        r.message = m;
        c.Consume(r);
        break;
      }
      case 1: {
        r.service = r.daemon = "smtpd";
        const std::string m =
            "warning: Connection rate limit exceeded: 9 from h[" + ip + "] for service smtpd";
        r.message = m;
        c.Consume(r);
        break;
      }
      case 2: {
        r.service = r.daemon = "smtp";
        const std::string m =
            "A" + n + "BBBB: to=<x@d" + n +
            ".example>, relay=r[1.1.1.1]:25, delay=1, "
            "delays=0/0/0/1, dsn=4.7.1, status=deferred (host r said: 450 4.7.1 slow down)";
        r.message = m;
        c.Consume(r);
        break;
      }
      default: {
        const std::string svc = "svc" + n;  // hostile syslog tags
        r.service = svc;
        r.daemon = "smtpd";
        r.message = "connect from h[1.2.3.4]";
        c.Consume(r);
      }
    }
  }
  const std::string text = Scrape(c);
  EXPECT_LE(Series(text, "postfix_sasl_user_messages_total"), 6u);
  EXPECT_LE(Series(text, "postfix_client_network_limit_hits_total"), 6u);
  EXPECT_LE(Series(text, "postfix_remote_throttling_by_domain_total"), 6u);
  EXPECT_LE(Series(text, "postfix_smtpd_connects_total"), 65u);
  EXPECT_NE(std::string::npos, text.find("sasl_username=\"other\""));
  std::size_t lines = 0;
  for (char ch : text) lines += ch == '\n';
  EXPECT_LT(lines, 400u);
}

}  // namespace
}  // namespace mailpath::logs::classify
