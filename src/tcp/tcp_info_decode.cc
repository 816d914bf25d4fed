#include <cstring>

#include "mailpath/tcp/socket_sample.h"

namespace mailpath::tcp {
namespace {

template <typename T>
T At(std::string_view b, std::size_t off) {
  T v;
  std::memcpy(&v, b.data() + off, sizeof v);  // host order, as the kernel wrote it
  return v;
}

}  // namespace

std::optional<TcpInfo> DecodeTcpInfo(std::string_view b) {
  if (b.size() < 104) return std::nullopt;
  TcpInfo t;
  t.length = static_cast<std::uint32_t>(b.size());
  t.state = At<std::uint8_t>(b, 0);
  t.ca_state = At<std::uint8_t>(b, 1);
  t.retransmits = At<std::uint8_t>(b, 2);
  t.probes = At<std::uint8_t>(b, 3);
  t.backoff = At<std::uint8_t>(b, 4);
  t.rto_us = At<std::uint32_t>(b, 8);
  t.snd_mss = At<std::uint32_t>(b, 16);
  t.rcv_mss = At<std::uint32_t>(b, 20);
  t.unacked = At<std::uint32_t>(b, 24);
  t.sacked = At<std::uint32_t>(b, 28);
  t.lost = At<std::uint32_t>(b, 32);
  t.retrans = At<std::uint32_t>(b, 36);
  t.last_data_sent_ms = At<std::uint32_t>(b, 44);
  t.last_data_recv_ms = At<std::uint32_t>(b, 52);
  t.last_ack_recv_ms = At<std::uint32_t>(b, 56);
  t.pmtu = At<std::uint32_t>(b, 60);
  t.rtt_us = At<std::uint32_t>(b, 68);
  t.rttvar_us = At<std::uint32_t>(b, 72);
  t.snd_cwnd = At<std::uint32_t>(b, 80);
  t.advmss = At<std::uint32_t>(b, 84);
  t.total_retrans = At<std::uint32_t>(b, 100);
  if (b.size() >= 136) {
    t.bytes_acked = At<std::uint64_t>(b, 120);
    t.bytes_received = At<std::uint64_t>(b, 128);
  }
  if (b.size() >= 160) t.data_segs_in = At<std::uint32_t>(b, 152);
  if (b.size() >= 216) {
    t.bytes_sent = At<std::uint64_t>(b, 200);
    t.bytes_retrans = At<std::uint64_t>(b, 208);
  }
  if (b.size() >= 224) t.dsack_dups = At<std::uint32_t>(b, 216);
  if (b.size() >= 228) t.rcv_ooopack = At<std::uint32_t>(b, 224);
  if (b.size() >= 248) {
    t.total_rto = At<std::uint16_t>(b, 240);
    t.total_rto_recoveries = At<std::uint16_t>(b, 242);
    t.total_rto_time_ms = At<std::uint32_t>(b, 244);
  }
  return t;
}

std::string_view TcpStateName(std::uint8_t s) {
  switch (s) {
    case 1:
      return "established";
    case 2:
      return "syn_sent";
    case 3:
      return "syn_recv";
    case 4:
      return "fin_wait1";
    case 5:
      return "fin_wait2";
    case 6:
      return "time_wait";
    case 7:
      return "close";
    case 8:
      return "close_wait";
    case 9:
      return "last_ack";
    case 10:
      return "listen";
    case 11:
      return "closing";
    case 12:
      return "new_syn_recv";
    default:
      return "unknown";
  }
}

}  // namespace mailpath::tcp
