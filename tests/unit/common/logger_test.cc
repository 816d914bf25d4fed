#include "mailpath/common/logger.h"

#include <gtest/gtest.h>

#include <sstream>

namespace mailpath {
namespace {

TEST(FormatLogRecord, logfmt_quotes_values_with_spaces) {
  EXPECT_EQ("time=T level=warn msg=\"collector failed\" collector=showq err=\"no such file\"\n",
            FormatLogRecord(LogFormat::kLogfmt, "T", LogLevel::kWarn, "collector failed",
                            {{"collector", "showq"}, {"err", "no such file"}}));
}

TEST(FormatLogRecord, json_escapes_control_characters) {
  EXPECT_EQ("{\"time\":\"T\",\"level\":\"info\",\"msg\":\"a\\\"b\",\"k\":\"x\\ny\\u0001\"}\n",
            FormatLogRecord(LogFormat::kJson, "T", LogLevel::kInfo, "a\"b", {{"k", "x\ny\x01"}}));
}

TEST(Logger, drops_records_below_level) {
  std::ostringstream out;
  Logger log(out, LogLevel::kWarn, LogFormat::kLogfmt);
  log.Info("hidden");
  log.Error("shown");
  EXPECT_EQ(std::string::npos, out.str().find("hidden"));
  EXPECT_NE(std::string::npos, out.str().find("shown"));
}

TEST(Logger, log_every_limits_per_key_by_injected_clock) {
  std::ostringstream out;
  auto now = std::chrono::system_clock::time_point{};
  Logger log(out, LogLevel::kDebug, LogFormat::kLogfmt, [&now] { return now; });
  EXPECT_TRUE(log.LogEvery("k", std::chrono::seconds(60), LogLevel::kWarn, "one"));
  EXPECT_FALSE(log.LogEvery("k", std::chrono::seconds(60), LogLevel::kWarn, "two"));
  EXPECT_TRUE(log.LogEvery("other", std::chrono::seconds(60), LogLevel::kWarn, "three"));
  now += std::chrono::seconds(61);
  EXPECT_TRUE(log.LogEvery("k", std::chrono::seconds(60), LogLevel::kWarn, "four"));
  EXPECT_EQ(std::string::npos, out.str().find("two"));
}

TEST(ParseLogLevelAndFormat, accept_only_known_words) {
  const auto level = ParseLogLevel("error");
  ASSERT_TRUE(level.ok());
  EXPECT_EQ(LogLevel::kError, *level);
  EXPECT_EQ("expected one of debug, info, warn, error, got 'ERROR'",
            ParseLogLevel("ERROR").message());
  const auto format = ParseLogFormat("json");
  ASSERT_TRUE(format.ok());
  EXPECT_EQ(LogFormat::kJson, *format);
  EXPECT_EQ("expected logfmt or json, got 'text'", ParseLogFormat("text").message());
}

}  // namespace
}  // namespace mailpath
