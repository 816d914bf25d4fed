#pragma once

#include <prometheus/metric_family.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace mailpath::metrics {

/// One module's view of the world, turned into samples at scrape time.
///
/// Implementations append their families to `out`. A collector that cannot
/// read its source throws `CollectError` (or any std::exception): the runner
/// then reports `mailpath_exporter_collector_success{collector=...} 0`, drops
/// whatever the failed call appended, and still serves every other collector.
/// `Collect` may be called from several scrape threads at once; an
/// implementation guards its own state.
class Collector {
 public:
  virtual ~Collector() = default;
  virtual void Collect(std::vector<prometheus::MetricFamily>& out) = 0;
};

/// The error a collector throws when its source is unavailable. The message is
/// logged (rate-limited) by the runner, so it should say what to do about it.
///
/// `keep` holds families the runner still serves after dropping everything
/// else the failed call appended: a health gauge such as `postfix_up 0`,
/// never data series that would read as false zeros.
class CollectError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
  CollectError(const std::string& what, std::vector<prometheus::MetricFamily> keep)
      : std::runtime_error(what), keep_(std::move(keep)) {}

  [[nodiscard]] const std::vector<prometheus::MetricFamily>& keep() const { return keep_; }

 private:
  std::vector<prometheus::MetricFamily> keep_;
};

}  // namespace mailpath::metrics
