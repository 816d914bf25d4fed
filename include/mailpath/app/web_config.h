#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mailpath/common/result.h"
#include "mailpath/http/tls_settings.h"
#include "mailpath/http/token_bucket.h"

namespace mailpath::app {

/// An exporter-toolkit web configuration file (`--web.config.file`).
struct WebConfig {
  bool has_tls_server_config = false;
  bool has_basic_auth_users = false;
  bool has_http_server_config = false;
  bool has_rate_limit = false;

  /// Set when tls_server_config names a certificate: serve HTTPS only.
  std::optional<http::TlsSettings> tls;
  /// user -> bcrypt hash ($2a$/$2b$/$2y$), in file order.
  std::vector<std::pair<std::string, std::string>> basic_auth_users;
  /// http_server_config.headers, added to every response.
  std::vector<std::pair<std::string, std::string>> headers;
  /// rate_limit with a non-zero interval.
  std::optional<http::RateLimit> rate_limit;
  /// Settings accepted but not applied (http2, TLS 1.3 cipher suites), for a log line.
  std::vector<std::string> warnings;
};

/// Parses an exporter-toolkit web config (YAML subset, see mini_yaml.h):
/// `tls_server_config` {cert_file, key_file, client_auth_type, client_ca_file,
/// min_version, max_version, cipher_suites, prefer_server_cipher_suites,
/// curve_preferences}, `basic_auth_users` {user: bcrypt hash},
/// `http_server_config` {headers, http2}, `rate_limit` {interval, burst}.
/// Cipher and curve names are Go's, as exporter-toolkit takes them, and are
/// translated to OpenSSL's; an unknown one is an error. Unknown keys are an
/// error, as with exporter-toolkit's strict YAML decoding. Relative paths are
/// resolved against the directory of `filename`. An Error is
/// "FILE:LINE: reason". Pure.
[[nodiscard]] Status ParseWebConfig(std::string_view text, const std::string& filename,
                                    WebConfig& out);

}  // namespace mailpath::app
