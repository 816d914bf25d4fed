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

  bool operator==(const TlsSettings&) const = default;
};

}  // namespace mailpath::http
