#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "mailpath/common/logger.h"
#include "mailpath/metrics/collector.h"
#include "mailpath/metrics/single_flight.h"
#include "mailpath/showq/queue_aggregator.h"
#include "mailpath/showq/showq_transport.h"

namespace mailpath::showq {

/// Settings of the `showq` collector.
struct ShowqCollectorOptions {
  /// 0 = no per-domain deferred view; else at most this many domain series.
  std::size_t deferred_domains_cap = 0;
};

/// The `showq` collector: reads Postfix's queue listing on every scrape
/// (transport -> ShowqParser -> QueueAggregator, chunk by chunk, no
/// per-message storage) and reports postfix_up plus the postfix_showq_*
/// families (docs/metrics-showq.md).
///
/// Parallel scrapes share one in-flight read: a scrape that arrives while a
/// read is running waits for it and reports its result, so showq is opened
/// once however many scrapers there are.
///
/// When the read fails, Collect throws metrics::CollectError carrying only
/// `postfix_up 0`: no queue series (no false zeros), and the runner logs the
/// error rate-limited. The message says what to do (EACCES names the
/// postdrop group).
class ShowqCollector final : public metrics::Collector {
 public:
  /// Unix time in seconds, for message ages.
  using WallClock = std::function<double()>;

  ShowqCollector(std::unique_ptr<ShowqTransport> transport, ShowqCollectorOptions options,
                 WallClock clock);

  void Collect(std::vector<prometheus::MetricFamily>& out) override;

  /// How many times the transport was read (one per single-flight group).
  [[nodiscard]] std::uint64_t reads() const { return reads_.load(); }
  /// How many scrapes joined a read another scrape had started.
  [[nodiscard]] std::uint64_t joined() const { return flight_.joined(); }

 private:
  struct ReadResult {
    bool ok = false;
    ShowqSnapshot snapshot;
    std::string error;
  };
  ReadResult ReadOnce();

  const std::unique_ptr<ShowqTransport> transport_;
  const ShowqCollectorOptions options_;
  const WallClock clock_;
  std::atomic<std::uint64_t> reads_{0};
  metrics::SingleFlight<ReadResult> flight_;  // the read other scrapes may join
};

/// The log line for a transport error: the errno's meaning for showq
/// (ENOENT, ECONNREFUSED, EACCES -> group postdrop, ETIMEDOUT). Pure.
[[nodiscard]] std::string DescribeTransportError(const std::string& address, const Error& error);

}  // namespace mailpath::showq
