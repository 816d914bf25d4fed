#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "mailpath/tcp/sock_diag_source.h"

namespace mailpath::tcp {

/// Dumps TCP sockets from the kernel over NETLINK_SOCK_DIAG (libmnl), one
/// request per family with a kernel-side port filter (INET_DIAG_REQ_BYTECODE),
/// so only mail sockets are copied. Throws std::runtime_error with a clear
/// message when netlink is unusable.
class MnlSockDiagSource final : public SockDiagSource {
 public:
  MnlSockDiagSource(const std::vector<std::uint16_t>& local_ports,
                    const std::vector<std::uint16_t>& remote_ports);
  /// Both families, dumped in parallel on two netlink sockets; each retried
  /// (up to 3 times) when its dump was interrupted.
  [[nodiscard]] std::vector<SocketSample> Dump(DumpStats& stats) override;

 private:
  [[nodiscard]] std::vector<SocketSample> DumpOneFamily(std::uint8_t family,
                                                        DumpStats& stats) const;
  bool DumpFamily(std::uint8_t family, std::uint32_t seq, std::vector<SocketSample>& out,
                  DumpStats& stats) const;
  std::string bytecode_;
};

}  // namespace mailpath::tcp
