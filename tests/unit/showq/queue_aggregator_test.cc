#include "mailpath/showq/queue_aggregator.h"

#include <gtest/gtest.h>

#include "showq_test_util.h"

namespace mailpath::showq {
namespace {

using testing::Attr;
using testing::End;
using testing::ReadFixture;

// The capture's messages arrived at these times (see postqueue -j in
// tests/fixtures/showq/README.md's capture run).
constexpr std::int64_t kArrivedEarly = 1795359258;
constexpr std::int64_t kArrivedLate = 1795359260;

ShowqSnapshot Aggregate(std::string_view stream, double now, std::size_t cap = 0) {
  QueueAggregator agg(now, cap);
  ShowqParser parser(agg);
  EXPECT_TRUE(parser.Feed(stream)) << parser.error();
  EXPECT_TRUE(parser.Finish()) << parser.error();
  return agg.Finish();
}

const QueueStats& Q(const ShowqSnapshot& s, Queue q) {
  return s.queues[static_cast<std::size_t>(q)];
}

std::uint64_t Reason(const ShowqSnapshot& s, ReasonClass c) {
  return s.deferred_by_reason[static_cast<std::size_t>(c)];
}

TEST(QueueAggregator, totals_per_queue_match_the_captured_messages) {
  const double now = kArrivedEarly + 100;
  const ShowqSnapshot s = Aggregate(ReadFixture("mixed_postfix37.bin"), now);

  EXPECT_EQ(2u, Q(s, Queue::kDeferred).messages);
  EXPECT_EQ(377u + 20399u, Q(s, Queue::kDeferred).bytes);
  EXPECT_EQ(4u, Q(s, Queue::kDeferred).recipients);
  EXPECT_EQ(1u, Q(s, Queue::kActive).messages);
  EXPECT_EQ(1u, Q(s, Queue::kIncoming).messages);
  EXPECT_EQ(1u, Q(s, Queue::kMaildrop).messages);
  EXPECT_EQ(114u, Q(s, Queue::kMaildrop).bytes);
  EXPECT_EQ(1u, Q(s, Queue::kHold).messages);
  EXPECT_EQ(1u, Q(s, Queue::kHold).forced_expire);
  EXPECT_EQ(0u, Q(s, Queue::kDeferred).forced_expire);
  EXPECT_EQ(0u, Q(s, Queue::kOther).messages);
  EXPECT_DOUBLE_EQ(now - kArrivedEarly, Q(s, Queue::kDeferred).oldest_age_seconds);
  EXPECT_DOUBLE_EQ(now - kArrivedLate, Q(s, Queue::kIncoming).oldest_age_seconds);
}

TEST(QueueAggregator, deferred_recipients_are_counted_by_reason_class) {
  const ShowqSnapshot s = Aggregate(ReadFixture("mixed_postfix37.bin"), kArrivedLate);
  EXPECT_EQ(3u, Reason(s, ReasonClass::kConnectRefused));
  EXPECT_EQ(1u, Reason(s, ReasonClass::kRateLimited));
  std::uint64_t total = 0;
  for (const auto n : s.deferred_by_reason) total += n;
  EXPECT_EQ(Q(s, Queue::kDeferred).recipients, total) << "only deferred recipients count";
}

TEST(QueueAggregator, histograms_use_the_kumina_buckets_with_le_semantics) {
  const ShowqSnapshot s = Aggregate(ReadFixture("mixed_postfix37.bin"), kArrivedEarly + 10);
  // Deferred sizes 377 and 20399: one in le=1000, one in le=1e5.
  EXPECT_EQ((std::vector<std::uint64_t>{1, 1, 2, 2, 2, 2, 2, 2}),
            Q(s, Queue::kDeferred).size_histogram.Cumulative());
  EXPECT_DOUBLE_EQ(377 + 20399, Q(s, Queue::kDeferred).size_histogram.sum);
  // Both deferred messages are exactly 10 s old: le=10 includes them.
  EXPECT_EQ(2u, Q(s, Queue::kDeferred).age_histogram.Cumulative().front());
  EXPECT_EQ(AgeBuckets().size() + 1, Q(s, Queue::kHold).age_histogram.counts.size());
}

TEST(QueueAggregator, empty_queue_reports_zero_everywhere) {
  const ShowqSnapshot s = Aggregate(ReadFixture("empty_postfix37.bin"), 1e9);
  for (const auto& q : s.queues) {
    EXPECT_EQ(0u, q.messages);
    EXPECT_EQ(0u, q.recipients);
    EXPECT_EQ(0.0, q.oldest_age_seconds);
    EXPECT_EQ(0u, q.size_histogram.Cumulative().back());
  }
}

TEST(QueueAggregator, message_from_the_future_has_age_zero) {
  const std::string stream =
      Attr("queue_name", "active") + Attr("time", "2000") + Attr("size", "1") + End() + End();
  const ShowqSnapshot s = Aggregate(stream, 1000);
  EXPECT_EQ(0.0, Q(s, Queue::kActive).oldest_age_seconds);
  EXPECT_EQ(0.0, Q(s, Queue::kActive).age_histogram.sum);
}

TEST(QueueAggregator, unknown_queue_name_goes_to_other) {
  const std::string stream = Attr("queue_name", "corrupt") + Attr("size", "5") + End() + End();
  const ShowqSnapshot s = Aggregate(stream, 0);
  EXPECT_EQ(1u, Q(s, Queue::kOther).messages);
}

TEST(QueueAggregator, domain_view_is_off_at_cap_zero) {
  const ShowqSnapshot s = Aggregate(ReadFixture("mixed_postfix37.bin"), kArrivedLate, 0);
  EXPECT_FALSE(s.domains_enabled);
  EXPECT_TRUE(s.deferred_domains.top.empty());
}

TEST(QueueAggregator, domain_view_keeps_the_biggest_domains_and_folds_the_rest) {
  const ShowqSnapshot s = Aggregate(ReadFixture("mixed_postfix37.bin"), kArrivedLate, 1);
  ASSERT_TRUE(s.domains_enabled);
  ASSERT_EQ(1u, s.deferred_domains.top.size());
  EXPECT_EQ("refused.test", s.deferred_domains.top[0].first) << "Refused.test folds in";
  EXPECT_EQ(3u, s.deferred_domains.top[0].second);
  EXPECT_EQ(1u, s.deferred_domains.other_recipients);
  EXPECT_EQ(1u, s.deferred_domains.folded_domains);
}

TEST(QueueAggregator, distinct_domains_beyond_the_tracking_limit_fold_into_other) {
  QueueAggregator agg(0, 2);
  const std::size_t domains = agg.domain_tracking_limit() + 50;
  ShowqMessage header;
  header.queue_name = "deferred";
  for (std::size_t i = 0; i < domains; ++i) {
    const std::string address = "u@d" + std::to_string(i) + ".test";
    agg.OnRecipient(header, ShowqRecipient{address, "", "", ""});
    header.recipients = 1;
    agg.OnMessage(header);
  }
  const ShowqSnapshot s = agg.Finish();
  EXPECT_EQ(2u, s.deferred_domains.top.size());
  EXPECT_EQ(domains - 2, s.deferred_domains.other_recipients);
  EXPECT_EQ(agg.domain_tracking_limit() - 2, s.deferred_domains.folded_domains);
}

}  // namespace
}  // namespace mailpath::showq
