#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "mailpath/app/flags.h"
#include "mailpath/app/options.h"
#include "mailpath/common/logger.h"
#include "mailpath/logs/log_record.h"
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

  /// Log classifiers register here; the `logs` collector, built after them,
  /// feeds every registered consumer.
  void AddRecordConsumer(logs::RecordConsumer* consumer) { consumers_.push_back(consumer); }
  [[nodiscard]] const std::vector<logs::RecordConsumer*>& record_consumers() const { return consumers_; }

  /// Set by the `tcp` collector: its memory of each peer's path verdict, with
  /// which the postfix and dovecot collectors count TLS and DATA losses
  /// (issue 19). Null when the tcp collector is off.
  std::shared_ptr<tcp::PeerPaths> peer_paths;

  /// Set by the `logs` collector: replays a file through the pipeline
  /// (--replay). Empty when that collector is disabled.
  std::function<std::string(const std::string&)> replay;
  void Shutdown() {
    for (auto it = hooks_.rbegin(); it != hooks_.rend(); ++it) (*it)();
    hooks_.clear();
  }

 private:
  std::vector<std::function<void()>> hooks_;
  std::vector<std::function<void()>> reload_hooks_;
  std::vector<logs::RecordConsumer*> consumers_;
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
