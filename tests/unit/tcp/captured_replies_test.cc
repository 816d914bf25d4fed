// The parser and the path classifier on sock_diag replies captured from the
// real kernel in the three-namespace lab (tests/fixtures/netlink/README.md).

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "mailpath/tcp/diag_reply.h"
#include "mailpath/tcp/kernel_counters.h"
#include "mailpath/tcp/path_class.h"
#include "mailpath/tcp/port_aggregate.h"

namespace mailpath::tcp {
namespace {

std::string ReadFixture(const std::string& rel) {
  std::ifstream in(std::string(MAILPATH_FIXTURES_DIR) + "/" + rel, std::ios::binary);
  EXPECT_TRUE(in.good()) << rel;
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

struct Parsed {
  ReplyStatus status;
  std::vector<SocketSample> sockets;
};

Parsed Parse(const std::string& file) {
  Parsed p;
  const std::string bytes = ReadFixture("netlink/" + file);
  p.status = ParseDiagReply(bytes, [&p](const SocketSample& s) { p.sockets.push_back(s); });
  return p;
}

// Established server-side sockets of a lab capture (both dump families): port -> class.
std::map<std::uint16_t, std::string> ClassesByPort(const std::string& mode_family) {
  std::map<std::uint16_t, std::string> out;
  for (const char* af : {"inet", "inet6"}) {
    const Parsed p = Parse(mode_family + "_" + af + ".nldump");
    EXPECT_TRUE(p.status.done) << mode_family << af;
    EXPECT_FALSE(p.status.malformed) << mode_family << af;
    for (const SocketSample& s : p.sockets) {
      if (s.state != 1 || (s.sport != 587 && s.sport != 993)) continue;
      EXPECT_FALSE(out.count(s.sport)) << "one connection per port in the lab";
      out[s.sport] = std::string(PathClassName(ClassifyPath(s)));
    }
  }
  return out;
}

using Want = std::map<std::uint16_t, std::string>;

TEST(CapturedReplies, blackhole_lab_is_a_suspect_on_both_ports_ipv4_and_ipv6) {
  EXPECT_EQ(ClassesByPort("blackhole_v4"),
            (Want{{587, "blackhole_suspect"}, {993, "blackhole_suspect"}}));
  EXPECT_EQ(ClassesByPort("blackhole_v6"),
            (Want{{587, "blackhole_suspect"}, {993, "blackhole_suspect"}}));
}

TEST(CapturedReplies, working_pmtud_is_reduced_not_suspect) {
  EXPECT_EQ(ClassesByPort("pmtud_v4"), (Want{{587, "pmtud_reduced"}, {993, "pmtud_reduced"}}));
  EXPECT_EQ(ClassesByPort("pmtud_v6"), (Want{{587, "pmtud_reduced"}, {993, "pmtud_reduced"}}));
}

TEST(CapturedReplies, mss_clamping_on_the_router_is_clamped) {
  EXPECT_EQ(ClassesByPort("clamped_v4"), (Want{{587, "clamped"}, {993, "clamped"}}));
  EXPECT_EQ(ClassesByPort("clamped_v6"), (Want{{587, "clamped"}, {993, "clamped"}}));
}

TEST(CapturedReplies, mtu_probing_recovery_is_probing_recovered) {
  EXPECT_EQ(ClassesByPort("probing_v4"),
            (Want{{587, "probing_recovered"}, {993, "probing_recovered"}}));
}

TEST(CapturedReplies, dual_stack_listener_reports_ipv4_peer_in_the_inet6_dump) {
  const Parsed p = Parse("blackhole_v4_inet6.nldump");
  bool mapped = false;
  for (const SocketSample& s : p.sockets) {
    if (s.sport != 993 || s.state != 1) continue;
    EXPECT_EQ(s.family, 10);
    mapped = s.dst[10] == 0xff && s.dst[11] == 0xff && s.dst[12] == 10;  // ::ffff:10.x.x.x
  }
  EXPECT_TRUE(mapped);
}

TEST(CapturedReplies, listeners_report_port_family_and_backlog_and_stay_out_of_the_socket_states) {
  // The v4 lab: the python responder listens on 587 (IPv4, backlog 16), openssl s_server on 993
  // (dual-stack, so in the inet6 dump; its default backlog 4096). Port 995 is configured, unserved.
  std::vector<SocketSample> dump;
  for (const char* f : {"blackhole_v4_inet.nldump", "blackhole_v4_inet6.nldump"}) {
    for (const SocketSample& s : Parse(f).sockets) dump.push_back(s);
  }
  PortAggregator ports({587, 993, 995}, {25});
  const DumpAggregate agg = ports.Apply(dump);
  ASSERT_EQ(agg.listeners.size(), 2u);
  const ListenerStats l587 = agg.listeners.at({587, 2});
  const ListenerStats l993 = agg.listeners.at({993, 10});
  EXPECT_EQ(l587.sockets, 1u);
  EXPECT_EQ(l587.queue, 0u);
  EXPECT_EQ(l587.backlog, 16u);
  EXPECT_EQ(l993.sockets, 1u);
  EXPECT_EQ(l993.backlog, 4096u);
  EXPECT_FALSE(agg.listeners.count({995, 2}));
  for (const auto& [key, stats] : agg.ports) {
    EXPECT_FALSE(stats.states.count("listen")) << key.port;
  }
  EXPECT_EQ(agg.ports.at(PortKey{587, true}).states.at("established"), 1u);
}

TEST(CapturedReplies, debian12_sized_info_keeps_the_verdict_and_lacks_newer_fields) {
  const Parsed p = Parse("blackhole_v4_inet_info232.nldump");
  ASSERT_TRUE(p.status.done);
  int suspects = 0;
  for (const SocketSample& s : p.sockets) {
    if (s.state != 1 || !s.info) continue;
    EXPECT_EQ(s.info->length, 232u);
    EXPECT_TRUE(s.info->bytes_acked.has_value());
    EXPECT_TRUE(s.info->bytes_retrans.has_value());
    EXPECT_FALSE(s.info->total_rto.has_value()) << "6.7+ field must be absent, not zero";
    suspects += ClassifyPath(s) == PathClass::kBlackholeSuspect;
  }
  EXPECT_EQ(suspects, 1);  // 587; 993 is in the inet6 dump
}

TEST(CapturedReplies, base_sized_info_has_no_byte_counters) {
  const Parsed p = Parse("blackhole_v4_inet_info104.nldump");
  ASSERT_TRUE(p.status.done);
  int with_info = 0;
  for (const SocketSample& s : p.sockets) {
    if (!s.info) continue;
    ++with_info;
    if (s.state != 1) continue;  // listeners report snd_mss 0
    EXPECT_EQ(s.info->length, 104u);
    EXPECT_FALSE(s.info->bytes_acked.has_value());
    EXPECT_GT(s.info->snd_mss, 0u);
  }
  EXPECT_GT(with_info, 0);
}

TEST(CapturedReplies, cut_and_overlong_replies_are_malformed_not_a_crash) {
  const Parsed cut = Parse("malformed_cut.nldump");
  EXPECT_TRUE(cut.status.malformed);
  EXPECT_FALSE(cut.status.done);
  const Parsed attr = Parse("malformed_attr.nldump");
  EXPECT_TRUE(attr.status.malformed);
}

TEST(CapturedReplies, lab_namespace_counters_show_timeouts_and_icmp) {
  const auto bh = ParseNetstatPairs(ReadFixture("procnet/blackhole_v4_root/net/netstat"));
  EXPECT_GT(bh.at("TcpExt.TCPTimeouts"), 0u);
  const auto snmp = ParseNetstatPairs(ReadFixture("procnet/blackhole_v4_root/net/snmp"));
  EXPECT_GT(snmp.at("Tcp.RetransSegs"), 0u);
  EXPECT_EQ(snmp.count("IcmpMsg.InType3"), 0u) << "the router dropped every frag-needed";
  const auto v6 = ParseSnmp6(ReadFixture("procnet/pmtud_v6_root/net/snmp6"));
  EXPECT_GT(v6.at("Icmp6InPktTooBigs"), 0u);
}

}  // namespace
}  // namespace mailpath::tcp
