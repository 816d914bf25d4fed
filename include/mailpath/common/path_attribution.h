#pragma once

#include <string_view>

namespace mailpath {

/// Joins a loss the logs report (a TLS handshake or a DATA phase that never
/// completed) to what the tcp collector saw on that peer's sockets. The log
/// classifiers only call it; tcp::PeerPaths implements it. Thread-safe.
class PathAttribution {
 public:
  virtual ~PathAttribution() = default;
  /// `daemon` "postfix" or "dovecot"; `stage` "tls" or "data"; `peer` the
  /// client address as logged (IPv4 or IPv6 text; anything else counts as
  /// an unknown path).
  virtual void CountLoss(std::string_view daemon, std::string_view stage,
                         std::string_view peer) = 0;
};

}  // namespace mailpath
