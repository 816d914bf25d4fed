#include "mailpath/metrics/exposition.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include "mailpath/metrics/family_builder.h"

namespace mailpath::metrics {
namespace {

std::string Gunzip(const std::string& data) {
  z_stream zs{};
  EXPECT_EQ(Z_OK, inflateInit2(&zs, 15 + 16));
  std::string out(1 << 16, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(Z_STREAM_END, inflate(&zs, Z_FINISH));
  out.resize(zs.total_out);
  inflateEnd(&zs);
  return out;
}

TEST(Gzip, round_trips) {
  const std::string text(5000, 'x');
  const std::string packed = Gzip(text);
  EXPECT_LT(packed.size(), text.size());
  EXPECT_EQ(text, Gunzip(packed));
  EXPECT_EQ("", Gunzip(Gzip("")));
}

TEST(AcceptsGzip, header_variants) {
  struct Case { const char* name; const char* header; bool want; };
  const Case cases[] = {
      {"plain", "gzip", true},
      {"list", "deflate, gzip", true},
      {"upper case", "GZIP", true},
      {"weighted", "gzip;q=0.5", true},
      {"refused", "gzip;q=0", false},
      {"refused decimal", "gzip; q=0.000", false},
      {"wildcard", "*", true},
      {"absent", "", false},
      {"other only", "br, deflate", false},
      {"prefix is not gzip", "gzipx", false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(c.want, AcceptsGzip(c.header));
  }
}

TEST(SerializeText, writes_help_type_and_histogram_buckets) {
  FamilyBuilder h("x_seconds", "Some help.", prometheus::MetricType::Histogram);
  h.Histogram({{"queue", "active"}}, {1, 10}, {2, 3, 4}, 12.5);
  const std::string text = SerializeText({std::move(h).Build()});
  EXPECT_NE(std::string::npos, text.find("# HELP x_seconds Some help.\n# TYPE x_seconds histogram\n"));
  EXPECT_NE(std::string::npos, text.find("x_seconds_bucket{queue=\"active\",le=\"1\"} 2\n"));
  EXPECT_NE(std::string::npos, text.find("x_seconds_bucket{queue=\"active\",le=\"10\"} 3\n"));
  EXPECT_NE(std::string::npos, text.find("x_seconds_bucket{queue=\"active\",le=\"+Inf\"} 4\n"));
  EXPECT_NE(std::string::npos, text.find("x_seconds_sum{queue=\"active\"} 12.5\n"));
  EXPECT_NE(std::string::npos, text.find("x_seconds_count{queue=\"active\"} 4\n"));
}

TEST(SerializeText, escapes_quote_and_backslash_and_replaces_control_characters) {
  FamilyBuilder g("g", "h", prometheus::MetricType::Gauge);
  g.Gauge({{"domain", "a\"b\\c\nd"}}, 1);
  EXPECT_NE(std::string::npos,
            SerializeText({std::move(g).Build()}).find("g{domain=\"a\\\"b\\\\c\xEF\xBF\xBD" "d\"} 1"));
}

TEST(SerializeText, cleans_invalid_utf8_that_reached_a_family_without_a_policy) {
  FamilyBuilder g("g", "h", prometheus::MetricType::Gauge);
  g.Gauge({{"user", "j\xFCrgen"}}, 1);
  EXPECT_NE(std::string::npos, SerializeText({std::move(g).Build()}).find("g{user=\"j\xEF\xBF\xBDrgen\"} 1"));
}

}  // namespace
}  // namespace mailpath::metrics
