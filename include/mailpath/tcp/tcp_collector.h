#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <vector>

#include "mailpath/metrics/collector.h"
#include "mailpath/tcp/port_aggregate.h"
#include "mailpath/tcp/sock_diag_source.h"

namespace mailpath::tcp {

struct TcpCollectorOptions {
  std::vector<std::uint16_t> local_ports{25, 465, 587, 143, 993, 110, 995};
  std::vector<std::uint16_t> remote_ports{25, 465, 587};
  std::string procfs = "/proc";
};

/// TCP path health of the mail ports (collector `tcp`): one sock_diag dump
/// per scrape (concurrent scrapes share it), aggregated per port and
/// direction, plus the kernel's PMTU/ICMP/RTO counters.
class TcpCollector final : public metrics::Collector {
 public:
  explicit TcpCollector(TcpCollectorOptions options);
  void Collect(std::vector<prometheus::MetricFamily>& out) override;

 private:
  void Families(const DumpAggregate& agg, std::vector<prometheus::MetricFamily>& out);
  void KernelCounters(std::vector<prometheus::MetricFamily>& out);
  TcpCollectorOptions options_;
  std::mutex mu_;  // guards everything below; held for one dump so concurrent scrapes share it
  SockDiagSource source_;
  PortAggregator aggregator_;
  DumpStats stats_;
  std::chrono::steady_clock::time_point last_dump_{};
  std::vector<prometheus::MetricFamily> last_families_;
};

}  // namespace mailpath::tcp
