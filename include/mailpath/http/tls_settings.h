#pragma once

#include <string>
#include <vector>

namespace mailpath::http {

/// exporter-toolkit's client_auth_type values (Go's tls.ClientAuthType).
enum class ClientAuth {
  kNoClientCert,
  kRequestClientCert,
  kRequireAnyClientCert,
  kVerifyClientCertIfGiven,
  kRequireAndVerifyClientCert,
};

/// The TLS part of a web config (`tls_server_config`), paths resolved.
struct TlsSettings {
  std::string cert_file;
  std::string key_file;
  std::string client_ca_file;  // PEM bundle of CAs that sign client certs
  ClientAuth client_auth = ClientAuth::kNoClientCert;
  int min_version = 0x0303;  // TLS 1.2, exporter-toolkit's default
  int max_version = 0x0304;  // TLS 1.3
  /// cipher_suites in OpenSSL's syntax ("A:B"), applied to TLS 1.2 and
  /// below; "" keeps OpenSSL's defaults.
  std::string cipher_list;
  /// curve_preferences as OpenSSL groups ("P-256:X25519"); "" keeps the defaults.
  std::string groups_list;

  bool operator==(const TlsSettings&) const = default;
};

}  // namespace mailpath::http
