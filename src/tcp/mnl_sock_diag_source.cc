#include "mailpath/tcp/mnl_sock_diag_source.h"

#include <libmnl/libmnl.h>
#include <linux/sock_diag.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <future>
#include <stdexcept>

#include "mailpath/tcp/diag_reply.h"

namespace mailpath::tcp {
namespace {

struct MnlSocket {
  mnl_socket* s = nullptr;
  ~MnlSocket() {
    if (s) mnl_socket_close(s);
  }
};

}  // namespace

MnlSockDiagSource::MnlSockDiagSource(const std::vector<std::uint16_t>& local_ports,
                                     const std::vector<std::uint16_t>& remote_ports)
    : bytecode_(BuildPortFilter(local_ports, remote_ports)) {}

bool MnlSockDiagSource::DumpFamily(std::uint8_t family, std::uint32_t seq,
                                   std::vector<SocketSample>& out, DumpStats& stats) const {
  MnlSocket nl;
  nl.s = mnl_socket_open(NETLINK_SOCK_DIAG);
  if (nl.s == nullptr)
    throw std::runtime_error(std::string("netlink sock_diag unavailable: ") + std::strerror(errno));
  if (mnl_socket_bind(nl.s, 0, MNL_SOCKET_AUTOPID) < 0) {
    throw std::runtime_error(std::string("netlink bind: ") + std::strerror(errno));
  }
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

std::vector<SocketSample> MnlSockDiagSource::DumpOneFamily(std::uint8_t family,
                                                           DumpStats& stats) const {
  std::vector<SocketSample> out;
  std::uint32_t seq = family;
  int attempt = 0;
  while (!DumpFamily(family, seq, out, stats)) {
    ++stats.retries;
    seq += 256;
    if (++attempt >= 3)
      throw std::runtime_error("sock_diag dump kept being interrupted; giving up this scrape");
  }
  return out;
}

std::vector<SocketSample> MnlSockDiagSource::Dump(DumpStats& stats) {
  // The kernel walks the whole TCP hash table for each family (the port
  // filter runs per socket), so on a busy host the two walks dominate; run
  // them on two netlink sockets at once.
  DumpStats v6_stats;
  auto v6 = std::async(std::launch::async,
                       [this, &v6_stats] { return DumpOneFamily(AF_INET6, v6_stats); });
  std::vector<SocketSample> out;
  std::exception_ptr v4_error;
  try {
    out = DumpOneFamily(AF_INET, stats);
  } catch (...) {
    v4_error = std::current_exception();
  }
  std::vector<SocketSample> v6_out = v6.get();  // rethrows the v6 error, after joining
  stats.retries += v6_stats.retries;
  stats.malformed += v6_stats.malformed;
  if (v4_error) std::rethrow_exception(v4_error);
  out.insert(out.end(), v6_out.begin(), v6_out.end());
  return out;
}

}  // namespace mailpath::tcp
