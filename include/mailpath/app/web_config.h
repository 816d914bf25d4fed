#pragma once

#include <string>
#include <string_view>

namespace mailpath::app {

/// The top-level blocks found in an exporter-toolkit web configuration file.
struct WebConfig {
  bool has_tls_server_config = false;
  bool has_basic_auth_users = false;
  bool has_http_server_config = false;
  bool has_rate_limit = false;
};

/// Reads the block structure of an exporter-toolkit web config (YAML):
/// top-level keys `tls_server_config`, `http_server_config`,
/// `basic_auth_users`, `rate_limit`. Unknown top-level keys are an error, as
/// in exporter-toolkit. Returns "" on success or an error naming the line.
/// Pure.
[[nodiscard]] std::string ParseWebConfig(std::string_view text, const std::string& filename,
                                         WebConfig& out);

}  // namespace mailpath::app
