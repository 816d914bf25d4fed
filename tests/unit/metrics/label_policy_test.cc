#include "mailpath/metrics/label_policy.h"

#include <gtest/gtest.h>

#include "mailpath/metrics/labeled_histograms.h"

namespace mailpath::metrics {
namespace {

TEST(LabelPolicy, admits_up_to_cap_then_folds_into_other_and_counts) {
  LabelPolicy p("postfix_sasl_user_messages_total", "user", 2);
  EXPECT_EQ("a", p.Admit("a"));
  EXPECT_EQ("b", p.Admit("b"));
  EXPECT_EQ("other", p.Admit("c"));
  EXPECT_EQ("a", p.Admit("a")) << "an admitted value keeps its series (no eviction)";
  EXPECT_EQ("other", p.Admit("d"));
  EXPECT_EQ(2u, p.overflow());
  EXPECT_EQ(2u, p.admitted());
}

TEST(LabelPolicy, a_million_distinct_values_stay_under_the_cap) {
  LabelPolicy p("f", "domain", 100);
  std::string v;
  for (int i = 0; i < 1'000'000; ++i) {
    v = "d" + std::to_string(i) + ".example";
    (void)p.Admit(v);
  }
  EXPECT_EQ(100u, p.admitted());
  EXPECT_EQ(1'000'000u - 100u, p.overflow());
}

TEST(LabelPolicy, overlong_values_are_folded) {
  LabelPolicy p("f", "domain", 10);
  EXPECT_EQ("other", p.Admit(std::string(300, 'x')));
}

TEST(LabeledHistograms, buckets_are_cumulative_with_inf) {
  LabeledHistograms h("d_seconds", "h", {"stage"}, {1, 10});
  h.Observe({"a"}, 0.5);
  h.Observe({"a"}, 1);
  h.Observe({"a"}, 5);
  h.Observe({"a"}, 50);
  const auto f = h.Snapshot();
  ASSERT_EQ(1u, f.metric.size());
  const auto& b = f.metric[0].histogram.bucket;
  ASSERT_EQ(3u, b.size());
  EXPECT_EQ(2u, b[0].cumulative_count);  // le=1 includes 1
  EXPECT_EQ(3u, b[1].cumulative_count);
  EXPECT_EQ(4u, b[2].cumulative_count);
  EXPECT_DOUBLE_EQ(56.5, f.metric[0].histogram.sample_sum);
}

}  // namespace
}  // namespace mailpath::metrics
