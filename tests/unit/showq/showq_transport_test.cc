#include "mailpath/showq/showq_transport.h"

#include <gtest/gtest.h>

namespace mailpath::showq {
namespace {

TEST(SplitHostPort, accepts_host_port_and_bracketed_v6) {
  struct Case {
    std::string address, host, port;
  };
  for (const auto& c : std::vector<Case>{{"127.0.0.1:10025", "127.0.0.1", "10025"},
                                         {"mail.example:10025", "mail.example", "10025"},
                                         {"[::1]:10025", "::1", "10025"}}) {
    SCOPED_TRACE(c.address);
    std::string host, port;
    ASSERT_TRUE(SplitHostPort(c.address, host, port));
    EXPECT_EQ(c.host, host);
    EXPECT_EQ(c.port, port);
  }
}

TEST(SplitHostPort, rejects_what_is_not_host_port) {
  for (const std::string bad :
       {"showq", ":25", "host:", "host:smtp", "::1:25", "[::1]25", "[::1]"}) {
    SCOPED_TRACE(bad);
    std::string host, port;
    EXPECT_FALSE(SplitHostPort(bad, host, port));
  }
}

}  // namespace
}  // namespace mailpath::showq
