#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <prometheus/metric_family.h>

#include "mailpath/common/logger.h"
#include "mailpath/metrics/collector.h"

namespace mailpath::metrics {

/// Identity of this build, exported as mailpath_exporter_build_info.
struct BuildInfo {
  std::string version;
  std::string revision;
  std::string compiler;
};

/// Runs every enabled collector for one scrape and adds the exporter's own
/// series: mailpath_exporter_collector_success{collector},
/// mailpath_exporter_collector_duration_seconds{collector} and
/// mailpath_exporter_build_info. Collectors run one after another on the
/// scraping thread; concurrent scrapes each run their own pass.
class CollectorRunner {
 public:
  using MonotonicClock = std::function<std::chrono::steady_clock::time_point()>;

  CollectorRunner(BuildInfo build, Logger& logger,
                  MonotonicClock clock = [] { return std::chrono::steady_clock::now(); });

  /// Adds a collector under its stable short name (the `collector` label and
  /// the `--collector.<name>` flag). Call before the first Scrape.
  void Add(std::string name, std::unique_ptr<Collector> collector);

  /// One scrape: every collector's families plus the meta series, sorted by
  /// family name so the exposition is stable.
  [[nodiscard]] std::vector<prometheus::MetricFamily> Scrape() const;

  [[nodiscard]] std::vector<std::string> Names() const;

 private:
  struct Entry {
    std::string name;
    std::unique_ptr<Collector> collector;
  };
  BuildInfo build_;
  Logger& logger_;
  MonotonicClock clock_;
  std::vector<Entry> entries_;
};

}  // namespace mailpath::metrics
