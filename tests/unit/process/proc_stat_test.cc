#include "mailpath/process/proc_stat.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace mailpath::process {
namespace {

std::string Fixture(const std::string& name) {
  std::ifstream in(std::string(MAILPATH_FIXTURES_DIR) + "/proc/" + name);
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

TEST(ParseProcStat, reads_cpu_memory_and_start_fields_of_a_real_capture) {
  const auto st = ParseProcStat(Fixture("self_stat_debian12.txt"));
  ASSERT_TRUE(st.ok());
  EXPECT_GT(st->vsize_bytes, 0u);
  EXPECT_GT(st->rss_pages, 0);
  EXPECT_GT(st->starttime_ticks, 0u);
}

TEST(ParseProcStat, command_names_with_spaces_and_parens_do_not_shift_fields) {
  const std::string line =
      "42 (a) b (c)) S 1 42 42 0 -1 4194560 100 0 0 0 7 3 0 0 20 0 1 0 555 123456 89 "
      "18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0\n";
  const auto st = ParseProcStat(line);
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(7u, st->utime_ticks);
  EXPECT_EQ(3u, st->stime_ticks);
  EXPECT_EQ(555u, st->starttime_ticks);
  EXPECT_EQ(123456u, st->vsize_bytes);
  EXPECT_EQ(89, st->rss_pages);
}

TEST(ParseProcStat, truncated_or_garbage_input_is_rejected) {
  EXPECT_FALSE(ParseProcStat("").ok());
  EXPECT_FALSE(ParseProcStat("1 (x) S 1 2 3").ok());
  EXPECT_FALSE(
      ParseProcStat("no parens at all 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22")
          .ok());
}

TEST(ParseBootTime, finds_btime_line) {
  EXPECT_EQ(1700000000u, ParseBootTime("cpu  1 2 3\nbtime 1700000000\nprocesses 5\n").value());
  EXPECT_TRUE(ParseBootTime(Fixture("stat.txt")).ok());
  EXPECT_FALSE(ParseBootTime("cpu 1 2 3\n").ok());
}

TEST(ParseMaxOpenFiles, reads_soft_limit_and_unlimited) {
  EXPECT_TRUE(ParseMaxOpenFiles(Fixture("self_limits.txt")).ok());
  EXPECT_EQ(1024u,
            ParseMaxOpenFiles(
                "Max open files            1024                 4096                 files\n")
                .value());
  EXPECT_EQ(0u, ParseMaxOpenFiles(
                    "Max open files            unlimited            unlimited            files\n")
                    .value());
  EXPECT_FALSE(ParseMaxOpenFiles("Max processes 5 5 processes\n").ok());
}

}  // namespace
}  // namespace mailpath::process
