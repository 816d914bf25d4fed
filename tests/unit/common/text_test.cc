#include "mailpath/common/text.h"

#include <gtest/gtest.h>

namespace mailpath {
namespace {

using V = std::vector<std::string_view>;

TEST(Text, split_words_on_runs_of_blanks_without_empty_words) {
  EXPECT_EQ(SplitWords("  submission inet  n -\t\ty  -  -  smtpd  "),
            (V{"submission", "inet", "n", "-", "y", "-", "-", "smtpd"}));
  EXPECT_EQ(SplitWords(""), V{});
  EXPECT_EQ(SplitWords(" \t "), V{});
}

TEST(Text, split_lines_drops_the_newline_and_gives_no_empty_last_line) {
  EXPECT_EQ(SplitLines("TcpExt: A B\nTcpExt: 1 2\n"), (V{"TcpExt: A B", "TcpExt: 1 2"}));
  EXPECT_EQ(SplitLines("a\n\nb"), (V{"a", "", "b"}));
  EXPECT_EQ(SplitLines(""), V{});
}

TEST(Text, ascii_classes_ignore_the_locale_and_bytes_above_127) {
  EXPECT_TRUE(IsAsciiDigit('0') && IsAsciiDigit('9'));
  EXPECT_FALSE(IsAsciiDigit('a') || IsAsciiDigit('/') || IsAsciiDigit(':') || IsAsciiDigit('\xd9'));
  EXPECT_TRUE(IsAsciiAlnum('Z') && IsAsciiAlnum('z') && IsAsciiAlnum('5'));
  EXPECT_FALSE(IsAsciiAlnum('_') || IsAsciiAlnum('@') || IsAsciiAlnum('[') || IsAsciiAlnum('\xc3'));
}

}  // namespace
}  // namespace mailpath
