#include "mailpath/common/bucket_counts.h"

#include <gtest/gtest.h>

namespace mailpath {
namespace {

TEST(BucketCounts, a_value_on_a_bound_lands_in_that_bucket_and_the_overflow_counts_last) {
  const std::vector<double> bounds = {1, 5, 10};
  BucketCounts b(bounds.size());
  for (double v : {0.5, 1.0, 1.5, 5.0, 11.0, 100.0}) b.Observe(bounds, v);
  EXPECT_EQ((std::vector<std::uint64_t>{2, 2, 0, 2}), b.counts);
  EXPECT_EQ((std::vector<std::uint64_t>{2, 4, 4, 6}), b.Cumulative());
  EXPECT_DOUBLE_EQ(119.0, b.sum);
}

TEST(BucketCounts, a_default_constructed_one_sizes_itself_on_first_observe) {
  BucketCounts b;
  EXPECT_TRUE(b.Cumulative().empty());
  b.Observe({1, 2}, 3);
  EXPECT_EQ((std::vector<std::uint64_t>{0, 0, 1}), b.Cumulative());
}

}  // namespace
}  // namespace mailpath
