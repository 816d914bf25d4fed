#include "mailpath/logs/line_splitter.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace mailpath::logs {
namespace {

struct Collected {
  std::vector<std::string> lines;
  std::vector<bool> oversized;
};

void FeedAll(LineSplitter& s, const std::vector<std::string>& chunks, Collected& out) {
  for (const auto& c : chunks) {
    s.Feed(c, [&](std::string_view line, bool over) {
      out.lines.emplace_back(line);
      out.oversized.push_back(over);
    });
  }
}

TEST(LineSplitter, splits_and_holds_partial_last_line) {
  LineSplitter s;
  Collected c;
  FeedAll(s, {"a\nbb\ncc", "c\n", "dd"}, c);
  EXPECT_EQ((std::vector<std::string>{"a", "bb", "ccc"}), c.lines);
  EXPECT_EQ(2u, s.pending_bytes());
  s.Flush([&](std::string_view line, bool) { c.lines.emplace_back(line); });
  EXPECT_EQ("dd", c.lines.back());
  EXPECT_EQ(0u, s.pending_bytes());
}

TEST(LineSplitter, strips_carriage_return_and_keeps_empty_lines) {
  LineSplitter s;
  Collected c;
  FeedAll(s, {"x\r\n\n\r\n"}, c);
  EXPECT_EQ((std::vector<std::string>{"x", "", ""}), c.lines);
}

TEST(LineSplitter, cuts_oversized_lines_within_and_across_chunks) {
  LineSplitter s(4);
  Collected c;
  FeedAll(s, {"123456789\nok\n12", "34", "56\nab", "cdef", "\n"}, c);
  EXPECT_EQ((std::vector<std::string>{"1234", "ok", "1234", "abcd"}), c.lines);
  EXPECT_EQ((std::vector<bool>{true, false, true, true}), c.oversized);
}

TEST(LineSplitter, exact_cap_is_not_oversized) {
  LineSplitter s(4);
  Collected c;
  FeedAll(s, {"12", "34\n1234\n"}, c);
  EXPECT_EQ((std::vector<bool>{false, false}), c.oversized);
}

TEST(LineSplitter, passes_nul_and_invalid_utf8_through) {
  LineSplitter s;
  Collected c;
  const std::string weird("a\0b\xff\xfe", 5);
  FeedAll(s, {weird + "\n"}, c);
  ASSERT_EQ(1u, c.lines.size());
  EXPECT_EQ(weird, c.lines[0]);
}

TEST(LineSplitter, byte_at_a_time_equals_whole) {
  const std::string text = "first line\nsecond\n\nthird is longer than the others\n";
  LineSplitter whole, bytes;
  Collected a, b;
  FeedAll(whole, {text}, a);
  for (char ch : text) FeedAll(bytes, {std::string(1, ch)}, b);
  EXPECT_EQ(a.lines, b.lines);
}

}  // namespace
}  // namespace mailpath::logs
