#include "mailpath/logs/checkpoint.h"

#include <gtest/gtest.h>

namespace mailpath::logs {
namespace {

TEST(Checkpoint, round_trips) {
  Checkpoint cp;
  cp.files["/var/log/mail.log"] =
      FilePosition{{64769, 1234567}, 987654321, 0xfeedfacecafebeefULL, 256};
  cp.files["/var/log/dovecot.log"] = FilePosition{{1, 2}, 0, 0, 0};
  cp.journal_cursor = "s=abc;i=1;b=def";
  std::string err;
  const auto back = ParseCheckpoint(SerializeCheckpoint(cp), err);
  ASSERT_TRUE(back.has_value()) << err;
  EXPECT_EQ(cp, *back);
}

TEST(Checkpoint, damaged_input_is_an_error_not_a_crash) {
  for (const char* text : {"", "{", "[]", "{\"version\":2,\"files\":{}}", "{\"version\":1}",
                           "{\"version\":1,\"files\":{\"a\":{\"dev\":\"x\"}}}",
                           "{\"version\":1,\"files\":{\"a\":{\"dev\":1,\"ino\":1,\"offset\":-5,"
                           "\"fingerprint\":1,\"fingerprint_len\":1}}}",
                           "{\"version\":1,\"files\":{\"a\":{\"dev\":1,\"ino\":1,\"offset\":5,"
                           "\"fingerprint\":1,\"fingerprint_len\":9999}}}"}) {
    SCOPED_TRACE(text);
    std::string err;
    EXPECT_FALSE(ParseCheckpoint(text, err).has_value());
    EXPECT_FALSE(err.empty());
  }
}

TEST(Fingerprint, differs_for_different_prefixes) {
  EXPECT_NE(Fingerprint("Jan  1 line one"), Fingerprint("Jan  1 line two"));
  EXPECT_EQ(Fingerprint(""), Fingerprint(""));
}

}  // namespace
}  // namespace mailpath::logs
