// libFuzzer target: the sock_diag reply parser, tcp_info decoder and path
// classifier. The input is raw reply bytes (the lab captures in
// tests/fixtures/netlink are seeds). Every socket handed out must be
// classifiable, and the parser must stop at the buffer's end.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "mailpath/tcp/diag_reply.h"
#include "mailpath/tcp/path_class.h"
#include "mailpath/tcp/port_aggregate.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  std::size_t seen = 0;
  const auto status =
      mailpath::tcp::ParseDiagReply(input, [&seen](const mailpath::tcp::SocketSample& s) {
        ++seen;
        (void)mailpath::tcp::PathClassName(mailpath::tcp::ClassifyPath(s));
        if (s.info && s.info->length < 104)
          std::abort();  // shorter than the base struct is not decoded
      });
  if (status.sockets != seen) std::abort();
  (void)mailpath::tcp::DecodeTcpInfo(input);
  return 0;
}
