#pragma once

#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "mailpath/tcp/sock_diag_source.h"

namespace mailpath::tcp {

/// One recorded dump: the reply bytes of each address family's dump request,
/// every datagram back to back up to NLMSG_DONE (the `.nldump` format of
/// tests/fixtures/netlink/, see its README.md).
using RecordedDump = std::vector<std::string>;

/// Replays recorded sock_diag replies as a SockDiagSource: the Nth Dump()
/// parses the Nth recorded dump (the last one again once they run out), so a
/// sequence of captures plays as a sequence of scrapes. The port filter the
/// kernel would run on the request (a local port in `local_ports` or a
/// remote port in `remote_ports`) is applied to the replayed sockets, so a
/// capture taken without one replays as the exporter's filtered request
/// would have returned it. No I/O: the bytes come in.
class ReplaySockDiagSource final : public SockDiagSource {
 public:
  ReplaySockDiagSource(std::vector<RecordedDump> dumps,
                       const std::vector<std::uint16_t>& local_ports,
                       const std::vector<std::uint16_t>& remote_ports);

  /// A reply marked interrupted (NLM_F_DUMP_INTR) or cut short counts in
  /// `stats` as the live source would count one attempt, then throws (a
  /// replay cannot retry into different bytes); an NLMSG_ERROR throws.
  [[nodiscard]] std::vector<SocketSample> Dump(DumpStats& stats) override;

  /// Dumps replayed so far.
  [[nodiscard]] std::size_t dumps() const { return next_; }

 private:
  std::vector<RecordedDump> recorded_;
  std::set<std::uint16_t> local_ports_;
  std::set<std::uint16_t> remote_ports_;
  std::size_t next_ = 0;
};

}  // namespace mailpath::tcp
