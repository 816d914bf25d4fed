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
    const auto split = SplitHostPort(c.address);
    ASSERT_TRUE(split) << split.message();
    EXPECT_EQ(c.host, split->host);
    EXPECT_EQ(c.port, split->port);
  }
}

TEST(SplitHostPort, rejects_what_is_not_host_port) {
  for (const std::string bad :
       {"showq", ":25", "host:", "host:smtp", "::1:25", "[::1]25", "[::1]"}) {
    SCOPED_TRACE(bad);
    EXPECT_EQ("not host:port or [v6]:port: '" + bad + "'", MessageOrEmpty(SplitHostPort(bad)));
  }
}

}  // namespace
}  // namespace mailpath::showq
