#include "mailpath/app/web_config.h"

#include <gtest/gtest.h>

namespace mailpath::app {
namespace {

TEST(ParseWebConfig, finds_exporter_toolkit_blocks) {
  WebConfig wc;
  ASSERT_EQ("", ParseWebConfig("# comment\ntls_server_config:\n  cert_file: a\nbasic_auth_users:\n"
                               "  alice: $2y$10$x\n",
                               "w.yml", wc));
  EXPECT_TRUE(wc.has_tls_server_config);
  EXPECT_TRUE(wc.has_basic_auth_users);
  EXPECT_FALSE(wc.has_http_server_config);
}

TEST(ParseWebConfig, unknown_top_level_key_names_line) {
  WebConfig wc;
  EXPECT_EQ("w.yml:2: field tls_config not found in type web.Config",
            ParseWebConfig("---\ntls_config:\n", "w.yml", wc));
}

TEST(ParseWebConfig, empty_file_is_valid) {
  WebConfig wc;
  EXPECT_EQ("", ParseWebConfig("", "w.yml", wc));
}

}  // namespace
}  // namespace mailpath::app
