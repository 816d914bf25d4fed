#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "mailpath/common/bucket_counts.h"
#include "mailpath/showq/reason_class.h"
#include "mailpath/showq/showq_parser.h"

namespace mailpath::showq {

/// Postfix's queues, in label order, plus `kOther` for a queue name this
/// version does not know (reported only when non-empty).
enum class Queue : std::size_t { kActive = 0, kDeferred, kHold, kIncoming, kMaildrop, kOther };
inline constexpr std::size_t kQueueCount = 6;
/// The label value: active, deferred, hold, incoming, maildrop, other.
[[nodiscard]] std::string_view QueueName(Queue q);
/// Maps a showq `queue_name` to a Queue (unknown names -> kOther).
[[nodiscard]] Queue QueueFromName(std::string_view name);

/// prometheus-postfix-exporter's buckets (kumina/postfix_exporter
/// postfix_exporter.go), kept so that existing dashboards work.
inline const std::vector<double>& SizeBuckets() {
  static const std::vector<double> b = {1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};
  return b;
}
inline const std::vector<double>& AgeBuckets() {
  static const std::vector<double> b = {1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8};
  return b;
}

/// Everything known about one queue after a full read.
struct QueueStats {
  std::uint64_t messages = 0;
  std::uint64_t bytes = 0;
  std::uint64_t recipients = 0;
  std::uint64_t forced_expire = 0;
  double oldest_age_seconds = 0;  // 0 when empty
  BucketCounts size_histogram;    // over SizeBuckets()
  BucketCounts age_histogram;     // over AgeBuckets()
};

/// The deferred queue's recipients by destination domain: at most `cap`
/// domains by recipient count (ties by name), the rest folded into `other`.
struct DomainBreakdown {
  std::vector<std::pair<std::string, std::uint64_t>> top;  // sorted by count desc
  std::uint64_t other_recipients = 0;
  /// Distinct domains folded into `other` (a lower bound once more than
  /// the tracking limit of distinct domains were seen).
  std::uint64_t folded_domains = 0;
};

/// The result of one showq read.
struct ShowqSnapshot {
  std::array<QueueStats, kQueueCount> queues;
  std::array<std::uint64_t, kReasonClassCount> deferred_by_reason{};
  bool domains_enabled = false;
  DomainBreakdown deferred_domains;
};

/// Turns parser events into per-queue totals, histograms and reason counts.
/// Memory is constant in queue size (per queue counters; the optional domain
/// view holds at most a fixed number of distinct domains). Pure: the
/// current time comes in as `now_seconds` (Unix seconds).
class QueueAggregator final : public ShowqSink {
 public:
  /// `domain_cap` 0 disables the per-domain deferred view.
  QueueAggregator(double now_seconds, std::size_t domain_cap);

  void OnRecipient(const ShowqMessage& header_so_far, const ShowqRecipient& rcpt) override;
  void OnMessage(const ShowqMessage& message) override;

  /// The totals so far; call after the parser finished.
  [[nodiscard]] ShowqSnapshot Finish();

  /// Distinct domains counted exactly before new ones go straight to `other`.
  [[nodiscard]] std::size_t domain_tracking_limit() const { return tracking_limit_; }

 private:
  const double now_;
  const std::size_t domain_cap_;
  const std::size_t tracking_limit_;
  ShowqSnapshot snapshot_;
  // Per message, until OnMessage tells its queue.
  std::array<std::uint64_t, kReasonClassCount> pending_reasons_{};
  std::unordered_map<std::string, std::uint64_t> domains_;
  std::uint64_t untracked_recipients_ = 0;
};

}  // namespace mailpath::showq
