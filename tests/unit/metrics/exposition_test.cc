#include "mailpath/metrics/exposition.h"

#include <gtest/gtest.h>

#include "mailpath/metrics/family_builder.h"

namespace mailpath::metrics {
namespace {

TEST(SerializeText, writes_help_type_and_histogram_buckets) {
  FamilyBuilder h("x_seconds", "Some help.", prometheus::MetricType::Histogram);
  h.Histogram({{"queue", "active"}}, {1, 10}, {2, 3, 4}, 12.5);
  const std::string text = SerializeText({std::move(h).Build()});
  EXPECT_NE(std::string::npos,
            text.find("# HELP x_seconds Some help.\n# TYPE x_seconds histogram\n"));
  EXPECT_NE(std::string::npos, text.find("x_seconds_bucket{queue=\"active\",le=\"1\"} 2\n"));
  EXPECT_NE(std::string::npos, text.find("x_seconds_bucket{queue=\"active\",le=\"10\"} 3\n"));
  EXPECT_NE(std::string::npos, text.find("x_seconds_bucket{queue=\"active\",le=\"+Inf\"} 4\n"));
  EXPECT_NE(std::string::npos, text.find("x_seconds_sum{queue=\"active\"} 12.5\n"));
  EXPECT_NE(std::string::npos, text.find("x_seconds_count{queue=\"active\"} 4\n"));
}

TEST(SerializeText, escapes_quote_and_backslash_and_replaces_control_characters) {
  FamilyBuilder g("g", "h", prometheus::MetricType::Gauge);
  g.Gauge({{"domain", "a\"b\\c\nd"}}, 1);
  EXPECT_NE(std::string::npos, SerializeText({std::move(g).Build()})
                                   .find("g{domain=\"a\\\"b\\\\c\xEF\xBF\xBD"
                                         "d\"} 1"));
}

TEST(SerializeText, cleans_invalid_utf8_that_reached_a_family_without_a_policy) {
  FamilyBuilder g("g", "h", prometheus::MetricType::Gauge);
  g.Gauge({{"user", "j\xFCrgen"}}, 1);
  EXPECT_NE(std::string::npos,
            SerializeText({std::move(g).Build()}).find("g{user=\"j\xEF\xBF\xBDrgen\"} 1"));
}

}  // namespace
}  // namespace mailpath::metrics
