#include "mailpath/tcp/replay_sock_diag_source.h"

#include <cstring>
#include <stdexcept>

#include "mailpath/tcp/diag_reply.h"

namespace mailpath::tcp {

ReplaySockDiagSource::ReplaySockDiagSource(std::vector<RecordedDump> dumps,
                                           const std::vector<std::uint16_t>& local_ports,
                                           const std::vector<std::uint16_t>& remote_ports)
    : recorded_(std::move(dumps)),
      local_ports_(local_ports.begin(), local_ports.end()),
      remote_ports_(remote_ports.begin(), remote_ports.end()) {}

std::vector<SocketSample> ReplaySockDiagSource::Dump(DumpStats& stats) {
  if (recorded_.empty()) throw std::runtime_error("sock_diag replay: no recorded dump");
  const RecordedDump& dump = recorded_[std::min(next_, recorded_.size() - 1)];
  ++next_;
  std::vector<SocketSample> out;
  for (const std::string& reply : dump) {
    const ReplyStatus st = ParseDiagReply(reply, [this, &out](const SocketSample& s) {
      if (local_ports_.count(s.sport) != 0 || remote_ports_.count(s.dport) != 0) out.push_back(s);
    });
    if (st.malformed) {
      ++stats.malformed;
      throw std::runtime_error("sock_diag replay: malformed reply");
    }
    if (st.error != 0)
      throw std::runtime_error(std::string("sock_diag dump refused: ") + std::strerror(st.error));
    if (st.interrupted) {
      ++stats.retries;
      throw std::runtime_error("sock_diag replay: interrupted dump (NLM_F_DUMP_INTR)");
    }
    if (!st.done) throw std::runtime_error("sock_diag replay: reply ends before NLMSG_DONE");
  }
  return out;
}

}  // namespace mailpath::tcp
