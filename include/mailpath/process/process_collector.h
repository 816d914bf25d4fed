#pragma once

#include <string>

#include "mailpath/metrics/collector.h"

namespace mailpath::process {

/// The standard process_* metrics of the exporter itself (as client_golang's
/// process collector): CPU seconds, resident and virtual memory, open and
/// maximum file descriptors, start time. Reads <procfs>/self/{stat,limits,fd}
/// and <procfs>/stat.
class ProcessCollector final : public metrics::Collector {
 public:
  explicit ProcessCollector(std::string procfs);
  void Collect(std::vector<prometheus::MetricFamily>& out) override;

 private:
  const std::string procfs_;
  const long ticks_per_second_;
  const long page_size_;
};

}  // namespace mailpath::process
