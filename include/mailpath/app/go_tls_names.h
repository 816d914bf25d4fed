#pragma once

#include <optional>
#include <string_view>

namespace mailpath::app {

/// The OpenSSL name of a cipher suite named as Go's tls.CipherSuites() does
/// (the names exporter-toolkit's `cipher_suites` accepts):
/// "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256" -> "ECDHE-RSA-AES128-GCM-SHA256".
/// TLS 1.3 suites map to "" (Go does not let them be configured, and neither
/// do we); nullopt for a name Go does not accept. Pure.
[[nodiscard]] std::optional<std::string_view> OpenSslCipherName(std::string_view go_name);

/// The OpenSSL group name of an exporter-toolkit `curve_preferences` entry:
/// "CurveP256" -> "P-256", "X25519" -> "X25519"; nullopt when unknown. Pure.
[[nodiscard]] std::optional<std::string_view> OpenSslGroupName(std::string_view go_name);

}  // namespace mailpath::app
