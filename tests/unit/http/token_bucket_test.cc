#include "mailpath/http/token_bucket.h"

#include <gtest/gtest.h>

namespace mailpath::http {
namespace {

TEST(TokenBucket, a_full_burst_then_one_per_interval) {
  TokenBucket b({/*interval_seconds=*/1.0, /*burst=*/3}, 100.0);
  EXPECT_TRUE(b.Allow(100.0));
  EXPECT_TRUE(b.Allow(100.0));
  EXPECT_TRUE(b.Allow(100.0));
  EXPECT_FALSE(b.Allow(100.5));
  EXPECT_TRUE(b.Allow(101.0));  // one token back after one interval
  EXPECT_FALSE(b.Allow(101.1));
  EXPECT_TRUE(b.Allow(110.0));  // a long pause refills only up to the burst
  EXPECT_TRUE(b.Allow(110.0));
  EXPECT_TRUE(b.Allow(110.0));
  EXPECT_FALSE(b.Allow(110.0));
}

TEST(TokenBucket, burst_zero_refuses_everything) {
  TokenBucket b({1.0, 0}, 0.0);
  EXPECT_FALSE(b.Allow(0.0));
  EXPECT_FALSE(b.Allow(1000.0));
}

TEST(TokenBucket, a_clock_that_goes_back_adds_nothing) {
  TokenBucket b({1.0, 1}, 50.0);
  EXPECT_TRUE(b.Allow(50.0));
  EXPECT_FALSE(b.Allow(10.0));
  EXPECT_FALSE(b.Allow(50.5));
  EXPECT_TRUE(b.Allow(51.0));
}

}  // namespace
}  // namespace mailpath::http
