#include "mailpath/tcp/tcp_collector.h"

#include <sys/socket.h>

#include <set>

#include "mailpath/metrics/family_builder.h"

namespace mailpath::tcp {
namespace {

using metrics::FamilyBuilder;
using metrics::LabelPairs;
using prometheus::MetricType;

constexpr std::size_t kSuspectNetworks = 10;

LabelPairs Labels(const PortKey& k) {
  return {{"port", std::to_string(k.port)}, {"direction", k.inbound ? "inbound" : "outbound"}};
}

void ListenerFamilies(const std::vector<std::uint16_t>& ports, const DumpAggregate& agg,
                      std::vector<prometheus::MetricFamily>& out) {
  FamilyBuilder listening(
      "mailpath_tcp_port_listening",
      "1 if a socket listens on this configured mail port (either family), else 0.",
      MetricType::Gauge);
  FamilyBuilder sockets(
      "mailpath_tcp_listen_sockets",
      "LISTEN sockets on the mail port by family (a dual-stack listener counts as ipv6).",
      MetricType::Gauge);
  FamilyBuilder queue(
      "mailpath_tcp_listen_queue_length",
      "Connections completed by the kernel and waiting for accept() on the port's listeners "
      "(idiag_rqueue, summed over its listeners).",
      MetricType::Gauge);
  FamilyBuilder backlog(
      "mailpath_tcp_listen_backlog",
      "Accept queue limit of the port's listeners: the listen() backlog capped by "
      "net.core.somaxconn (idiag_wqueue, summed). The queue is full above it.",
      MetricType::Gauge);
  for (std::uint16_t port : std::set<std::uint16_t>(ports.begin(), ports.end())) {
    const std::string p = std::to_string(port);
    bool any = false;
    for (const auto& [family, name] :
         {std::pair<std::uint8_t, const char*>{AF_INET, "ipv4"}, {AF_INET6, "ipv6"}}) {
      auto it = agg.listeners.find({port, family});
      const ListenerStats l = it == agg.listeners.end() ? ListenerStats{} : it->second;
      any = any || l.sockets > 0;
      const LabelPairs labels{{"port", p}, {"family", name}};
      sockets.Gauge(labels, static_cast<double>(l.sockets));
      queue.Gauge(labels, static_cast<double>(l.queue));
      backlog.Gauge(labels, static_cast<double>(l.backlog));
    }
    listening.Gauge({{"port", p}}, any ? 1 : 0);
  }
  for (FamilyBuilder* b : {&listening, &sockets, &queue, &backlog}) {
    if (!b->family().metric.empty()) out.push_back(std::move(*b).Build());
  }
}

}  // namespace

TcpCollector::TcpCollector(TcpCollectorOptions options, std::unique_ptr<SockDiagSource> source,
                           std::unique_ptr<KernelCounterSource> kernel_counters, Logger& logger)
    : options_(std::move(options)),
      logger_(logger),
      flight_([this](const Deadline&) { return DumpOnce(); }),
      source_(std::move(source)),
      kernel_counters_(std::move(kernel_counters)),
      aggregator_(
          std::set<std::uint16_t>(options_.local_ports.begin(), options_.local_ports.end()),
          std::set<std::uint16_t>(options_.remote_ports.begin(), options_.remote_ports.end())) {
  for (std::string_view file : kKernelCounterFiles) counter_read_errors_[std::string(file)] = 0;
}

void TcpCollector::Collect(std::vector<prometheus::MetricFamily>& out) {
  const std::shared_ptr<const Families> families = flight_.Get();
  out.insert(out.end(), families->begin(), families->end());
}

TcpCollector::Families TcpCollector::DumpOnce() {
  std::vector<SocketSample> dump;
  try {
    dump = source_->Dump(stats_);
  } catch (const std::exception& e) {
    throw metrics::CollectError(e.what());
  }
  const DumpAggregate agg = aggregator_.Apply(dump);
  Families families;
  DumpFamilies(agg, families);
  ListenerFamilies(options_.local_ports, agg, families);
  KernelCounters(families);
  if (options_.peer_paths) RememberPeers(dump, families);
  return families;
}

void TcpCollector::RememberPeers(const std::vector<SocketSample>& dump, Families& out) {
  PeerPaths& paths = *options_.peer_paths;
  for (const SocketSample& s : dump) {
    PortKey key;
    if (s.state != 1 || !s.info || !aggregator_.Key(s, key)) continue;
    PeerAddress peer = s.dst;
    if (s.family == AF_INET) {  // keyed as ::ffff:a.b.c.d, like a dual-stack listener's peers
      peer = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, s.dst[0], s.dst[1], s.dst[2], s.dst[3]};
    }
    paths.Remember(peer, ClassifyPath(s));
  }
  FamilyBuilder losses(
      "mailpath_tcp_attributed_losses_total",
      "TLS handshakes and DATA phases the postfix and dovecot collectors counted as lost, by the "
      "path verdict the tcp collector last saw on that client's sockets (blackhole, outage, "
      "healthy; unknown: none seen in 15 minutes).",
      MetricType::Counter);
  for (const auto& [k, n] : paths.Losses()) {
    losses.Counter({{"daemon", k[0]}, {"stage", k[1]}, {"path", k[2]}}, static_cast<double>(n));
  }
  FamilyBuilder networks(
      "mailpath_tcp_suspect_networks",
      "Peers remembered with a blackhole or outage verdict in the last 15 minutes, by /24 "
      "(IPv4) or /48 (IPv6); the 10 networks with the most peers, the rest as other.",
      MetricType::Gauge);
  for (const auto& [k, n] : paths.SuspectNetworks(kSuspectNetworks)) {
    networks.Gauge({{"network", k.first}, {"path", k.second}}, static_cast<double>(n));
  }
  for (FamilyBuilder* b : {&losses, &networks}) {
    if (!b->family().metric.empty()) out.push_back(std::move(*b).Build());
  }
}

void TcpCollector::DumpFamilies(const DumpAggregate& agg, Families& out) {
  FamilyBuilder sockets("mailpath_tcp_sockets",
                        "Sockets on the mail ports by port, direction and TCP state.",
                        MetricType::Gauge);
  FamilyBuilder classes(
      "mailpath_tcp_path_class_sockets",
      "Established sockets by path class: healthy, pmtud_reduced, clamped, probing_recovered, "
      "blackhole_suspect (our full-size segments retransmitted into silence), "
      "rcv_blackhole_suspect (the peer's full-size segments never arrive), outage (every segment "
      "lost, small ones too), generic_loss.",
      MetricType::Gauge);
  FamilyBuilder snd_mss("mailpath_tcp_snd_mss_bytes", "snd_mss of established sockets.",
                        MetricType::Histogram);
  FamilyBuilder advmss("mailpath_tcp_advmss_bytes",
                       "advmss (the MSS we advertised) of established sockets.",
                       MetricType::Histogram);
  FamilyBuilder pmtu("mailpath_tcp_pmtu_bytes",
                     "Path MTU the kernel holds for established sockets.", MetricType::Histogram);
  FamilyBuilder rtt("mailpath_tcp_rtt_seconds", "Smoothed RTT of established sockets.",
                    MetricType::Histogram);
  FamilyBuilder retr("mailpath_tcp_socket_retransmits",
                     "Consecutive unanswered retransmissions per established "
                     "socket (tcpi_retransmits).",
                     MetricType::Histogram);
  for (const PortKey& k : [&] {
         std::set<PortKey> keys;
         for (auto p : options_.local_ports) keys.insert({p, true});
         for (auto p : options_.remote_ports) keys.insert({p, false});
         for (const auto& [key, _] : agg.ports) keys.insert(key);
         return keys;
       }()) {
    const LabelPairs base = Labels(k);
    auto it = agg.ports.find(k);
    const PortStats empty;
    const PortStats& p = it == agg.ports.end() ? empty : it->second;
    std::map<std::string, std::uint64_t> states = p.states;
    states.emplace("established", 0);  // always present, so rate()/absent() queries see the port
    for (const auto& [state, n] : states) {
      LabelPairs l = base;
      l.push_back({"state", state});
      sockets.Gauge(l, static_cast<double>(n));
    }
    for (PathClass c : kAllPathClasses) {
      LabelPairs l = base;
      l.push_back({"class", std::string(PathClassName(c))});
      auto ci = p.classes.find(c);
      classes.Gauge(l, ci == p.classes.end() ? 0 : static_cast<double>(ci->second));
    }
    snd_mss.Histogram(base, p.snd_mss.bounds, p.snd_mss.Cumulative(), p.snd_mss.sum);
    advmss.Histogram(base, p.advmss.bounds, p.advmss.Cumulative(), p.advmss.sum);
    pmtu.Histogram(base, p.pmtu.bounds, p.pmtu.Cumulative(), p.pmtu.sum);
    rtt.Histogram(base, p.rtt_seconds.bounds, p.rtt_seconds.Cumulative(), p.rtt_seconds.sum);
    retr.Histogram(base, p.retransmits.bounds, p.retransmits.Cumulative(), p.retransmits.sum);
  }
  FamilyBuilder retrans_total(
      "mailpath_tcp_retransmitted_segments_total",
      "Segments retransmitted by mail-port sockets (per-socket tcpi_total_retrans deltas "
      "between scrapes; a socket's last interval is lost when it closes).",
      MetricType::Counter);
  for (const auto& [k, v] : aggregator_.retransmitted_segments())
    retrans_total.Counter(Labels(k), static_cast<double>(v));
  FamilyBuilder rto_total(
      "mailpath_tcp_rto_events_total",
      "Retransmission timeouts of mail-port sockets (tcpi_total_rto deltas; kernel 6.7+).",
      MetricType::Counter);
  for (const auto& [k, v] : aggregator_.rto_events())
    rto_total.Counter(Labels(k), static_cast<double>(v));
  for (FamilyBuilder* b :
       {&sockets, &classes, &snd_mss, &advmss, &pmtu, &rtt, &retr, &retrans_total, &rto_total}) {
    if (!b->family().metric.empty()) out.push_back(std::move(*b).Build());
  }
  out.push_back(
      FamilyBuilder(
          "mailpath_tcp_info_bytes",
          "Length of struct tcp_info this kernel sends (fields beyond it are absent, not 0).",
          MetricType::Gauge)
          .Gauge({}, agg.info_bytes)
          .family());
  out.push_back(FamilyBuilder("mailpath_tcp_dump_retries_total",
                              "sock_diag dumps restarted (interrupted, ENOBUFS, malformed).",
                              MetricType::Counter)
                    .Counter({}, static_cast<double>(stats_.retries))
                    .family());
}

void TcpCollector::KernelCounters(Families& out) {
  KernelCounterRead read = kernel_counters_->Read();
  std::set<std::string> failing;
  for (const KernelCounterFailure& f : read.failures) {
    ++counter_read_errors_[f.file];
    failing.insert(f.file);
    if (counter_files_failing_.count(f.file) == 0) {
      logger_.Warn("cannot read kernel counters; they read 0 until it can",
                   {{"collector", "tcp"}, {"file", f.file}, {"err", f.error}});
    }
  }
  counter_files_failing_ = std::move(failing);
  const std::map<std::string, std::uint64_t>& all = read.counters;
  FamilyBuilder b(
      "mailpath_tcp_kernel_events_total",
      "Kernel counters that tell PMTUD and loss apart: TcpExt TCPMTUPFail/TCPMTUPSuccess (MTU "
      "probing), "
      "TCPTimeouts, Tcp RetransSegs, IcmpMsg InType3 (ICMP unreachable incl. frag-needed), Icmp6 "
      "InPktTooBigs. Host-wide, this network namespace.",
      MetricType::Counter);
  for (const auto& [key, name] : {std::pair{"TcpExt.TCPMTUPFail", "tcpext_mtup_fail"},
                                  std::pair{"TcpExt.TCPMTUPSuccess", "tcpext_mtup_success"},
                                  std::pair{"TcpExt.TCPTimeouts", "tcpext_timeouts"},
                                  std::pair{"Tcp.RetransSegs", "tcp_retrans_segs"},
                                  std::pair{"IcmpMsg.InType3", "icmp_in_dest_unreach"},
                                  std::pair{"Icmp6InPktTooBigs", "icmp6_in_pkt_too_big"}}) {
    auto it = all.find(key);
    b.Counter({{"counter", name}}, it == all.end() ? 0 : static_cast<double>(it->second));
  }
  out.push_back(std::move(b).Build());
  const auto value = [&all](const char* key) {
    auto it = all.find(key);
    return it == all.end() ? 0.0 : static_cast<double>(it->second);
  };
  out.push_back(
      FamilyBuilder(
          "mailpath_tcp_listen_overflows_total",
          "Connections a listener had no room for in its accept queue (TcpExt ListenOverflows; "
          "host-wide, this network namespace, every port).",
          MetricType::Counter)
          .Counter({}, value("TcpExt.ListenOverflows"))
          .family());
  out.push_back(
      FamilyBuilder(
          "mailpath_tcp_listen_drops_total",
          "SYNs and handshake completions dropped at a listener for any reason, overflows "
          "included (TcpExt ListenDrops; host-wide, this network namespace).",
          MetricType::Counter)
          .Counter({}, value("TcpExt.ListenDrops"))
          .family());
  FamilyBuilder errors(
      "mailpath_tcp_procfs_read_errors_total",
      "Failed reads of <procfs>/net/{netstat,snmp,snmp6} by file: that scrape's kernel counters "
      "from the file read 0 (the first failure of a run is logged).",
      MetricType::Counter);
  for (const auto& [file, n] : counter_read_errors_)
    errors.Counter({{"file", file}}, static_cast<double>(n));
  out.push_back(std::move(errors).Build());
}

}  // namespace mailpath::tcp
