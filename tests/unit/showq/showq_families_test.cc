#include "mailpath/showq/showq_families.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "mailpath/metrics/exposition.h"
#include "mailpath/metrics/text_format_check.h"
#include "showq_test_util.h"

namespace mailpath::showq {
namespace {

std::string GoldenPath() {
  return std::string(MAILPATH_FIXTURES_DIR) + "/../golden/showq_mixed.prom";
}

// The exposition of the real 3.7 capture, 100 s after its messages arrived,
// with the domain view at cap 1. UPDATE_GOLDEN=1 rewrites the file; review
// the diff like code.
TEST(ShowqFamilies, exposition_of_the_real_capture_matches_the_golden_file) {
  QueueAggregator agg(1795359358.0, 1);
  ShowqParser parser(agg);
  ASSERT_TRUE(parser.Feed(testing::ReadFixture("mixed_postfix37.bin")));
  ASSERT_TRUE(parser.Finish());
  std::vector<prometheus::MetricFamily> families;
  families.push_back(UpFamily("/var/spool/postfix/public/showq", true));
  AppendShowqFamilies(agg.Finish(), families);
  const std::string text = metrics::SerializeText(families);

  if (std::getenv("UPDATE_GOLDEN") != nullptr) {
    std::ofstream(GoldenPath(), std::ios::binary) << text;
  }
  std::ifstream in(GoldenPath(), std::ios::binary);
  ASSERT_TRUE(in) << GoldenPath() << " missing; run with UPDATE_GOLDEN=1";
  const std::string golden((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(golden, text);
}

TEST(ShowqFamilies, domains_that_clean_to_one_label_value_are_one_series) {
  ShowqSnapshot s;
  s.domains_enabled = true;
  s.deferred_domains.top = {{"ex\xFC"
                             "ample.com",
                             3},
                            {"example.net", 2},
                            {"ex\xFD"
                             "ample.com",
                             1}};
  std::vector<prometheus::MetricFamily> families;
  AppendShowqFamilies(s, families);
  const std::string text = metrics::SerializeText(families);
  EXPECT_EQ("", metrics::CheckTextFormat(text)) << text;
  EXPECT_NE(std::string::npos,
            text.find("postfix_showq_deferred_domain_recipients{domain=\"ex\xEF\xBF\xBD"
                      "ample.com\"} 4"))
      << text;
}

TEST(ShowqFamilies, down_reports_postfix_up_zero_with_the_path_label) {
  const auto f = UpFamily("127.0.0.1:10025", false);
  EXPECT_EQ("postfix_up", f.name);
  ASSERT_EQ(1u, f.metric.size());
  EXPECT_EQ("path", f.metric[0].label.at(0).name);
  EXPECT_EQ("127.0.0.1:10025", f.metric[0].label.at(0).value);
  EXPECT_EQ(0, f.metric[0].gauge.value);
}

}  // namespace
}  // namespace mailpath::showq
