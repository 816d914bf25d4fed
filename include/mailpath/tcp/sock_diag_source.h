#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "mailpath/tcp/socket_sample.h"

namespace mailpath::tcp {

/// Counts of what a dump had to survive.
struct DumpStats {
  std::uint64_t retries = 0;        // restarted after NLM_F_DUMP_INTR, ENOBUFS or EINTR
  std::uint64_t malformed = 0;      // replies cut short or inconsistent
};

/// Dumps TCP sockets over NETLINK_SOCK_DIAG (libmnl), one request per
/// family with a kernel-side port filter, so only mail sockets are copied.
/// Throws std::runtime_error with a clear message when netlink is unusable.
class SockDiagSource {
 public:
  SockDiagSource(std::vector<std::uint16_t> local_ports, std::vector<std::uint16_t> remote_ports);
  /// Both families; retried (up to 3 times per family) when the dump was
  /// interrupted. Not thread-safe.
  [[nodiscard]] std::vector<SocketSample> Dump(DumpStats& stats);

 private:
  bool DumpFamily(std::uint8_t family, std::vector<SocketSample>& out, DumpStats& stats);
  std::string bytecode_;
  std::uint32_t seq_ = 1;
};

}  // namespace mailpath::tcp
