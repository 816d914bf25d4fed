#include "mailpath/tcp/diag_reply.h"

#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>

#include <cstring>
#include <limits>

namespace mailpath::tcp {
namespace {

template <typename T>
T Read(std::string_view b, std::size_t off) {
  T v;
  std::memcpy(&v, b.data() + off, sizeof v);
  return v;
}

constexpr std::size_t Align4(std::size_t n) { return (n + 3) & ~std::size_t{3}; }

}  // namespace

ReplyStatus ParseDiagReply(std::string_view buf,
                           const std::function<void(const SocketSample&)>& on_socket) {
  ReplyStatus st;
  std::size_t off = 0;
  while (off + sizeof(nlmsghdr) <= buf.size()) {
    const auto hdr = Read<nlmsghdr>(buf, off);
    if (hdr.nlmsg_len < sizeof(nlmsghdr) || off + hdr.nlmsg_len > buf.size()) {
      st.malformed = true;
      return st;
    }
    const std::string_view msg =
        buf.substr(off + sizeof(nlmsghdr), hdr.nlmsg_len - sizeof(nlmsghdr));
    if (hdr.nlmsg_flags & NLM_F_DUMP_INTR) st.interrupted = true;
    if (hdr.nlmsg_type == NLMSG_DONE) {
      st.done = true;
      return st;
    }
    if (hdr.nlmsg_type == NLMSG_ERROR) {
      // -errno; anything else (>= 0, or INT_MIN, which has no negation) is EPROTO.
      const int code = msg.size() >= sizeof(int) ? Read<int>(msg, 0) : 0;
      st.error = code < 0 && code != std::numeric_limits<int>::min() ? -code : EPROTO;
      return st;
    }
    if (hdr.nlmsg_type == SOCK_DIAG_BY_FAMILY) {
      if (msg.size() < sizeof(inet_diag_msg)) {
        st.malformed = true;
        return st;
      }
      const auto m = Read<inet_diag_msg>(msg, 0);
      SocketSample s;
      s.family = m.idiag_family;
      s.state = m.idiag_state;
      s.timer = m.idiag_timer;
      s.retrans = m.idiag_retrans;
      s.sport = ntohs(m.id.idiag_sport);
      s.dport = ntohs(m.id.idiag_dport);
      std::memcpy(s.src.data(), m.id.idiag_src, 16);
      std::memcpy(s.dst.data(), m.id.idiag_dst, 16);
      s.cookie = (static_cast<std::uint64_t>(m.id.idiag_cookie[1]) << 32) | m.id.idiag_cookie[0];
      s.expires_ms = m.idiag_expires;
      s.rqueue = m.idiag_rqueue;
      s.wqueue = m.idiag_wqueue;
      std::size_t a = Align4(sizeof(inet_diag_msg));
      while (a + 4 <= msg.size()) {
        const auto len = Read<std::uint16_t>(msg, a);
        const auto type = Read<std::uint16_t>(msg, a + 2);
        if (len < 4 || a + len > msg.size()) {
          st.malformed = true;
          return st;
        }
        if (type == INET_DIAG_INFO) s.info = DecodeTcpInfo(msg.substr(a + 4, len - 4));
        if (type == INET_DIAG_SKMEMINFO && len >= 4 + 4 * (SK_MEMINFO_RMEM_ALLOC + 1)) {
          s.rmem_alloc = Read<std::uint32_t>(msg, a + 4 + 4 * SK_MEMINFO_RMEM_ALLOC);
        }
        a += Align4(len);
      }
      ++st.sockets;
      on_socket(s);
    }
    off += Align4(hdr.nlmsg_len);
  }
  return st;
}

std::string BuildPortFilter(const std::vector<std::uint16_t>& local_ports,
                            const std::vector<std::uint16_t>& remote_ports) {
  struct Cond {
    std::uint8_t code;
    std::uint16_t port;
  };
  std::vector<Cond> conds;
  for (auto p : local_ports) conds.push_back({INET_DIAG_BC_S_COND, p});
  for (auto p : remote_ports) conds.push_back({INET_DIAG_BC_D_COND, p});
  // ss's layout for "A or B or ...": each condition {yes: next op, no: skip
  // the following JMP}, then a JMP over the rest to the end (accept). The last
  // condition's no points past the end (reject). The kernel's audit walks the
  // yes chain, so every no-target must lie on it (inet_diag_bc_audit).
  constexpr std::size_t kCond = sizeof(inet_diag_bc_op) + sizeof(inet_diag_hostcond);  // 12
  constexpr std::size_t kJmp = sizeof(inet_diag_bc_op);                                // 4
  const std::size_t total = conds.empty() ? 0 : conds.size() * kCond + (conds.size() - 1) * kJmp;
  std::string bc(total, '\0');
  std::size_t at = 0;
  for (std::size_t i = 0; i < conds.size(); ++i) {
    const bool last = i + 1 == conds.size();
    inet_diag_bc_op op{};
    op.code = conds[i].code;
    op.yes = kCond;
    op.no = static_cast<std::uint16_t>(kCond +
                                       4);  // past our JMP to the next condition, or past the end
    inet_diag_hostcond hc{};
    hc.family = AF_UNSPEC;
    hc.prefix_len = 0;
    hc.port = conds[i].port;
    std::memcpy(bc.data() + at, &op, sizeof op);
    std::memcpy(bc.data() + at + sizeof op, &hc, sizeof hc);
    at += kCond;
    if (!last) {
      inet_diag_bc_op jmp{};
      jmp.code = INET_DIAG_BC_JMP;
      jmp.yes = kJmp;
      jmp.no = static_cast<std::uint16_t>(total - at);  // from the JMP's start to the end: accept
      std::memcpy(bc.data() + at, &jmp, sizeof jmp);
      at += kJmp;
    }
  }
  return bc;
}

std::string BuildDumpRequest(std::uint8_t family, std::uint32_t seq, std::string_view bytecode) {
  inet_diag_req_v2 req{};
  req.sdiag_family = family;
  req.sdiag_protocol = IPPROTO_TCP;
  // SKMEMINFO: receive memory, which shows data held out of order (the receive-side blackhole).
  req.idiag_ext = (1 << (INET_DIAG_INFO - 1)) | (1 << (INET_DIAG_SKMEMINFO - 1));
  req.idiag_states = 0xfff;  // every state: LISTEN sockets tell whether a port is served
  const std::size_t attr_len = bytecode.empty() ? 0 : Align4(4 + bytecode.size());
  nlmsghdr hdr{};
  hdr.nlmsg_len = static_cast<std::uint32_t>(NLMSG_HDRLEN + Align4(sizeof req) + attr_len);
  hdr.nlmsg_type = SOCK_DIAG_BY_FAMILY;
  hdr.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  hdr.nlmsg_seq = seq;
  std::string out(hdr.nlmsg_len, '\0');
  std::memcpy(out.data(), &hdr, sizeof hdr);
  std::memcpy(out.data() + NLMSG_HDRLEN, &req, sizeof req);
  if (!bytecode.empty()) {
    const std::size_t at = NLMSG_HDRLEN + Align4(sizeof req);
    const std::uint16_t len = static_cast<std::uint16_t>(4 + bytecode.size());
    const std::uint16_t type = INET_DIAG_REQ_BYTECODE;
    std::memcpy(out.data() + at, &len, 2);
    std::memcpy(out.data() + at + 2, &type, 2);
    std::memcpy(out.data() + at + 4, bytecode.data(), bytecode.size());
  }
  return out;
}

}  // namespace mailpath::tcp
