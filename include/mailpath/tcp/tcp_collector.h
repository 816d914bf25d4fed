#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "mailpath/common/logger.h"
#include "mailpath/metrics/collector.h"
#include "mailpath/metrics/single_flight.h"
#include "mailpath/tcp/kernel_counters.h"
#include "mailpath/tcp/peer_paths.h"
#include "mailpath/tcp/port_aggregate.h"
#include "mailpath/tcp/sock_diag_source.h"

namespace mailpath::tcp {

struct TcpCollectorOptions {
  std::vector<std::uint16_t> local_ports{25, 465, 587, 143, 993, 110, 995};
  std::vector<std::uint16_t> remote_ports{25, 465, 587};
  /// Shared with the postfix and dovecot collectors: every established mail
  /// socket's verdict by peer, after each dump (none: no attribution).
  std::shared_ptr<PeerPaths> peer_paths;
};

/// TCP path health of the mail ports (collector `tcp`): one sock_diag dump
/// per scrape (concurrent scrapes share it), aggregated per port and
/// direction, plus the kernel's PMTU/ICMP/RTO counters. Both sources are
/// injected: the kernel (MnlSockDiagSource, ProcfsKernelCounters) or
/// recordings (ReplaySockDiagSource, a fixture procfs root). A counter file
/// that cannot be read is counted in
/// mailpath_tcp_procfs_read_errors_total{file}, logged when it starts
/// failing, and its counters read 0; the rest of the scrape is served.
class TcpCollector final : public metrics::Collector {
 public:
  TcpCollector(TcpCollectorOptions options, std::unique_ptr<SockDiagSource> source,
               std::unique_ptr<KernelCounterSource> kernel_counters, Logger& logger);
  void Collect(std::vector<prometheus::MetricFamily>& out) override;
  /// Scrapes that shared a dump another scrape had started.
  [[nodiscard]] std::uint64_t joined() const { return flight_.joined(); }

 private:
  using Families = std::vector<prometheus::MetricFamily>;
  [[nodiscard]] Families DumpOnce();
  void DumpFamilies(const DumpAggregate& agg, Families& out);
  void KernelCounters(Families& out);
  void RememberPeers(const std::vector<SocketSample>& dump, Families& out);
  TcpCollectorOptions options_;
  Logger& logger_;
  // Concurrent scrapes share one dump, and only one runs at a time: the
  // members below are touched by DumpOnce only.
  metrics::SingleFlight<Families> flight_;
  std::unique_ptr<SockDiagSource> source_;
  std::unique_ptr<KernelCounterSource> kernel_counters_;
  PortAggregator aggregator_;
  DumpStats stats_;
  std::map<std::string, std::uint64_t> counter_read_errors_;  // by file
  std::set<std::string> counter_files_failing_;               // logged, not yet read again
};

}  // namespace mailpath::tcp
