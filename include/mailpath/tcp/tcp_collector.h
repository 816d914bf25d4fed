#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "mailpath/common/logger.h"
#include "mailpath/metrics/collector.h"
#include "mailpath/tcp/kernel_counters.h"
#include "mailpath/tcp/port_aggregate.h"
#include "mailpath/tcp/sock_diag_source.h"

namespace mailpath::tcp {

struct TcpCollectorOptions {
  std::vector<std::uint16_t> local_ports{25, 465, 587, 143, 993, 110, 995};
  std::vector<std::uint16_t> remote_ports{25, 465, 587};
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

 private:
  void Families(const DumpAggregate& agg, std::vector<prometheus::MetricFamily>& out);
  void KernelCounters(std::vector<prometheus::MetricFamily>& out);
  TcpCollectorOptions options_;
  Logger& logger_;
  std::mutex mu_;  // guards everything below; held for one dump so concurrent scrapes share it
  std::unique_ptr<SockDiagSource> source_;
  std::unique_ptr<KernelCounterSource> kernel_counters_;
  PortAggregator aggregator_;
  DumpStats stats_;
  std::map<std::string, std::uint64_t> counter_read_errors_;  // by file
  std::set<std::string> counter_files_failing_;               // logged, not yet read again
  std::chrono::steady_clock::time_point last_dump_{};
  std::vector<prometheus::MetricFamily> last_families_;
};

}  // namespace mailpath::tcp
