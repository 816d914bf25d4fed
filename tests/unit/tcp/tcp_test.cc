#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>

#include <cstring>
#include <limits>

#include "mailpath/tcp/diag_reply.h"
#include "mailpath/tcp/kernel_counters.h"
#include "mailpath/tcp/path_class.h"
#include "mailpath/tcp/port_aggregate.h"

namespace mailpath::tcp {
namespace {

// A tcp_info image of `len` bytes with the given fields at their kernel offsets.
struct InfoImage {
  std::string bytes;
  explicit InfoImage(std::size_t len) : bytes(len, '\0') {}
  template <typename T>
  InfoImage& Set(std::size_t off, T v) {
    if (off + sizeof v <= bytes.size()) std::memcpy(bytes.data() + off, &v, sizeof v);
    return *this;
  }
};

// Values measured in the lab (shared/notes/tcp-info-and-pmtud.md §4.1), IPv4 port 587 server
// sockets.
InfoImage Lab(std::size_t len, std::uint8_t ca_state, std::uint8_t retransmits,
              std::uint8_t backoff, std::uint32_t snd_mss, std::uint32_t advmss, std::uint32_t pmtu,
              std::uint32_t unacked, std::uint32_t lost, std::uint32_t total_retrans,
              std::uint16_t total_rto, std::uint16_t recoveries) {
  InfoImage i(len);
  i.Set<std::uint8_t>(0, 1)
      .Set<std::uint8_t>(1, ca_state)
      .Set<std::uint8_t>(2, retransmits)
      .Set<std::uint8_t>(4, backoff);
  i.Set<std::uint32_t>(16, snd_mss).Set<std::uint32_t>(24, unacked).Set<std::uint32_t>(32, lost);
  i.Set<std::uint32_t>(60, pmtu)
      .Set<std::uint32_t>(68, 250)
      .Set<std::uint32_t>(84, advmss)
      .Set<std::uint32_t>(100, total_retrans);
  i.Set<std::uint64_t>(120, 123)
      .Set<std::uint16_t>(240, total_rto)
      .Set<std::uint16_t>(242, recoveries);
  return i;
}

SocketSample Established(const InfoImage& img, std::uint16_t sport = 587,
                         std::uint64_t cookie = 1) {
  SocketSample s;
  s.family = AF_INET;
  s.state = 1;
  s.sport = sport;
  s.dport = 40000;
  s.cookie = cookie;
  s.wqueue = 7939;  // the lab's TLS server flight, all of it unacknowledged in the blackhole
  s.info = DecodeTcpInfo(img.bytes);
  return s;
}

TEST(DecodeTcpInfo, fields_beyond_the_kernels_length_are_absent_not_zero) {
  EXPECT_FALSE(DecodeTcpInfo(std::string(103, '\0')).has_value());
  const auto old = DecodeTcpInfo(InfoImage(104).Set<std::uint32_t>(16, 1448).bytes);
  ASSERT_TRUE(old.has_value());
  EXPECT_EQ(1448u, old->snd_mss);
  EXPECT_FALSE(old->bytes_acked.has_value());
  const auto debian12 =
      DecodeTcpInfo(InfoImage(232).Set<std::uint64_t>(208, 4096).bytes);  // kernel 6.1
  ASSERT_TRUE(debian12.has_value());
  EXPECT_EQ(4096u, debian12->bytes_retrans.value());
  EXPECT_FALSE(debian12->total_rto.has_value());
  const auto recent =
      DecodeTcpInfo(InfoImage(280).Set<std::uint16_t>(240, 6).Set<std::uint32_t>(244, 19850).bytes);
  ASSERT_TRUE(recent.has_value());
  EXPECT_EQ(6, recent->total_rto.value());
  EXPECT_EQ(19850u, recent->total_rto_time_ms.value());
}

TEST(ClassifyPath, lab_ground_truth) {
  struct Case {
    const char* name;
    InfoImage img;
    PathClass want;
  };
  const Case cases[] = {
      {"blackhole v4", Lab(280, 4, 6, 6, 1448, 1448, 1500, 6, 5, 8, 6, 1),
       PathClass::kBlackholeSuspect},
      {"blackhole v6", Lab(280, 4, 6, 6, 1428, 1428, 1500, 6, 5, 8, 6, 1),
       PathClass::kBlackholeSuspect},
      {"blackhole on 6.1 (no total_rto)", Lab(232, 4, 3, 3, 1448, 1448, 1500, 6, 5, 4, 0, 0),
       PathClass::kBlackholeSuspect},
      {"pmtud ok", Lab(280, 0, 0, 0, 1348, 1448, 1400, 0, 0, 4, 0, 0), PathClass::kPmtudReduced},
      {"pmtud ok, PMTU already cached at SYN", Lab(280, 0, 0, 0, 1348, 1348, 1400, 0, 0, 0, 0, 0),
       PathClass::kPmtudReduced},
      {"clamped", Lab(280, 0, 0, 0, 1348, 1448, 1500, 0, 0, 0, 0, 0), PathClass::kClamped},
      {"probing rescued", Lab(280, 0, 0, 0, 1024, 1448, 1500, 0, 0, 13, 4, 1),
       PathClass::kProbingRecovered},
      {"small segments lost", Lab(280, 4, 3, 3, 536, 1448, 1500, 2, 1, 5, 3, 0),
       PathClass::kGenericLoss},
      {"recovery, not stuck", Lab(280, 3, 1, 1, 1448, 1448, 1500, 3, 1, 1, 0, 0),
       PathClass::kGenericLoss},
      {"healthy", Lab(280, 0, 0, 0, 1448, 1448, 1500, 0, 0, 0, 0, 0), PathClass::kHealthy},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(PathClassName(c.want), PathClassName(ClassifyPath(Established(c.img))));
  }
  SocketSample syn = Established(Lab(280, 4, 6, 6, 1448, 1448, 1500, 6, 5, 8, 6, 1));
  syn.state = 3;
  EXPECT_EQ(PathClass::kHealthy, ClassifyPath(syn)) << "only established sockets are classified";
}

TEST(PortAggregator, listeners_sum_queue_and_backlog_per_port_and_family_on_local_ports_only) {
  PortAggregator agg({587}, {25});
  auto listener = [](std::uint8_t family, std::uint16_t port, std::uint32_t queue,
                     std::uint32_t backlog) {
    SocketSample s;
    s.family = family;
    s.state = kTcpListen;
    s.sport = port;
    s.rqueue = queue;
    s.wqueue = backlog;
    return s;
  };
  // Two SO_REUSEPORT listeners on 587/IPv4 (one full: the kernel lets the queue reach backlog + 1),
  // one on 587/IPv6, and a listener on 25, which is only a remote port here.
  const auto got = agg.Apply({listener(AF_INET, 587, 3, 2), listener(AF_INET, 587, 0, 100),
                              listener(AF_INET6, 587, 0, 100), listener(AF_INET, 25, 5, 100)});
  ASSERT_EQ(2u, got.listeners.size());
  const ListenerStats v4 = got.listeners.at({587, AF_INET});
  EXPECT_EQ(2u, v4.sockets);
  EXPECT_EQ(3u, v4.queue);
  EXPECT_EQ(102u, v4.backlog);
  EXPECT_EQ(1u, got.listeners.at({587, AF_INET6}).sockets);
  EXPECT_TRUE(got.ports.empty()) << "listeners are not sockets by state";
  EXPECT_EQ(0u, got.sockets);
}

TEST(PortAggregator, aggregates_per_port_and_direction_with_cookie_deltas) {
  PortAggregator agg({587, 993}, {25});
  SocketSample a = Established(Lab(280, 0, 0, 0, 1448, 1448, 1500, 0, 0, 3, 1, 0), 587, 11);
  SocketSample b = Established(Lab(280, 0, 0, 0, 1448, 1448, 1500, 0, 0, 0, 0, 0), 40001, 12);
  b.dport = 25;
  SocketSample other = Established(Lab(280, 0, 0, 0, 1448, 1448, 1500, 0, 0, 9, 0, 0), 8080, 13);
  auto first = agg.Apply({a, b, other});
  EXPECT_EQ(2u, first.sockets);
  EXPECT_EQ(1u, first.ports[(PortKey{587, true})].states["established"]);
  EXPECT_EQ(1u, first.ports[(PortKey{25, false})].classes[PathClass::kHealthy]);
  EXPECT_EQ(3u, agg.retransmitted_segments().at((PortKey{587, true})));
  // Next dump: a retransmitted 4 more; b closed; a new socket with 2.
  a.info = DecodeTcpInfo(Lab(280, 0, 0, 0, 1448, 1448, 1500, 0, 0, 7, 2, 0).bytes);
  SocketSample c = Established(Lab(280, 0, 0, 0, 1448, 1448, 1500, 0, 0, 2, 0, 0), 587, 14);
  (void)agg.Apply({a, c});
  EXPECT_EQ(3u + 4u + 2u, agg.retransmitted_segments().at((PortKey{587, true})));
  EXPECT_EQ(2u, agg.rto_events().at((PortKey{587, true})));
  // The same cookie reappearing after it dropped out counts from zero again, never negative.
  a.info = DecodeTcpInfo(Lab(280, 0, 0, 0, 1448, 1448, 1500, 0, 0, 7, 2, 0).bytes);
  (void)agg.Apply({a});
  EXPECT_EQ(9u, agg.retransmitted_segments().at((PortKey{587, true})));
}

// Builds a netlink reply buffer like the kernel's.
std::string Reply(const std::vector<SocketSample>& socks, const std::vector<std::string>& infos,
                  bool done, std::uint16_t flags = 0) {
  std::string out;
  for (std::size_t i = 0; i < socks.size(); ++i) {
    inet_diag_msg m{};
    m.idiag_family = socks[i].family;
    m.idiag_state = socks[i].state;
    m.id.idiag_sport = htons(socks[i].sport);
    m.id.idiag_dport = htons(socks[i].dport);
    m.id.idiag_cookie[0] = static_cast<std::uint32_t>(socks[i].cookie);
    m.idiag_rqueue = socks[i].rqueue;
    m.idiag_wqueue = socks[i].wqueue;
    std::string body(reinterpret_cast<const char*>(&m), sizeof m);
    const std::string& info = infos[i];
    const std::uint16_t alen = static_cast<std::uint16_t>(4 + info.size());
    const std::uint16_t atype = INET_DIAG_INFO;
    body.append(reinterpret_cast<const char*>(&alen), 2)
        .append(reinterpret_cast<const char*>(&atype), 2)
        .append(info);
    body.resize((body.size() + 3) & ~std::size_t{3}, '\0');
    nlmsghdr h{};
    h.nlmsg_len = static_cast<std::uint32_t>(sizeof h + body.size());
    h.nlmsg_type = SOCK_DIAG_BY_FAMILY;
    h.nlmsg_flags = NLM_F_MULTI | flags;
    out.append(reinterpret_cast<const char*>(&h), sizeof h).append(body);
  }
  if (done) {
    nlmsghdr h{};
    h.nlmsg_len = sizeof h + 4;
    h.nlmsg_type = NLMSG_DONE;
    out.append(reinterpret_cast<const char*>(&h), sizeof h).append(4, '\0');
  }
  return out;
}

TEST(ParseDiagReply, reads_sockets_info_and_done) {
  SocketSample s = Established(Lab(232, 4, 6, 6, 1448, 1448, 1500, 6, 5, 8, 0, 0), 993, 77);
  const std::string buf =
      Reply({s}, {Lab(232, 4, 6, 6, 1448, 1448, 1500, 6, 5, 8, 0, 0).bytes}, true);
  std::vector<SocketSample> got;
  const auto st = ParseDiagReply(buf, [&](const SocketSample& x) { got.push_back(x); });
  EXPECT_TRUE(st.done);
  EXPECT_FALSE(st.malformed);
  ASSERT_EQ(1u, got.size());
  EXPECT_EQ(993, got[0].sport);
  EXPECT_EQ(77u, got[0].cookie);
  ASSERT_TRUE(got[0].info.has_value());
  EXPECT_EQ(232u, got[0].info->length);
  EXPECT_EQ(PathClass::kBlackholeSuspect, ClassifyPath(got[0]));
}

TEST(ParseDiagReply, truncated_info_malformed_lengths_errors_and_interrupts) {
  SocketSample s = Established(Lab(280, 0, 0, 0, 1448, 1448, 1500, 0, 0, 0, 0, 0));
  // tcp_info shorter than the base: socket kept, info absent.
  std::vector<SocketSample> got;
  auto st = ParseDiagReply(Reply({s}, {std::string(60, '\0')}, true),
                           [&](const SocketSample& x) { got.push_back(x); });
  ASSERT_EQ(1u, got.size());
  EXPECT_FALSE(got[0].info.has_value());
  // A message length pointing past the buffer.
  std::string bad = Reply({s}, {std::string(120, '\0')}, false);
  bad.resize(bad.size() - 10);
  st = ParseDiagReply(bad, [](const SocketSample&) {});
  EXPECT_TRUE(st.malformed);
  // An attribute length pointing past its message.
  std::string bad_attr = Reply({s}, {std::string(120, '\0')}, false);
  const std::size_t attr_at = sizeof(nlmsghdr) + sizeof(inet_diag_msg);
  const std::uint16_t huge = 4000;
  std::memcpy(bad_attr.data() + attr_at, &huge, 2);
  EXPECT_TRUE(ParseDiagReply(bad_attr, [](const SocketSample&) {}).malformed);
  // NLMSG_ERROR carries -errno.
  nlmsghdr h{};
  h.nlmsg_len = sizeof h + 4;
  h.nlmsg_type = NLMSG_ERROR;
  const int err = -22;
  std::string e(reinterpret_cast<const char*>(&h), sizeof h);
  e.append(reinterpret_cast<const char*>(&err), 4);
  EXPECT_EQ(22, ParseDiagReply(e, [](const SocketSample&) {}).error);
  // A code with no errno meaning (found by netlink_reply_fuzz: INT_MIN has no negation).
  for (const int bogus : {0, 5, std::numeric_limits<int>::min()}) {
    std::string b(reinterpret_cast<const char*>(&h), sizeof h);
    b.append(reinterpret_cast<const char*>(&bogus), 4);
    EXPECT_EQ(EPROTO, ParseDiagReply(b, [](const SocketSample&) {}).error) << bogus;
  }
  // NLM_F_DUMP_INTR.
  EXPECT_TRUE(ParseDiagReply(Reply({s}, {std::string(120, '\0')}, true, NLM_F_DUMP_INTR),
                             [](const SocketSample&) {})
                  .interrupted);
  // Garbage.
  EXPECT_FALSE(ParseDiagReply(std::string(7, 'x'), [](const SocketSample&) {}).done);
}

TEST(BuildPortFilter, is_an_or_chain_ss_would_build) {
  const std::string bc = BuildPortFilter({25, 587}, {25});
  ASSERT_EQ(3u * 12 + 2u * 4, bc.size());
  inet_diag_bc_op op{};
  std::memcpy(&op, bc.data(), sizeof op);
  EXPECT_EQ(INET_DIAG_BC_S_COND, op.code);
  EXPECT_EQ(12, op.yes);
  EXPECT_EQ(16, op.no);
  std::memcpy(&op, bc.data() + 12, sizeof op);
  EXPECT_EQ(INET_DIAG_BC_JMP, op.code);
  EXPECT_EQ(bc.size() - 12, op.no);
  std::memcpy(&op, bc.data() + bc.size() - 12, sizeof op);
  EXPECT_EQ(INET_DIAG_BC_D_COND, op.code);
  EXPECT_EQ(16, op.no) << "the last condition rejects by jumping past the end";
  EXPECT_EQ("", BuildPortFilter({}, {}));
}

TEST(KernelCounters, parses_netstat_pairs_and_snmp6) {
  const auto m = ParseNetstatPairs(
      "TcpExt: SyncookiesSent TCPMTUPFail TCPMTUPSuccess\nTcpExt: 0 3 4\n"
      "Tcp: RtoAlgorithm MaxConn RetransSegs\nTcp: 1 -1 15\nIcmpMsg: InType3 OutType0\nIcmpMsg: 2 "
      "1\n");
  EXPECT_EQ(3u, m.at("TcpExt.TCPMTUPFail"));
  EXPECT_EQ(15u, m.at("Tcp.RetransSegs"));
  EXPECT_EQ(0u, m.at("Tcp.MaxConn"));
  EXPECT_EQ(2u, m.at("IcmpMsg.InType3"));
  EXPECT_EQ(1u, ParseSnmp6("Icmp6InMsgs 9\nIcmp6InPktTooBigs 1\n").at("Icmp6InPktTooBigs"));
  EXPECT_TRUE(ParseNetstatPairs("TcpExt: a b\nTcpExt: 1\n").empty())
      << "mismatched rows are skipped";
}

}  // namespace
}  // namespace mailpath::tcp
