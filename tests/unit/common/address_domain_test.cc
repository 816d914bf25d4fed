#include "mailpath/common/address_domain.h"

#include <gtest/gtest.h>

#include <string>

namespace mailpath {
namespace {

TEST(AddressDomain, table) {
  EXPECT_EQ("example.com", AddressDomain("U@Example.COM"));
  EXPECT_EQ("example.org", AddressDomain("User@Example.ORG."));
  EXPECT_EQ("b.test", AddressDomain("\"a@x\"@b.test"));  // the last '@' counts
  EXPECT_EQ("", AddressDomain("MAILER-DAEMON"));
  EXPECT_EQ("", AddressDomain("nobody"));
  EXPECT_EQ("", AddressDomain("x@"));
  EXPECT_EQ("", AddressDomain("x@..."));
  EXPECT_EQ(255u, AddressDomain("x@" + std::string(1000, 'a')).size());
}

}  // namespace
}  // namespace mailpath
