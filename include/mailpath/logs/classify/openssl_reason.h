#pragma once
// What an OpenSSL error string says went wrong in a handshake: one table,
// read by the Postfix ("TLS library problem: ...") and Dovecot ("SSL_accept()
// failed: ...") classifiers alike.

#include <span>
#include <string_view>

#include "mailpath/logs/classify/literal_rows.h"

namespace mailpath::logs::classify {

/// The rows, in matching order. Values: wrong_version_number,
/// unsupported_protocol, no_shared_cipher, unknown_ca, certificate_verify_failed.
[[nodiscard]] std::span<const LiteralRow> OpenSslReasons();

/// The value of the first row found in `text`, or "" when none is. Pure.
[[nodiscard]] std::string_view OpenSslReason(std::string_view text);

}  // namespace mailpath::logs::classify
