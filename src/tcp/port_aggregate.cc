#include "mailpath/tcp/port_aggregate.h"

#include <algorithm>

namespace mailpath::tcp {

PortStats::PortStats()
    : snd_mss(Histogram(
          {536, 1024, 1200, 1280, 1320, 1348, 1380, 1400, 1420, 1440, 1448, 1460, 8948, 65483})),
      advmss(Histogram(
          {536, 1024, 1200, 1280, 1320, 1348, 1380, 1400, 1420, 1440, 1448, 1460, 8948, 65483})),
      pmtu(Histogram({576, 1280, 1380, 1400, 1420, 1440, 1460, 1480, 1492, 1500, 9000, 65536})),
      rtt_seconds(Histogram({0.0005, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5})),
      retransmits(Histogram({0, 1, 2, 3, 4, 6, 8, 15})) {}

PortAggregator::PortAggregator(std::set<std::uint16_t> local_ports,
                               std::set<std::uint16_t> remote_ports, std::uint32_t link_mtu)
    : local_(std::move(local_ports)), remote_(std::move(remote_ports)), link_mtu_(link_mtu) {
  // Every configured port starts at 0 so its counter exists before the first retransmit. RTO
  // counters stay absent until a kernel that reports total_rto (6.7+) is seen.
  for (auto p : local_) retrans_total_[{p, true}] = 0;
  for (auto p : remote_) retrans_total_[{p, false}] = 0;
}

bool PortAggregator::Key(const SocketSample& s, PortKey& key) const {
  if (local_.count(s.sport)) {
    key = {s.sport, true};
    return true;
  }
  if (remote_.count(s.dport)) {
    key = {s.dport, false};
    return true;
  }
  return false;
}

DumpAggregate PortAggregator::Apply(const std::vector<SocketSample>& dump) {
  DumpAggregate agg;
  std::unordered_map<std::uint64_t, Previous> seen;
  seen.reserve(dump.size());
  for (const SocketSample& s : dump) {
    if (s.state == kTcpListen) {
      if (local_.count(s.sport)) {
        ListenerStats& l = agg.listeners[{s.sport, s.family}];
        ++l.sockets;
        l.queue += s.rqueue;
        l.backlog += s.wqueue;
      }
      continue;
    }
    PortKey key;
    if (!Key(s, key)) continue;
    ++agg.sockets;
    PortStats& p = agg.ports[key];
    ++p.states[std::string(TcpStateName(s.state))];
    if (!s.info) continue;
    const TcpInfo& t = *s.info;
    agg.info_bytes = t.length;
    if (s.state == 1) {
      ++p.classes[ClassifyPath(s, link_mtu_)];
      p.snd_mss.Observe(t.snd_mss);
      p.advmss.Observe(t.advmss);
      p.pmtu.Observe(t.pmtu);
      p.rtt_seconds.Observe(t.rtt_us / 1e6);
      p.retransmits.Observe(t.retransmits);
    }
    Previous now{t.total_retrans, t.total_rto.value_or(0)};
    Previous before{};
    if (auto it = previous_.find(s.cookie); it != previous_.end()) before = it->second;
    if (now.total_retrans >= before.total_retrans)
      retrans_total_[key] += now.total_retrans - before.total_retrans;
    if (t.total_rto && now.total_rto >= before.total_rto)
      rto_total_[key] += now.total_rto - before.total_rto;
    seen[s.cookie] = now;
  }
  previous_ = std::move(seen);  // closed sockets drop out
  return agg;
}

}  // namespace mailpath::tcp
