#include "mailpath/metrics/labeled_counters.h"

#include <gtest/gtest.h>

namespace mailpath::metrics {
namespace {

TEST(LabeledCounters, adds_per_label_set_and_snapshots_sorted) {
  LabeledCounters c("x_total", "help", {"a", "b"});
  c.Add({"2", "y"});
  c.Add({"1", "z"}, 3);
  c.Add({"2", "y"});
  c.Declare({"0", "w"});
  EXPECT_EQ(2, c.Get({"2", "y"}));
  EXPECT_EQ(3, c.Get({"1", "z"}));
  const auto f = c.Snapshot();
  ASSERT_EQ(3u, f.metric.size());
  EXPECT_EQ("0", f.metric[0].label[0].value);
  EXPECT_EQ(0, f.metric[0].counter.value);
  EXPECT_EQ("b", f.metric[2].label[1].name);
  EXPECT_EQ(prometheus::MetricType::Counter, f.type);
}

TEST(LabeledCounters, wrong_label_count_is_a_programming_error) {
  LabeledCounters c("x_total", "help", {"a"});
  EXPECT_THROW(c.Add({"1", "2"}), std::logic_error);
}

TEST(LabeledCounters, empty_label_values_round_trip) {
  LabeledCounters c("x_total", "help", {"a", "b"});
  c.Add({"", ""});
  const auto f = c.Snapshot();
  ASSERT_EQ(1u, f.metric.size());
  EXPECT_EQ("", f.metric[0].label[1].value);
}

}  // namespace
}  // namespace mailpath::metrics
