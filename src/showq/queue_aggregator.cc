#include "mailpath/showq/queue_aggregator.h"

#include <algorithm>

#include "mailpath/common/address_domain.h"

namespace mailpath::showq {
namespace {

constexpr std::size_t kMinTrackingLimit = 1000;

}  // namespace

std::string_view QueueName(Queue q) {
  switch (q) {
    case Queue::kActive:
      return "active";
    case Queue::kDeferred:
      return "deferred";
    case Queue::kHold:
      return "hold";
    case Queue::kIncoming:
      return "incoming";
    case Queue::kMaildrop:
      return "maildrop";
    case Queue::kOther:
      return "other";
  }
  return "other";
}

Queue QueueFromName(std::string_view name) {
  for (std::size_t i = 0; i + 1 < kQueueCount; ++i) {
    if (QueueName(static_cast<Queue>(i)) == name) return static_cast<Queue>(i);
  }
  return Queue::kOther;
}

QueueAggregator::QueueAggregator(double now_seconds, std::size_t domain_cap)
    : now_(now_seconds),
      domain_cap_(domain_cap),
      tracking_limit_(std::max(kMinTrackingLimit, domain_cap * 4)) {
  snapshot_.domains_enabled = domain_cap_ > 0;
  for (auto& q : snapshot_.queues) {
    q.size_histogram = BucketCounts(SizeBuckets().size());
    q.age_histogram = BucketCounts(AgeBuckets().size());
  }
}

void QueueAggregator::OnRecipient(const ShowqMessage& header_so_far, const ShowqRecipient& rcpt) {
  ++pending_reasons_[static_cast<std::size_t>(ClassifyReason(rcpt.reason))];
  if (domain_cap_ == 0 || QueueFromName(header_so_far.queue_name) != Queue::kDeferred) return;
  std::string domain = AddressDomain(rcpt.address);
  if (domain.empty()) domain = "none";
  if (auto it = domains_.find(domain); it != domains_.end()) {
    ++it->second;
  } else if (domains_.size() < tracking_limit_) {
    domains_.emplace(std::move(domain), 1);
  } else {
    ++untracked_recipients_;
  }
}

void QueueAggregator::OnMessage(const ShowqMessage& message) {
  const Queue queue = QueueFromName(message.queue_name);
  QueueStats& q = snapshot_.queues[static_cast<std::size_t>(queue)];
  ++q.messages;
  q.bytes += message.size;
  q.recipients += message.recipients;
  if (message.forced_expire) ++q.forced_expire;
  q.size_histogram.Observe(SizeBuckets(), static_cast<double>(message.size));
  if (message.has_arrival_time) {
    // A message from the future (clock step) counts as age 0.
    const double age = std::max(0.0, now_ - static_cast<double>(message.arrival_time));
    q.age_histogram.Observe(AgeBuckets(), age);
    q.oldest_age_seconds = std::max(q.oldest_age_seconds, age);
  }
  if (queue == Queue::kDeferred) {
    for (std::size_t i = 0; i < kReasonClassCount; ++i) {
      snapshot_.deferred_by_reason[i] += pending_reasons_[i];
    }
  }
  pending_reasons_.fill(0);
}

ShowqSnapshot QueueAggregator::Finish() {
  ShowqSnapshot out = snapshot_;
  if (domain_cap_ == 0) return out;
  std::vector<std::pair<std::string, std::uint64_t>> all(domains_.begin(), domains_.end());
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  DomainBreakdown& d = out.deferred_domains;
  d.other_recipients = untracked_recipients_;
  for (std::size_t i = 0; i < all.size(); ++i) {
    // "other" is our own bucket; a real domain of that name is folded into it.
    if (i < domain_cap_ && all[i].first != "other") {
      d.top.push_back(all[i]);
    } else {
      d.other_recipients += all[i].second;
      ++d.folded_domains;
    }
  }
  return out;
}

}  // namespace mailpath::showq
