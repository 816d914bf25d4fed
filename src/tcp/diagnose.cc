#include "mailpath/tcp/diagnose.h"

#include <arpa/inet.h>
#include <netdb.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

#include "mailpath/tcp/mnl_sock_diag_source.h"
#include "mailpath/tcp/path_class.h"

namespace mailpath::tcp {
namespace {

std::string Address(const SocketSample& s, const std::array<std::uint8_t, 16>& a,
                    std::uint16_t port) {
  char buf[INET6_ADDRSTRLEN] = {0};
  if (s.family == AF_INET) {
    inet_ntop(AF_INET, a.data(), buf, sizeof buf);
    return std::string(buf) + ":" + std::to_string(port);
  }
  inet_ntop(AF_INET6, a.data(), buf, sizeof buf);
  return "[" + std::string(buf) + "]:" + std::to_string(port);
}

// What each suspect shape means and how to fix it, by whose segments die and who opened the
// connection (docs/tcp.md "Path classes"; the lab cases of tests/integration/test_tcp_path.py).
std::string Advice(PathClass c, bool inbound) {
  std::ostringstream o;
  const char* them = inbound ? "the clients" : "the remote servers";
  const char* path =
      inbound ? "the router/VPN in front of those clients" : "our gateway or the remote side's";
  switch (c) {
    case PathClass::kBlackholeSuspect:
      o << "Our full-size segments die on the way to " << them
        << (inbound ? " (our TLS certificate flight, a long reply)"
                    : " (our DATA, our ClientHello)")
        << ",\nwhile the small ones arrive and no ICMP \"fragmentation needed\" / \"packet too "
           "big\" comes back:\n"
           "a path MTU blackhole. It looks like a TLS or DATA problem but the certificate is "
           "fine.\n"
           "Confirm towards that peer: ping -M do -s 1472 <peer> (IPv4; 1452 for IPv6) fails where "
           "-s 1300 works.\n"
           "Fix, on "
        << path
        << " (SYN path), one of:\n"
           "  iptables -t mangle -A FORWARD -p tcp --tcp-flags SYN,RST SYN -j TCPMSS "
           "--clamp-mss-to-pmtu\n"
           "  nft add rule inet filter forward tcp flags syn tcp option maxseg size set rt mtu\n"
           "  or set the tunnel interface MTU right, or let ICMP type 3 code 4 / ICMPv6 type 2 "
           "through.\n"
           "Stopgap on this host (we are the sender): sysctl -w net.ipv4.tcp_mtu_probing=1 (IPv6 "
           "too), or\n"
           "  ip route add <peer network> via <gateway> mtu lock 1400   (smaller segments towards "
           "that network).\n";
      break;
    case PathClass::kRcvBlackholeSuspect:
      o << "The full-size segments of " << them
        << (inbound ? " (a 1.5 kB post-quantum ClientHello, a message's DATA)"
                    : " (their TLS certificate flight)")
        << "\nnever reach us while their small ones do (data held out of order behind a hole, or "
           "our reply\n"
           "resent and reported as a duplicate, then silence): a path MTU blackhole in their "
           "direction.\n"
           "Nothing is retransmitted by this host, so the send-side signs stay clean.\n"
           "Confirm from "
        << (inbound ? "a client behind that path: ping -M do -s 1472 <this host>"
                    : "here: ping -M do -s 1472 <peer>")
        << " fails where -s 1300 works.\n"
           "Fix, on "
        << path
        << " (SYN path):\n"
           "  MSS clamping (TCPMSS --clamp-mss-to-pmtu, or nft ... maxseg size set rt mtu), the "
           "tunnel MTU,\n"
           "  or let ICMP type 3 code 4 / ICMPv6 type 2 through.\n"
           "Stopgap on this host: advertise a smaller MSS to that network, so the peer sends "
           "smaller segments:\n"
           "  ip route change <peer network> via <gateway> advmss 1300\n"
           "  (tcp_mtu_probing here does not help: the peer is the sender; the peer's own "
           "tcp_mtu_probing=1 does).\n";
      break;
    case PathClass::kOutage:
      o << "Every segment towards these peers is lost, small ones too (a banner or reply "
           "retransmitted with\n"
           "nothing back), or the peer never acknowledged a byte: an outage, a firewall or a "
           "vanished peer,\n"
           "not a size problem. MSS clamping and MTU settings will not help: check reachability "
           "(ping -s 56),\n"
           "routing and firewalls between here and there.\n";
      break;
    default:
      break;
  }
  return o.str();
}

}  // namespace

std::string FormatDiagnosis(const std::vector<SocketSample>& dump, const PortAggregator& ports,
                            std::uint32_t link_mtu) {
  std::map<PortKey, std::map<PathClass, int>> counts;
  // (class, inbound) -> sockets; only the suspect shapes and outages are listed.
  std::map<std::pair<PathClass, bool>, std::vector<const SocketSample*>> listed;
  for (const SocketSample& s : dump) {
    PortKey k;
    if (!ports.Key(s, k) || s.state != 1) continue;
    const PathClass c = ClassifyPath(s, link_mtu);
    ++counts[k][c];
    if (c == PathClass::kBlackholeSuspect || c == PathClass::kRcvBlackholeSuspect ||
        c == PathClass::kOutage) {
      listed[{c, k.inbound}].push_back(&s);
    }
  }
  std::ostringstream out;
  out << "mailpath_exporter diagnose: TCP path health of the mail ports (established sockets)\n\n";
  if (counts.empty()) out << "No established sockets on the mail ports right now.\n";
  for (const auto& [k, by_class] : counts) {
    out << "port " << k.port << " " << (k.inbound ? "inbound " : "outbound") << ":";
    for (PathClass c : kAllPathClasses) {
      auto it = by_class.find(c);
      if (it != by_class.end()) out << "  " << PathClassName(c) << "=" << it->second;
    }
    out << "\n";
  }
  const bool suspects = listed.count({PathClass::kBlackholeSuspect, true}) ||
                        listed.count({PathClass::kBlackholeSuspect, false}) ||
                        listed.count({PathClass::kRcvBlackholeSuspect, true}) ||
                        listed.count({PathClass::kRcvBlackholeSuspect, false});
  if (!suspects) out << "\nNo PMTUD blackhole suspects.\n";
  char line[512];
  for (const auto& [key, sockets] : listed) {
    const auto [c, inbound] = key;
    out << "\n"
        << (c == PathClass::kOutage ? "Lost peers (outage, not blackhole)" : "Blackhole suspects")
        << ": " << PathClassName(c) << ", " << (inbound ? "inbound" : "outbound") << "\n";
    std::snprintf(line, sizeof line, "  %-42s %-42s %6s %6s %6s %6s %5s %8s %8s %8s\n", "local",
                  "peer", "mss", "advmss", "rcvmss", "pmtu", "retr", "unacked", "last rcv",
                  "last ack");
    out << line;
    for (const SocketSample* s : sockets) {
      const TcpInfo& t = *s->info;
      std::snprintf(line, sizeof line, "  %-42s %-42s %6u %6u %6u %6u %5u %8u %7.1fs %7.1fs\n",
                    Address(*s, s->src, s->sport).c_str(), Address(*s, s->dst, s->dport).c_str(),
                    t.snd_mss, t.advmss, t.rcv_mss, t.pmtu, static_cast<unsigned>(t.retransmits),
                    t.unacked, t.last_data_recv_ms / 1000.0, t.last_ack_recv_ms / 1000.0);
      out << line;
    }
    out << Advice(c, inbound);
  }
  if (suspects)
    out << "\nDo not disable STARTTLS or raise TLS timeouts: that hides the path problem.\n";
  return out.str();
}

std::string FormatListeners(
    const DumpAggregate& agg, const std::vector<std::uint16_t>& local_ports,
    const std::vector<MasterService>& services,
    const std::function<std::optional<std::uint16_t>(std::string_view)>& by_name,
    std::optional<int> default_process_limit, bool& full,
    const std::vector<DovecotService>& dovecot) {
  std::ostringstream out;
  std::ostringstream limits;
  out << "\nListeners (accept queue / backlog):\n";
  full = false;
  for (std::uint16_t port : std::set<std::uint16_t>(local_ports.begin(), local_ports.end())) {
    char line[160];
    ListenerStats sum;
    std::string families;
    for (const auto& [family, name] :
         {std::pair<std::uint8_t, const char*>{AF_INET, "ipv4"}, {AF_INET6, "ipv6"}}) {
      auto it = agg.listeners.find({port, family});
      if (it == agg.listeners.end()) continue;
      const ListenerStats& l = it->second;
      sum.sockets += l.sockets;
      sum.queue += l.queue;
      sum.backlog += l.backlog;
      std::snprintf(line, sizeof line, "  %s %llu/%llu", name,
                    static_cast<unsigned long long>(l.queue),
                    static_cast<unsigned long long>(l.backlog));
      families += line;
    }
    const bool is_full = sum.backlog > 0 && sum.queue >= sum.backlog;
    std::snprintf(line, sizeof line, "  port %-5u %s", port,
                  sum.sockets ? "listening    " : "NOT LISTENING");
    out << line << families << (is_full ? "  FULL" : "") << "\n";
    if (is_full) {
      full = true;
      limits << NameListenLimit(port, sum, services, by_name, default_process_limit, dovecot);
    }
  }
  if (full) out << "\nFull accept queues: clients time out at connect.\n" << limits.str();
  return out.str();
}

namespace {

std::string Run(const char* command) {
  std::string out;
  if (FILE* p = popen(command, "r")) {
    char buf[4096];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    pclose(p);
  }
  return out;
}

std::optional<std::uint16_t> PortByName(std::string_view name) {
  const servent* s = getservbyname(std::string(name).c_str(), "tcp");
  if (s == nullptr) return std::nullopt;
  return ntohs(static_cast<std::uint16_t>(s->s_port));
}

}  // namespace

int RunDiagnose(const std::vector<std::uint16_t>& local_ports,
                const std::vector<std::uint16_t>& remote_ports, const std::string& dovecot_config) {
  try {
    MnlSockDiagSource source(local_ports, remote_ports);
    DumpStats stats;
    const auto dump = source.Dump(stats);
    PortAggregator ports(std::set<std::uint16_t>(local_ports.begin(), local_ports.end()),
                         std::set<std::uint16_t>(remote_ports.begin(), remote_ports.end()));
    const std::string report = FormatDiagnosis(dump, ports);
    const DumpAggregate agg = ports.Apply(dump);
    std::optional<int> default_limit;
    const std::string limit = Run("postconf -h default_process_limit 2>/dev/null");
    if (!limit.empty()) default_limit = std::atoi(limit.c_str());
    bool full = false;
    // The path goes to a shell: only a plain path is passed on.
    const bool plain = dovecot_config.find_first_not_of(
                           "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-") ==
                       std::string::npos;
    const std::string doveconf = dovecot_config.empty() || !plain
                                     ? "doveconf -a 2>/dev/null"
                                     : "doveconf -c " + dovecot_config + " -a 2>/dev/null";
    const std::string listeners =
        FormatListeners(agg, local_ports, ParsePostconfM(Run("postconf -M 2>/dev/null")),
                        PortByName, default_limit, full, ParseDoveconf(Run(doveconf.c_str())));
    std::cout << report << listeners;
    return report.find("Blackhole suspects:") != std::string::npos || full ? 3 : 0;
  } catch (const std::exception& e) {
    std::cerr << "mailpath_exporter diagnose: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace mailpath::tcp
