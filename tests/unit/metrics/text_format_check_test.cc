#include "mailpath/metrics/text_format_check.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace mailpath::metrics {
namespace {

TEST(CheckTextFormat, every_golden_file_passes) {
  int files = 0;
  for (const auto& entry :
       std::filesystem::directory_iterator(MAILPATH_FIXTURES_DIR "/../golden")) {
    if (entry.path().extension() != ".prom") continue;
    SCOPED_TRACE(entry.path().string());
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    std::string body = text.str();
    // Golden files mark volatile values; any float stands in for them here.
    for (std::size_t at; (at = body.find("<volatile>")) != std::string::npos;)
      body.replace(at, 10, "1");
    EXPECT_EQ("", CheckTextFormat(body));
    ++files;
  }
  EXPECT_GT(files, 3);
}

TEST(CheckTextFormat, accepts_what_prometheus_accepts) {
  EXPECT_EQ(
      "", CheckTextFormat("# HELP a_total Help with \\\\ and \\n.\n# TYPE a_total counter\n"
                          "a_total{x=\"q\\\"\\\\\\n\",y=\"\xC3\xBC\"} 1\na_total 2 1700000000000\n"
                          "# a plain comment\n\nb NaN\nc +Inf\nd -Inf\ne 1.5e-3\n"
                          "# TYPE h histogram\nh_bucket{le=\"0.5\"} 1\nh_bucket{le=\"+Inf\"} "
                          "2\nh_sum 3\nh_count 2\n"
                          "# TYPE s summary\ns{quantile=\"0.9\"} 1\ns_sum 1\ns_count 1\n"));
}

TEST(CheckTextFormat, rejects_each_broken_rule) {
  struct Case {
    const char* name;
    std::string text;
  };
  const Case cases[] = {
      {"invalid utf-8 label value (issue 15)", "m{user=\"j\xFCrgen\"} 1\n"},
      {"bad metric name", "1m 1\n"},
      {"bad label name", "m{1x=\"a\"} 1\n"},
      {"unknown escape", "m{x=\"a\\t\"} 1\n"},
      {"unterminated value", "m{x=\"a} 1\n"},
      {"label twice", "m{x=\"a\",x=\"b\"} 1\n"},
      {"value not a float", "m 1x\n"},
      {"missing value", "m{x=\"a\"}\n"},
      {"timestamp not an integer", "m 1 1.5\n"},
      {"unknown type", "# TYPE m countr\nm 1\n"},
      {"second TYPE", "# TYPE m counter\n# TYPE m counter\nm 1\n"},
      {"second HELP", "# HELP m a\n# HELP m b\nm 1\n"},
      {"TYPE after samples", "m 1\n# TYPE m counter\n"},
      {"HELP not utf-8", "# HELP m \xFF\nm 1\n"},
      {"not contiguous", "a 1\nb 1\na{x=\"1\"} 1\n"},
      {"duplicate series", "a{x=\"1\"} 1\na{x=\"1\"} 2\n"},
      {"histogram sample without suffix", "# TYPE h histogram\nh 1\n"},
      {"bucket without le", "# TYPE h histogram\nh_bucket 1\n"},
      {"summary sample without quantile", "# TYPE s summary\ns 1\n"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_NE("", CheckTextFormat(c.text));
  }
}

}  // namespace
}  // namespace mailpath::metrics
