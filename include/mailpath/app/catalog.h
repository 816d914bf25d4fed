#pragma once

#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "mailpath/app/flags.h"
#include "mailpath/app/options.h"
#include "mailpath/common/logger.h"
#include "mailpath/logs/log_collector.h"
#include "mailpath/metrics/collector.h"

namespace mailpath::tcp {
class PeerPaths;
}

namespace mailpath::app {

/// Start-up and shutdown hooks of collectors with background work (log
/// followers flush their checkpoints here). Hooks run in reverse order.
class Lifecycle {
 public:
  void OnShutdown(std::function<void()> hook) { hooks_.push_back(std::move(hook)); }
  /// SIGHUP: hooks that flush state now (the log checkpoint).
  void OnReload(std::function<void()> hook) { reload_hooks_.push_back(std::move(hook)); }
  void Reload() {
    for (const auto& hook : reload_hooks_) hook();
  }

  void Shutdown() {
    for (auto it = hooks_.rbegin(); it != hooks_.rend(); ++it) (*it)();
    hooks_.clear();
  }

 private:
  std::vector<std::function<void()>> hooks_;
  std::vector<std::function<void()>> reload_hooks_;
};

/// What a collector is built with, and what collectors hand to the ones built
/// after them. `pipeline` is the log pipeline when the
/// `logs` collector is enabled (built before every collector, started after
/// all of them), else null; `log_collector` owns it until the `logs` entry
/// takes it.
struct BuildContext {
  Logger& logger;
  Lifecycle& life;
  logs::LogPipeline* pipeline = nullptr;
  std::unique_ptr<logs::LogCollector> log_collector;
  /// Set by the `tcp` collector: its memory of each peer's path verdict, with
  /// which the postfix and dovecot collectors count TLS and DATA losses
  /// (issue 19). Null when the tcp collector is off.
  std::shared_ptr<tcp::PeerPaths> peer_paths;
};

/// One collector the exporter knows: its name/help/default and how to build it.
struct CatalogEntry {
  CollectorInfo info;
  std::function<std::unique_ptr<metrics::Collector>(const Options&, BuildContext&)> make;
  /// Fed by the log pipeline (a log classifier): useless without `logs`.
  bool needs_logs = false;
};

/// Every collector, in exposition order. An explicit list: adding a collector
/// means adding a line here, no static self-registration.
[[nodiscard]] std::vector<CatalogEntry> Catalog();

/// "" or why the enabled collectors cannot work together: a log classifier
/// switched on by name (--collector.postfix, or in the config file) while
/// the `logs` collector that feeds it is off. main exits 2 with it.
[[nodiscard]] std::string CheckCollectorFeeds(const Options& options);

/// A collector that could not start, and why.
class CollectorStartError : public std::runtime_error {
 public:
  CollectorStartError(std::string collector, const std::string& what)
      : std::runtime_error(what), collector_(std::move(collector)) {}
  [[nodiscard]] const std::string& collector() const { return collector_; }

 private:
  std::string collector_;
};

/// The enabled collectors, built.
struct BuiltCollectors {
  std::vector<std::pair<std::string, std::unique_ptr<metrics::Collector>>>
      collectors;  // exposition order
  /// Replays a file through the log pipeline (--replay); empty without `logs`.
  std::function<std::string(const std::string&)> replay;
};

/// Builds every enabled collector, the log classifiers together with the
/// pipeline that feeds them: each classifier is routed the lines of its
/// program. A log classifier enabled only by default while `logs` is off is
/// left out, and a warning says so (CheckCollectorFeeds refuses the explicit
/// case). The pipeline is started unless --replay is given. Throws
/// CollectorStartError.
[[nodiscard]] BuiltCollectors BuildCollectors(const Options& options, Logger& logger,
                                              Lifecycle& life);

/// The infos of Catalog(), for flag parsing and --help.
[[nodiscard]] std::vector<CollectorInfo> CatalogInfos();

}  // namespace mailpath::app
