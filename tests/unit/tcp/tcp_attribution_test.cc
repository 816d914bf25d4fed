// Attribution (issue 19): the tcp collector remembers each established mail
// socket's verdict by peer, and the postfix and dovecot collectors count their
// TLS and DATA losses with it. Recorded lab dumps (tests/fixtures/netlink/)
// and real log lines.

#include <gtest/gtest.h>

#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "mailpath/common/read_file.h"
#include "mailpath/logs/classify/dovecot_collector.h"
#include "mailpath/logs/classify/postfix_collector.h"
#include "mailpath/logs/envelope.h"
#include "mailpath/metrics/exposition.h"
#include "mailpath/tcp/kernel_counters.h"
#include "mailpath/tcp/replay_sock_diag_source.h"
#include "mailpath/tcp/tcp_collector.h"

namespace mailpath {
namespace {

const std::string kFixtures = MAILPATH_FIXTURES_DIR;

std::string Scrape(metrics::Collector& c) {
  std::vector<prometheus::MetricFamily> f;
  c.Collect(f);
  return metrics::SerializeText(f);
}

// A TLS or DATA loss as the log classifiers hand it over.
struct Recorded final : PathAttribution {
  std::vector<std::string> calls;
  void CountLoss(std::string_view daemon, std::string_view stage, std::string_view peer) override {
    calls.push_back(std::string(daemon) + " " + std::string(stage) + " " + std::string(peer));
  }
};

void Feed(logs::classify::PostfixCollector& c, const std::string& line) {
  logs::LogRecord r;
  ASSERT_TRUE(logs::ParseLogLine(line, 1795354145000000, r)) << line;
  c.Consume(r);
}

TEST(Attribution,
     the_blackholed_lab_client_is_remembered_and_its_lost_handshake_counted_as_blackhole) {
  // The v4 blackhole capture: client 10.200.1.2 stalled on 587 and 993 (blackhole_suspect).
  auto paths = std::make_shared<tcp::PeerPaths>();
  std::ostringstream log;
  Logger logger(log, LogLevel::kInfo, LogFormat::kLogfmt);
  const tcp::RecordedDump dump{ReadSmallFile(kFixtures + "/netlink/blackhole_v4_inet.nldump"),
                               ReadSmallFile(kFixtures + "/netlink/blackhole_v4_inet6.nldump")};
  tcp::TcpCollectorOptions options{{587, 993}, {25}, paths};
  tcp::TcpCollector collector(
      options,
      std::make_unique<tcp::ReplaySockDiagSource>(std::vector<tcp::RecordedDump>{dump, dump},
                                                  options.local_ports, options.remote_ports),
      std::make_unique<tcp::ProcfsKernelCounters>(kFixtures + "/procnet/blackhole_v4_root"),
      logger);
  const std::string first = Scrape(collector);
  EXPECT_NE(
      first.find("mailpath_tcp_suspect_networks{network=\"10.200.1.0/24\",path=\"blackhole\"} 1\n"),
      std::string::npos)
      << first;
  EXPECT_EQ(first.find("mailpath_tcp_attributed_losses_total"), std::string::npos)
      << "no loss counted yet";

  logs::classify::PostfixCollector postfix;
  postfix.SetPathAttribution(paths);
  Feed(postfix,
       "2026-11-22T13:29:24.000000+00:00 vm postfix/submission/smtpd[10509]: lost connection after "
       "STARTTLS from unknown[10.200.1.2]");
  Feed(postfix,
       "2026-11-22T13:29:25.000000+00:00 vm postfix/smtpd[10510]: lost connection after DATA (0 "
       "bytes) "
       "from unknown[192.0.2.9]");
  logs::classify::DovecotCollector dovecot;
  dovecot.SetPathAttribution(paths);
  dovecot.ConsumeMessage(
      "imap-login: Disconnected: Connection closed (no auth attempts in 0 secs): user=<>, "
      "rip=10.200.1.2, lip=10.200.2.2, TLS handshaking: Connection closed, "
      "session=<soW6et1gRq1/AAAB>");
  const std::string second = Scrape(collector);
  for (const char* want : {"mailpath_tcp_attributed_losses_total{daemon=\"dovecot\",stage=\"tls\","
                           "path=\"blackhole\"} 1\n",
                           "mailpath_tcp_attributed_losses_total{daemon=\"postfix\",stage=\"data\","
                           "path=\"unknown\"} 1\n",
                           "mailpath_tcp_attributed_losses_total{daemon=\"postfix\",stage=\"tls\","
                           "path=\"blackhole\"} 1\n"}) {
    EXPECT_NE(second.find(want), std::string::npos) << want << second;
  }
}

TEST(Attribution, postfix_hands_over_tls_and_data_losses_only) {
  auto recorded = std::make_shared<Recorded>();
  logs::classify::PostfixCollector postfix;
  postfix.SetPathAttribution(recorded);
  for (const char* line : {
           "lost connection after STARTTLS from unknown[192.0.2.1]",
           "timeout after DATA (4096 bytes) from mail.example.org[2001:db8::5]",
           "lost connection after CONNECT from unknown[198.51.100.7]",
           "lost connection after EHLO from unknown[192.0.2.2]",      // not a TLS or DATA loss
           "too many errors after STARTTLS from unknown[192.0.2.3]",  // the client's fault, not the
                                                                      // path's
       }) {
    Feed(postfix, std::string("2026-11-22T13:29:24.000000+00:00 vm postfix/smtpd[1]: ") + line);
  }
  EXPECT_EQ((std::vector<std::string>{"postfix tls 192.0.2.1", "postfix data 2001:db8::5",
                                      "postfix tls 198.51.100.7"}),
            recorded->calls);
}

}  // namespace
}  // namespace mailpath
