#include "mailpath/tcp/diagnose.h"

#include <arpa/inet.h>

#include <cstdio>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

#include "mailpath/tcp/path_class.h"
#include "mailpath/tcp/sock_diag_source.h"

namespace mailpath::tcp {
namespace {

std::string Address(const SocketSample& s, const std::array<std::uint8_t, 16>& a, std::uint16_t port) {
  char buf[INET6_ADDRSTRLEN] = {0};
  if (s.family == AF_INET) {
    inet_ntop(AF_INET, a.data(), buf, sizeof buf);
    return std::string(buf) + ":" + std::to_string(port);
  }
  inet_ntop(AF_INET6, a.data(), buf, sizeof buf);
  return "[" + std::string(buf) + "]:" + std::to_string(port);
}

constexpr const char* kAdvice =
    "What this means: full-size segments (the TLS certificate flight) leave this host and are never\n"
    "acknowledged, while no ICMP \"fragmentation needed\" / \"packet too big\" comes back: a path MTU\n"
    "blackhole (a tunnel, VPN or NAT hop with a smaller MTU that drops the ICMP). It looks like a TLS\n"
    "problem (\"lost connection after STARTTLS\", \"SSL_accept() failed\") but the certificate is fine.\n"
    "Confirm from a client behind that path: ping -M do -s 1472 <this host> (IPv4; 1452 for IPv6)\n"
    "fails where ping -s 1300 works; openssl s_client -starttls smtp -connect <host>:587 hangs after\n"
    "CONNECTED; tcpdump shows the same large segment retransmitted.\n"
    "Fix, on the router/gateway of that path (SYN path), one of:\n"
    "  iptables -t mangle -A FORWARD -p tcp --tcp-flags SYN,RST SYN -j TCPMSS --clamp-mss-to-pmtu\n"
    "  nft add rule inet filter forward tcp flags syn tcp option maxseg size set rt mtu\n"
    "  or set the tunnel interface MTU correctly, or let ICMP type 3 code 4 / ICMPv6 type 2 through.\n"
    "As a stopgap on this host: sysctl -w net.ipv4.tcp_mtu_probing=1 (MTU probing after RTOs).\n"
    "Do not disable STARTTLS or raise TLS timeouts: that hides the path problem.\n";

}  // namespace

std::string FormatDiagnosis(const std::vector<SocketSample>& dump, const PortAggregator& ports,
                            std::uint32_t link_mtu) {
  std::map<PortKey, std::map<PathClass, int>> counts;
  std::vector<const SocketSample*> suspects;
  for (const SocketSample& s : dump) {
    PortKey k;
    if (!ports.Key(s, k) || s.state != 1) continue;
    const PathClass c = ClassifyPath(s, link_mtu);
    ++counts[k][c];
    if (c == PathClass::kBlackholeSuspect) suspects.push_back(&s);
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
  if (suspects.empty()) {
    out << "\nNo PMTUD blackhole suspects.\n";
    return out.str();
  }
  out << "\nBlackhole suspects:\n";
  char line[512];
  std::snprintf(line, sizeof line, "  %-42s %-42s %6s %6s %6s %5s %9s %10s\n", "local", "peer", "mss", "advmss",
                "pmtu", "retr", "unacked", "last ack");
  out << line;
  for (const SocketSample* s : suspects) {
    const TcpInfo& t = *s->info;
    std::snprintf(line, sizeof line, "  %-42s %-42s %6u %6u %6u %5u %9u %9.1fs\n",
                  Address(*s, s->src, s->sport).c_str(), Address(*s, s->dst, s->dport).c_str(), t.snd_mss,
                  t.advmss, t.pmtu, static_cast<unsigned>(t.retransmits), t.unacked, t.last_ack_recv_ms / 1000.0);
    out << line;
  }
  out << "\n" << kAdvice;
  return out.str();
}

int RunDiagnose(const std::vector<std::uint16_t>& local_ports, const std::vector<std::uint16_t>& remote_ports) {
  try {
    SockDiagSource source(local_ports, remote_ports);
    DumpStats stats;
    const auto dump = source.Dump(stats);
    PortAggregator ports(std::set<std::uint16_t>(local_ports.begin(), local_ports.end()),
                         std::set<std::uint16_t>(remote_ports.begin(), remote_ports.end()));
    const std::string report = FormatDiagnosis(dump, ports);
    std::cout << report;
    return report.find("Blackhole suspects:") != std::string::npos ? 3 : 0;
  } catch (const std::exception& e) {
    std::cerr << "mailpath_exporter diagnose: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace mailpath::tcp
