#include "mailpath/common/go_duration.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace mailpath {
namespace {

TEST(ParseGoDuration, table) {
  struct Case {
    const char* text;
    std::optional<double> want;
  };
  const Case cases[] = {
      {"0", 0.0},
      {"1s", 1.0},
      {"300ms", 0.3},
      {"1.5s", 1.5},
      {"1m30s", 90.0},
      {"2h", 7200.0},
      {"10us", 1e-5},
      {"10\xC2\xB5s", 1e-5},
      {"5ns", 5e-9},
      {".5s", 0.5},
      {"1h1m1s", 3661.0},
      {"1000000000", 1.0},  // a bare integer: nanoseconds, as yaml.v2 decodes it
      {"", std::nullopt},
      {"1", 1e-9},
      {"s", std::nullopt},
      {"1x", std::nullopt},
      {"-1s", std::nullopt},
      {"1s ", std::nullopt},
      {".s", std::nullopt},
      {"1.s", 1.0},
  };
  for (const Case& c : cases) {
    const auto got = ParseGoDuration(c.text);
    ASSERT_EQ(got.ok(), c.want.has_value()) << c.text;
    if (got) {
      EXPECT_NEAR(*got, *c.want, 1e-12) << c.text;
    } else {
      EXPECT_EQ("not a duration: " + std::string(c.text), got.message());
    }
  }
}

}  // namespace
}  // namespace mailpath
