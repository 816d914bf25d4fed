#include "mailpath/metrics/label_value.h"

#include <gtest/gtest.h>

#include <string>

#include "mailpath/metrics/label_policy.h"

namespace mailpath::metrics {
namespace {

const std::string kFffd = "\xEF\xBF\xBD";

TEST(CleanLabelValue, leaves_clean_text_alone) {
  for (const char* v : {"", "alice@example.com", "j\xC3\xBCrgen@example.com", "\xE2\x82\xAC",
                        "\xF0\x9F\x93\xA7", "a\"b\\c", "other"}) {
    SCOPED_TRACE(v);
    EXPECT_TRUE(IsCleanLabelValue(v));
    EXPECT_EQ(v, CleanLabelValue(v));
  }
}

TEST(CleanLabelValue, replaces_each_unusable_sequence_with_u_fffd) {
  struct Case {
    const char* name;
    std::string raw;
    std::string clean;
  };
  const Case cases[] = {
      {"latin-1 byte (the SASL user of issue 15)", "j\xFCrgen@example.com",
       "j" + kFffd + "rgen@example.com"},
      {"lone continuation byte", "a\x80z", "a" + kFffd + "z"},
      {"truncated sequence at the end", "ab\xE2\x82", "ab" + kFffd},
      {"overlong slash", "a\xC0\xAF", "a" + kFffd},
      {"utf-16 surrogate", "a\xED\xA0\x80z", "a" + kFffd + "z"},
      {"above U+10FFFF", "\xF4\x90\x80\x80", kFffd},
      {"NUL", std::string("a\0b", 3), "a" + kFffd + "b"},
      {"CR, LF, TAB, ESC", "a\r\n\t\x1B", "a" + kFffd + kFffd + kFffd + kFffd},
      {"DEL", "a\x7F", "a" + kFffd},
      {"C1 control U+0085", "a\xC2\x85z", "a" + kFffd + "z"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_FALSE(IsCleanLabelValue(c.raw));
    const std::string got = CleanLabelValue(c.raw);
    EXPECT_EQ(c.clean, got);
    EXPECT_TRUE(IsCleanLabelValue(got));
    EXPECT_EQ(got, CleanLabelValue(c.raw)) << "stable: the same input always gives the same value";
  }
}

TEST(CleanLabelValue, every_single_byte_and_byte_pair_comes_out_clean) {
  for (int a = 0; a < 256; ++a) {
    for (int b = 0; b < 256; ++b) {
      const std::string raw{static_cast<char>(a), static_cast<char>(b)};
      ASSERT_TRUE(IsCleanLabelValue(CleanLabelValue(raw))) << a << "," << b;
    }
  }
}

TEST(LabelPolicy, admits_the_cleaned_value_and_folds_spellings_that_clean_alike) {
  LabelPolicy p("f", "user", 2);
  const std::string a(p.Admit("j\xFCrgen"));
  EXPECT_EQ("j" + kFffd + "rgen", a);
  EXPECT_EQ(a, p.Admit("j\xFDrgen"));
  EXPECT_EQ(1u, p.admitted());
  EXPECT_EQ("bob", p.Admit("bob"));
  EXPECT_EQ("other", p.Admit("carol"));
  EXPECT_EQ(1u, p.overflow());
}

}  // namespace
}  // namespace mailpath::metrics
