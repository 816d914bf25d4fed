#pragma once

#include <prometheus/metric_family.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "mailpath/common/deadline.h"
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
///
/// A scrape has a deadline: each collector runs with it set on the thread
/// (ScopedDeadline), less kReserve left for the collectors after it and the
/// answer, so a source that waits on a peer gives up in time and the rest of
/// the exposition is still served. A collector that fails at its deadline, or
/// is reached after it, reports success 0 and is counted in
/// mailpath_exporter_collector_deadline_exceeded_total{collector}.
class CollectorRunner {
 public:
  using MonotonicClock = std::function<std::chrono::steady_clock::time_point()>;

  CollectorRunner(
      BuildInfo build, Logger& logger,
      MonotonicClock clock = [] { return std::chrono::steady_clock::now(); });

  /// Adds a collector under its stable short name (the `collector` label and
  /// the `--collector.<name>` flag). Call before the first Scrape.
  void Add(std::string name, std::unique_ptr<Collector> collector);

  static constexpr std::chrono::milliseconds kReserve{250};

  /// One scrape: every collector's families plus the meta series, sorted by
  /// family name so the exposition is stable.
  [[nodiscard]] std::vector<prometheus::MetricFamily> Scrape(Deadline deadline = {}) const;

  /// Ends the waits of every scrape in flight, and of later ones (shutdown).
  void CancelInFlight() { cancelled_.store(true); }

  [[nodiscard]] std::vector<std::string> Names() const;

 private:
  struct Entry {
    std::string name;
    std::unique_ptr<Collector> collector;
    std::unique_ptr<std::atomic<std::uint64_t>> deadline_exceeded;
  };
  BuildInfo build_;
  Logger& logger_;
  MonotonicClock clock_;
  std::vector<Entry> entries_;
  std::atomic<bool> cancelled_{false};
};

}  // namespace mailpath::metrics
