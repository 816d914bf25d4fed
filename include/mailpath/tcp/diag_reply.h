#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "mailpath/tcp/socket_sample.h"

namespace mailpath::tcp {

/// Outcome of parsing one recv() buffer of a sock_diag dump.
struct ReplyStatus {
  bool done = false;         // NLMSG_DONE seen
  bool interrupted = false;  // NLM_F_DUMP_INTR: the table changed during the dump; retry
  int error = 0;             // errno from NLMSG_ERROR (positive), 0 if none
  bool malformed = false;    // a length field pointed outside the buffer
  std::size_t sockets = 0;   // SOCK_DIAG_BY_FAMILY messages handed out
};

/// Walks the netlink messages in `buffer` (one recv() of a dump reply) and
/// calls `on_socket` for each socket. Reads struct inet_diag_msg and the
/// INET_DIAG_INFO attribute by length, never past the buffer. Pure.
ReplyStatus ParseDiagReply(std::string_view buffer,
                           const std::function<void(const SocketSample&)>& on_socket);

/// The INET_DIAG_REQ_BYTECODE program accepting sockets whose local port is
/// in `local_ports` or whose remote port is in `remote_ports` (an OR chain of
/// S_COND/D_COND ops; inet_diag_bc_run semantics). Pure.
[[nodiscard]] std::string BuildPortFilter(const std::vector<std::uint16_t>& local_ports,
                                          const std::vector<std::uint16_t>& remote_ports);

/// The request (struct nlmsghdr + inet_diag_req_v2 + bytecode attribute) for
/// one address family. Pure.
[[nodiscard]] std::string BuildDumpRequest(std::uint8_t family, std::uint32_t seq,
                                           std::string_view bytecode);

}  // namespace mailpath::tcp
