#pragma once

#include <memory>
#include <mutex>
#include <vector>

#include "mailpath/common/path_attribution.h"
#include "mailpath/logs/log_record.h"
#include "mailpath/metrics/collector.h"
#include "mailpath/metrics/label_policy.h"
#include "mailpath/metrics/labeled_counters.h"
#include "mailpath/metrics/labeled_histograms.h"

namespace mailpath::logs::classify {

struct PostfixEvent;

/// Caps of the bounded identity views (0 turns a view off).
struct PostfixCollectorOptions {
  std::size_t sasl_users_cap = 20;
  std::size_t client_networks_cap = 20;
  std::size_t destination_domains_cap = 20;
};

/// Counts Postfix log events (collector `postfix`): fed by the log pipeline
/// through RecordConsumer, read by scrapes through Collector. Keeps
/// prometheus-postfix-exporter's names where the meaning is the same (with
/// its bugs fixed) and adds rate-limit, throttling and TLS families. Every
/// family carries `postfix_instance` (not `instance`, Prometheus's target label) and `service`;
/// every value taken from log text goes through a fixed vocabulary or a LabelPolicy.
class PostfixCollector final : public RecordConsumer, public metrics::Collector {
 public:
  explicit PostfixCollector(PostfixCollectorOptions options = {});
  ~PostfixCollector() override;

  void Consume(const LogRecord& record) override;
  void Collect(std::vector<prometheus::MetricFamily>& out) override;
  /// Where TLS and DATA losses go to be joined with the client's path class
  /// (the tcp collector's PeerPaths); none when the tcp collector is off.
  void SetPathAttribution(std::shared_ptr<PathAttribution> a) { attribution_ = std::move(a); }

 private:
  struct Tables;
  void Count(const LogRecord& record, const PostfixEvent& ev);
  std::mutex mu_;  // guards tables_
  std::unique_ptr<Tables> tables_;
  std::shared_ptr<PathAttribution> attribution_;
};

/// "1.2.3.4" -> "1.2.3.0/24"; "2001:db8:1:2:3::4" -> "2001:db8:1:2::/64";
/// anything else -> "". Pure.
[[nodiscard]] std::string ClientNetwork(std::string_view address);

}  // namespace mailpath::logs::classify
