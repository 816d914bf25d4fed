#include "mailpath/app/web_config.h"

#include <gtest/gtest.h>

namespace mailpath::app {
namespace {

constexpr const char* kHash = "$2y$10$8TZYP0hnuvNqqLXuUekhJernlKawKk5pzgTP8LTHsXOFOP5eUeECW";

TEST(ParseWebConfig, finds_exporter_toolkit_blocks) {
  WebConfig wc;
  ASSERT_EQ("", MessageOrEmpty(
                    ParseWebConfig(std::string("# comment\ntls_server_config:\n  cert_file: a\n"
                                               "  key_file: b\nbasic_auth_users:\n  alice: ") +
                                       kHash + "\n",
                                   "w.yml", wc)));
  EXPECT_TRUE(wc.has_tls_server_config);
  EXPECT_TRUE(wc.has_basic_auth_users);
  EXPECT_FALSE(wc.has_http_server_config);
}

TEST(ParseWebConfig, unknown_top_level_key_names_line) {
  WebConfig wc;
  EXPECT_EQ("w.yml:2: field tls_config not found in type web.Config",
            MessageOrEmpty(ParseWebConfig("---\ntls_config:\n", "w.yml", wc)));
}

TEST(ParseWebConfig, error_about_a_block_names_the_line_of_its_key) {
  WebConfig wc;
  EXPECT_EQ(
      "w.yml:3: field tls_server_confg not found in type web.Config",
      MessageOrEmpty(ParseWebConfig("# c\n\ntls_server_confg:\n  cert_file: x\n", "w.yml", wc)));
}

TEST(ParseWebConfig, empty_file_is_valid) {
  WebConfig wc;
  EXPECT_EQ("", MessageOrEmpty(ParseWebConfig("", "w.yml", wc)));
  EXPECT_FALSE(wc.tls.has_value());
  EXPECT_TRUE(wc.basic_auth_users.empty());
}

TEST(ParseWebConfig, full_tls_block_is_read_with_paths_relative_to_the_file) {
  WebConfig wc;
  ASSERT_EQ("", MessageOrEmpty(ParseWebConfig("tls_server_config:\n"
                                              "  cert_file: server.crt   # relative\n"
                                              "  key_file: \"/etc/x/server.key\"\n"
                                              "  client_auth_type: RequireAndVerifyClientCert\n"
                                              "  client_ca_file: 'ca dir/ca.crt'\n"
                                              "  min_version: TLS13\n"
                                              "  max_version: TLS13\n",
                                              "/etc/mailpath/web.yml", wc)));
  ASSERT_TRUE(wc.tls.has_value());
  EXPECT_EQ("/etc/mailpath/server.crt", wc.tls->cert_file);
  EXPECT_EQ("/etc/x/server.key", wc.tls->key_file);
  EXPECT_EQ("/etc/mailpath/ca dir/ca.crt", wc.tls->client_ca_file);
  EXPECT_EQ(http::ClientAuth::kRequireAndVerifyClientCert, wc.tls->client_auth);
  EXPECT_EQ(0x0304, wc.tls->min_version);
  EXPECT_EQ(0x0304, wc.tls->max_version);
}

TEST(ParseWebConfig, relative_paths_of_a_file_in_the_cwd_stay_relative) {
  WebConfig wc;
  ASSERT_EQ("", MessageOrEmpty(ParseWebConfig(
                    "tls_server_config:\n  cert_file: a.crt\n  key_file: a.key\n", "web.yml", wc)));
  EXPECT_EQ("a.crt", wc.tls->cert_file);
}

TEST(ParseWebConfig, tls_defaults_are_exporter_toolkits) {
  WebConfig wc;
  ASSERT_EQ("", MessageOrEmpty(ParseWebConfig("tls_server_config:\n  cert_file: a\n  key_file: b\n",
                                              "w", wc)));
  EXPECT_EQ(0x0303, wc.tls->min_version);
  EXPECT_EQ(0x0304, wc.tls->max_version);
  EXPECT_EQ(http::ClientAuth::kNoClientCert, wc.tls->client_auth);
}

TEST(ParseWebConfig, empty_tls_block_means_plain_http) {
  WebConfig wc;
  ASSERT_EQ("", MessageOrEmpty(ParseWebConfig("tls_server_config:\n", "w", wc)));
  EXPECT_TRUE(wc.has_tls_server_config);
  EXPECT_FALSE(wc.tls.has_value());
}

TEST(ParseWebConfig, tls_errors_name_the_line) {
  struct Case {
    const char* name;
    const char* text;
    const char* error;
  };
  const Case cases[] = {
      {"missing key", "tls_server_config:\n  cert_file: a\n", "w:1: missing key_file"},
      {"missing cert", "\ntls_server_config:\n  key_file: a\n", "w:2: missing cert_file"},
      {"bad version", "tls_server_config:\n  cert_file: a\n  key_file: b\n  min_version: TLS14\n",
       "w:4: unknown TLS version: TLS14"},
      {"bad auth", "tls_server_config:\n  cert_file: a\n  key_file: b\n  client_auth_type: Maybe\n",
       "w:1: invalid ClientAuth: Maybe"},
      {"verify without CA",
       "tls_server_config:\n  cert_file: a\n  key_file: b\n  client_auth_type: "
       "VerifyClientCertIfGiven\n",
       "w:1: client_auth_type VerifyClientCertIfGiven needs client_ca_file"},
      {"CA without policy",
       "tls_server_config:\n  cert_file: a\n  key_file: b\n  client_ca_file: c\n",
       "w:1: Client CA's have been configured without a Client Auth Policy"},
      {"min above max",
       "tls_server_config:\n  cert_file: a\n  key_file: b\n  min_version: TLS13\n  max_version: "
       "TLS12\n",
       "w:1: min_version is above max_version"},
      {"unknown field", "tls_server_config:\n  cert_file: a\n  key_fil: b\n",
       "w:3: field key_fil not found in type web.TLSConfig"},
      {"bad indentation", "tls_server_config:\n  cert_file: a\n    key_file: b\n",
       "w:3: unexpected indentation"},
      {"tab", "tls_server_config:\n\tcert_file: a\n", "w:2: tab in indentation"},
      {"duplicate", "tls_server_config:\n  cert_file: a\n  cert_file: b\n",
       "w:3: duplicate key 'cert_file'"},
      {"not a mapping", "tls_server_config: yes\n", "w:1: tls_server_config: expected a mapping"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    WebConfig wc;
    EXPECT_EQ(c.error, MessageOrEmpty(ParseWebConfig(c.text, "w", wc)));
  }
}

TEST(ParseWebConfig, cipher_suites_and_curves_are_translated_to_openssl_names) {
  WebConfig wc;
  ASSERT_EQ("", MessageOrEmpty(ParseWebConfig(
                    "tls_server_config:\n  cert_file: a\n  key_file: b\n  cipher_suites:\n"
                    "  - TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256\n"
                    "  - TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256\n"
                    "  curve_preferences: [X25519, CurveP256]\n"
                    "  prefer_server_cipher_suites: true\n",
                    "w", wc)));
  ASSERT_TRUE(wc.tls);
  EXPECT_EQ("ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-CHACHA20-POLY1305", wc.tls->cipher_list);
  EXPECT_EQ("X25519:P-256", wc.tls->groups_list);
  EXPECT_TRUE(wc.warnings.empty());
}

TEST(ParseWebConfig, tls13_suites_are_left_out_with_a_warning_and_unknown_names_are_errors) {
  WebConfig wc;
  ASSERT_EQ("", MessageOrEmpty(ParseWebConfig(
                    "tls_server_config:\n  cert_file: a\n  key_file: b\n"
                    "  cipher_suites: [TLS_AES_128_GCM_SHA256, TLS_RSA_WITH_AES_128_GCM_SHA256]\n",
                    "w", wc)));
  EXPECT_EQ("AES128-GCM-SHA256", wc.tls->cipher_list);
  ASSERT_EQ(1u, wc.warnings.size());
  EXPECT_NE(std::string::npos, wc.warnings[0].find("TLS 1.3"));
  WebConfig bad;
  EXPECT_EQ("w:5: unknown cipher: TLS_RSA_WITH_RC4_128_SHA",
            MessageOrEmpty(ParseWebConfig(
                "tls_server_config:\n  cert_file: a\n  key_file: b\n  cipher_suites:\n"
                "  - TLS_RSA_WITH_RC4_128_SHA\n",
                "w", bad)));
  WebConfig bad_curve;
  EXPECT_EQ("w:5: unknown curve: P-256",
            MessageOrEmpty(ParseWebConfig(
                "tls_server_config:\n  cert_file: a\n  key_file: b\n  curve_preferences:\n"
                "  - P-256\n",
                "w", bad_curve)));
}

TEST(ParseWebConfig, rate_limit) {
  WebConfig wc;
  ASSERT_EQ(
      "", MessageOrEmpty(ParseWebConfig("rate_limit:\n  interval: 250ms\n  burst: 5\n", "w", wc)));
  ASSERT_TRUE(wc.rate_limit);
  EXPECT_DOUBLE_EQ(0.25, wc.rate_limit->interval_seconds);
  EXPECT_EQ(5, wc.rate_limit->burst);
  EXPECT_TRUE(wc.warnings.empty());

  WebConfig off;  // interval 0 disables it, as in exporter-toolkit
  ASSERT_EQ("",
            MessageOrEmpty(ParseWebConfig("rate_limit:\n  interval: 0\n  burst: 0\n", "w", off)));
  EXPECT_FALSE(off.rate_limit);

  WebConfig refuse_all;
  ASSERT_EQ("", MessageOrEmpty(ParseWebConfig("rate_limit:\n  interval: 1s\n", "w", refuse_all)));
  ASSERT_TRUE(refuse_all.rate_limit);
  EXPECT_EQ(0, refuse_all.rate_limit->burst);
  ASSERT_EQ(1u, refuse_all.warnings.size());

  WebConfig bad;
  EXPECT_EQ("w:2: rate_limit: interval: not a duration: soon",
            MessageOrEmpty(ParseWebConfig("rate_limit:\n  interval: soon\n", "w", bad)));
  EXPECT_EQ("w:3: rate_limit: burst: expected a non-negative integer: -1",
            MessageOrEmpty(ParseWebConfig("rate_limit:\n  interval: 1s\n  burst: -1\n", "w", bad)));
  EXPECT_EQ("w:2: field rate not found in type web.RateLimiterConfig",
            MessageOrEmpty(ParseWebConfig("rate_limit:\n  rate: 1\n", "w", bad)));
}

TEST(ParseWebConfig, basic_auth_users_in_file_order) {
  WebConfig wc;
  ASSERT_EQ("", MessageOrEmpty(ParseWebConfig(std::string("basic_auth_users:\n  alice: ") + kHash +
                                                  "\n  \"bob\": '" + kHash + "'\n",
                                              "w", wc)));
  ASSERT_EQ(2u, wc.basic_auth_users.size());
  EXPECT_EQ("alice", wc.basic_auth_users[0].first);
  EXPECT_EQ(kHash, wc.basic_auth_users[0].second);
  EXPECT_EQ("bob", wc.basic_auth_users[1].first);
}

TEST(ParseWebConfig, non_bcrypt_password_is_an_error) {
  WebConfig wc;
  EXPECT_EQ(
      "w:3: basic_auth_users: bob: not a bcrypt hash ($2a$, $2b$ or $2y$)",
      MessageOrEmpty(ParseWebConfig(
          std::string("basic_auth_users:\n  alice: ") + kHash + "\n  bob: plain\n", "w", wc)));
}

TEST(ParseWebConfig, bcrypt_hashes_are_checked_like_go_bcrypt_reads_them) {
  const std::string good = kHash;
  struct Case {
    const char* name;
    std::string hash;
    std::string want;
  };
  const Case cases[] = {
      {"cost 03", good.substr(0, 4) + "03" + good.substr(6),
       "w:2: basic_auth_users: alice: bcrypt cost 03 outside 4..31"},
      {"cost 32", good.substr(0, 4) + "32" + good.substr(6),
       "w:2: basic_auth_users: alice: bcrypt cost 32 outside 4..31"},
      {"cost not digits", good.substr(0, 4) + "1x" + good.substr(6),
       "w:2: basic_auth_users: alice: bcrypt hash without a two-digit cost"},
      {"character outside bcrypt's base64", good.substr(0, 59) + "!",
       "w:2: basic_auth_users: alice: bcrypt salt and hash hold a character outside ./A-Za-z0-9"},
      {"cost 10", good, ""},
      {"cost 31", good.substr(0, 4) + "31" + good.substr(6), ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    WebConfig wc;
    EXPECT_EQ(c.want, MessageOrEmpty(
                          ParseWebConfig("basic_auth_users:\n  alice: " + c.hash + "\n", "w", wc)));
  }
}

TEST(ParseWebConfig, response_headers_are_collected) {
  WebConfig wc;
  ASSERT_EQ("",
            MessageOrEmpty(ParseWebConfig("http_server_config:\n  http2: true\n  headers:\n"
                                          "    X-Frame-Options: deny\n"
                                          "    Strict-Transport-Security: \"max-age=31536000\"\n",
                                          "w", wc)));
  ASSERT_EQ(2u, wc.headers.size());
  EXPECT_EQ("X-Frame-Options", wc.headers[0].first);
  EXPECT_EQ("deny", wc.headers[0].second);
  EXPECT_EQ("max-age=31536000", wc.headers[1].second);
}

TEST(ParseWebConfig, flow_mapping_of_headers) {
  WebConfig wc;
  ASSERT_EQ("", MessageOrEmpty(ParseWebConfig(
                    "http_server_config:\n  headers: {Content-Security-Policy: \"a, b\","
                    " X-Content-Type-Options: nosniff}\n",
                    "w", wc)));
  ASSERT_EQ(2u, wc.headers.size());
  EXPECT_EQ("a, b", wc.headers[0].second);
  EXPECT_EQ("X-Content-Type-Options", wc.headers[1].first);
}

TEST(ParseWebConfig, only_exporter_toolkits_headers_and_values_are_allowed) {
  WebConfig wc;
  EXPECT_EQ(
      "w:3: HTTP header \"Server\" can not be configured",
      MessageOrEmpty(ParseWebConfig("http_server_config:\n  headers:\n    Server: x\n", "w", wc)));
  EXPECT_EQ("w:3: HTTP header \"x-frame-options\" can not be configured",
            MessageOrEmpty(ParseWebConfig(
                "http_server_config:\n  headers:\n    x-frame-options: deny\n", "w", wc)));
  EXPECT_EQ(
      "w:3: invalid value for X-Frame-Options. Expected one of: [\"deny\" \"sameorigin\"], but "
      "got: "
      "\"DENY\"",
      MessageOrEmpty(
          ParseWebConfig("http_server_config:\n  headers:\n    X-Frame-Options: DENY\n", "w", wc)));
}

}  // namespace
}  // namespace mailpath::app
