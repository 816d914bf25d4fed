#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace mailpath::tcp {

/// The struct tcp_info fields the exporter reads (include/uapi/linux/tcp.h),
/// decoded by offset from the bytes the kernel sent. A group of fields is
/// present only when the attribute was long enough to hold it: Debian 12's
/// 6.1 kernel sends 232 bytes, 6.18 sends 280, older kernels less. Absent is
/// not zero.
struct TcpInfo {
  std::uint32_t length = 0;  // bytes the kernel sent
  // Base fields (2.6+, bytes 0..103).
  std::uint8_t state = 0, ca_state = 0, retransmits = 0, probes = 0, backoff = 0;
  std::uint32_t rto_us = 0, snd_mss = 0, rcv_mss = 0;
  std::uint32_t unacked = 0, sacked = 0, lost = 0, retrans = 0;
  std::uint32_t last_data_sent_ms = 0, last_data_recv_ms = 0, last_ack_recv_ms = 0;
  std::uint32_t pmtu = 0, rtt_us = 0, rttvar_us = 0, snd_cwnd = 0, advmss = 0, total_retrans = 0;
  std::optional<std::uint64_t> bytes_acked, bytes_received;  // 4.1+
  std::optional<std::uint32_t> data_segs_in;                 // 4.6+: segments with payload received
  std::optional<std::uint64_t> bytes_sent, bytes_retrans;    // 4.19+
  std::optional<std::uint32_t> dsack_dups;   // 4.19+: our segments the peer reported as duplicates
  std::optional<std::uint32_t> rcv_ooopack;  // 5.4+: segments received out of order
  std::optional<std::uint16_t> total_rto, total_rto_recoveries;  // 6.7+
  std::optional<std::uint32_t> total_rto_time_ms;                // 6.7+
};

/// Decodes INET_DIAG_INFO. nullopt when shorter than the 104-byte base. Pure.
[[nodiscard]] std::optional<TcpInfo> DecodeTcpInfo(std::string_view bytes);

/// One socket of a sock_diag dump (struct inet_diag_msg + attributes).
struct SocketSample {
  std::uint8_t family = 0;  // AF_INET, AF_INET6
  std::uint8_t state = 0;   // TCP_ESTABLISHED = 1, ...
  std::uint8_t timer = 0;   // 1: retransmit/RTO timer pending
  std::uint8_t retrans = 0;
  std::uint16_t sport = 0, dport = 0;         // host order
  std::array<std::uint8_t, 16> src{}, dst{};  // network order; IPv4 in the first 4 bytes
  std::uint64_t cookie = 0;
  std::uint32_t expires_ms = 0, rqueue = 0, wqueue = 0;
  std::optional<TcpInfo> info;
  /// INET_DIAG_SKMEMINFO SK_MEMINFO_RMEM_ALLOC: receive memory held, out-of-order
  /// segments included (rqueue counts only in-order bytes not yet read).
  std::optional<std::uint32_t> rmem_alloc;
};

/// TCP_LISTEN (include/net/tcp_states.h).
inline constexpr std::uint8_t kTcpListen = 10;

/// Kernel TCP states (include/net/tcp_states.h).
[[nodiscard]] std::string_view TcpStateName(std::uint8_t state);

}  // namespace mailpath::tcp
