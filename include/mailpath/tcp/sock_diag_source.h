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
  /// Both families, dumped in parallel on two netlink sockets; each retried
  /// (up to 3 times) when its dump was interrupted. Not thread-safe: the
  /// collector serialises scrapes.
  [[nodiscard]] std::vector<SocketSample> Dump(DumpStats& stats);

 private:
  [[nodiscard]] std::vector<SocketSample> DumpOneFamily(std::uint8_t family, DumpStats& stats) const;
  bool DumpFamily(std::uint8_t family, std::uint32_t seq, std::vector<SocketSample>& out, DumpStats& stats) const;
  std::string bytecode_;
};

}  // namespace mailpath::tcp
