#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "mailpath/app/flags.h"
#include "mailpath/app/options.h"
#include "mailpath/common/logger.h"
#include "mailpath/metrics/collector.h"

namespace mailpath::app {

/// Start-up and shutdown hooks of collectors with background work (log
/// followers flush their checkpoints here). Hooks run in reverse order.
class Lifecycle {
 public:
  void OnShutdown(std::function<void()> hook) { hooks_.push_back(std::move(hook)); }
  void Shutdown() {
    for (auto it = hooks_.rbegin(); it != hooks_.rend(); ++it) (*it)();
    hooks_.clear();
  }

 private:
  std::vector<std::function<void()>> hooks_;
};

/// One collector the exporter knows: its name/help/default and how to build it.
struct CatalogEntry {
  CollectorInfo info;
  std::function<std::unique_ptr<metrics::Collector>(const Options&, Logger&, Lifecycle&)> make;
};

/// Every collector, in exposition order. An explicit list: adding a collector
/// means adding a line here, no static self-registration.
[[nodiscard]] std::vector<CatalogEntry> Catalog();

/// The infos of Catalog(), for flag parsing and --help.
[[nodiscard]] std::vector<CollectorInfo> CatalogInfos();

}  // namespace mailpath::app
