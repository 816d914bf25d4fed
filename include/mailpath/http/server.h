#pragma once

#include <memory>
#include <string>
#include <vector>

#include "mailpath/http/router.h"

namespace mailpath::http {

/// Server settings, in exporter-toolkit terms.
struct ServerOptions {
  /// "host:port", ":port" (all addresses) or "[v6addr]:port"; port 0 picks a
  /// free port (see BoundAddresses).
  std::vector<std::string> listen_addresses;
  int max_requests = 40;         // worker threads = concurrent requests served
  int request_timeout_ms = 10000;  // slow or idle clients are cut off after this
};

/// Translates one exporter-toolkit listen address into civetweb's
/// listening_ports syntax; returns false with `error` set if malformed. Pure.
[[nodiscard]] bool ToCivetListenSpec(const std::string& address, std::string& spec,
                                     std::string& error);

/// An HTTP server (civetweb) that hands every request to a Router. It owns the
/// handler itself, so no library self-metrics leak into /metrics.
class Server {
 public:
  virtual ~Server() = default;
  /// The addresses actually bound ("127.0.0.1:10154"), ports resolved.
  [[nodiscard]] virtual std::vector<std::string> BoundAddresses() const = 0;
  /// Stops accepting, lets in-flight requests finish, joins the workers.
  virtual void Stop() = 0;
};

/// Starts the server. Throws std::runtime_error with civetweb's reason (for
/// example the address already in use) when it cannot listen.
[[nodiscard]] std::unique_ptr<Server> StartCivetServer(const ServerOptions& options,
                                                       const Router& router);

}  // namespace mailpath::http
