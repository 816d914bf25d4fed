#pragma once

#include <cstdint>
#include <vector>

#include "mailpath/tcp/socket_sample.h"

namespace mailpath::tcp {

/// Counts of what a dump had to survive.
struct DumpStats {
  std::uint64_t retries = 0;    // restarted after NLM_F_DUMP_INTR, ENOBUFS or EINTR
  std::uint64_t malformed = 0;  // replies cut short or inconsistent
};

/// Where the tcp collector's sockets come from: one complete NETLINK_SOCK_DIAG
/// dump of the TCP sockets on the configured mail ports, both address
/// families. Implementations: MnlSockDiagSource (the kernel, over libmnl) and
/// ReplaySockDiagSource (captured replies, tests/fixtures/netlink/). One call
/// per scrape, never per socket: the per-socket work stays in the pure
/// ParseDiagReply and PortAggregator.
class SockDiagSource {
 public:
  virtual ~SockDiagSource() = default;
  /// Every matching socket of one dump (IPv4 family first, then IPv6), adding
  /// to `stats` what the dump had to survive. Throws std::runtime_error with
  /// a clear message when the source is unusable. Not thread-safe: the
  /// collector runs one dump at a time.
  [[nodiscard]] virtual std::vector<SocketSample> Dump(DumpStats& stats) = 0;
};

}  // namespace mailpath::tcp
