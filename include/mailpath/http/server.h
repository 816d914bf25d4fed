#pragma once

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "mailpath/common/result.h"
#include "mailpath/http/basic_auth.h"
#include "mailpath/http/router.h"
#include "mailpath/http/tls_settings.h"
#include "mailpath/http/token_bucket.h"

namespace mailpath::http {

/// Server settings, in exporter-toolkit terms.
struct ServerOptions {
  /// "host:port", ":port" (all addresses) or "[v6addr]:port"; port 0 picks a
  /// free port (see BoundAddresses).
  std::vector<std::string> listen_addresses;
  int max_requests = 40;  // worker threads = concurrent requests served
  /// A connection that has not sent a whole request after this is cut off.
  int request_timeout_ms = 5000;
  /// From --web.config.file: HTTPS only when set (no plain listener).
  std::optional<TlsSettings> tls;
  /// Basic auth for every path when set.
  std::shared_ptr<const BasicAuth> auth;
  /// http_server_config.headers, added to every response.
  std::vector<std::pair<std::string, std::string>> headers;
  /// web config rate_limit: over it, requests get 429 before authentication
  /// (as exporter-toolkit does). One bucket for the whole server; a reload
  /// starts a fresh, full one.
  std::optional<RateLimit> rate_limit;
};

/// Translates one exporter-toolkit listen address into civetweb's
/// listening_ports syntax; an Error names the malformed address. Pure.
[[nodiscard]] Result<std::string> ToCivetListenSpec(const std::string& address);

/// An HTTP server (civetweb) that hands every request to a Router. It owns the
/// handler itself, so no library self-metrics leak into /metrics.
class Server {
 public:
  virtual ~Server() = default;
  /// The addresses actually bound ("127.0.0.1:10154"), ports resolved.
  [[nodiscard]] virtual std::vector<std::string> BoundAddresses() const = 0;
  /// Lets requests being answered finish (up to 1.5 s), stops accepting,
  /// joins the workers.
  virtual void Stop() = 0;
  /// Applies a changed web config. When only basic auth, headers or the rate
  /// limit changed, they are swapped in place and the listeners stay up.
  /// When the TLS settings changed, or `tls_files_changed` (the client CA
  /// file was rewritten), the new TLS settings are loaded first (on error it
  /// throws and the running server is untouched), then the server is stopped
  /// (in-flight requests finish) and restarted on the same bound ports.
  /// listen_addresses, max_requests and the timeout are kept.
  virtual void Reload(const ServerOptions& options, bool tls_files_changed) = 0;
};

/// A certificate, key or CA file of the web config that cannot be used.
class TlsFileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Starts the server. Throws TlsFileError for unusable TLS files, and
/// std::runtime_error with civetweb's reason (for
/// example the address already in use) when it cannot listen.
[[nodiscard]] std::unique_ptr<Server> StartCivetServer(const ServerOptions& options,
                                                       const Router& router);

}  // namespace mailpath::http
