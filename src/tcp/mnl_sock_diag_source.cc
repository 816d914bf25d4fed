#include <libmnl/libmnl.h>
#include <linux/sock_diag.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "mailpath/tcp/diag_reply.h"
#include "mailpath/tcp/sock_diag_source.h"

namespace mailpath::tcp {
namespace {

struct MnlSocket {
  mnl_socket* s = nullptr;
  ~MnlSocket() {
    if (s) mnl_socket_close(s);
  }
};

}  // namespace

SockDiagSource::SockDiagSource(std::vector<std::uint16_t> local_ports, std::vector<std::uint16_t> remote_ports)
    : bytecode_(BuildPortFilter(local_ports, remote_ports)) {}

bool SockDiagSource::DumpFamily(std::uint8_t family, std::vector<SocketSample>& out, DumpStats& stats) {
  MnlSocket nl;
  nl.s = mnl_socket_open(NETLINK_SOCK_DIAG);
  if (nl.s == nullptr) throw std::runtime_error(std::string("netlink sock_diag unavailable: ") + std::strerror(errno));
  if (mnl_socket_bind(nl.s, 0, MNL_SOCKET_AUTOPID) < 0) {
    throw std::runtime_error(std::string("netlink bind: ") + std::strerror(errno));
  }
  const std::uint32_t seq = seq_++;
  const std::string req = BuildDumpRequest(family, seq, bytecode_);
  if (mnl_socket_sendto(nl.s, req.data(), req.size()) < 0) {
    throw std::runtime_error(std::string("netlink send: ") + std::strerror(errno));
  }
  std::vector<char> buf(1 << 16);
  const std::size_t before = out.size();
  for (;;) {
    const ssize_t n = mnl_socket_recvfrom(nl.s, buf.data(), buf.size());
    if (n < 0) {
      if (errno == EINTR || errno == ENOBUFS) {
        out.resize(before);
        return false;  // retry the family
      }
      throw std::runtime_error(std::string("netlink recv: ") + std::strerror(errno));
    }
    const ReplyStatus st = ParseDiagReply(std::string_view(buf.data(), static_cast<std::size_t>(n)),
                                          [&out](const SocketSample& s) { out.push_back(s); });
    if (st.malformed) {
      ++stats.malformed;
      out.resize(before);
      return false;
    }
    if (st.error != 0) {
      throw std::runtime_error(std::string("sock_diag dump refused: ") + std::strerror(st.error));
    }
    if (st.interrupted) {
      out.resize(before);
      return false;
    }
    if (st.done) return true;
  }
}

std::vector<SocketSample> SockDiagSource::Dump(DumpStats& stats) {
  std::vector<SocketSample> out;
  for (std::uint8_t family : {std::uint8_t{AF_INET}, std::uint8_t{AF_INET6}}) {
    int attempt = 0;
    while (!DumpFamily(family, out, stats)) {
      ++stats.retries;
      if (++attempt >= 3) throw std::runtime_error("sock_diag dump kept being interrupted; giving up this scrape");
    }
  }
  return out;
}

}  // namespace mailpath::tcp
