#pragma once

#include <string>
#include <string_view>

namespace mailpath::http {

/// gzip-compresses `data` (RFC 1952). Pure.
[[nodiscard]] std::string Gzip(std::string_view data);

/// True when an Accept-Encoding header value allows gzip (and does not give
/// it q=0). Pure.
[[nodiscard]] bool AcceptsGzip(std::string_view accept_encoding);

}  // namespace mailpath::http
