#include "mailpath/tcp/path_class.h"

namespace mailpath::tcp {

namespace {
constexpr std::uint8_t kEstablished = 1;
constexpr std::uint8_t kCaLoss = 4;
constexpr std::uint32_t kBaseMss =
    1024;  // net.ipv4.tcp_base_mss default: where MTU probing restarts
// A receive stall older than this is an idle session, not a handshake waiting for its ClientHello
// (smtpd_timeout and Dovecot's login timeout are minutes).
constexpr std::uint32_t kReceiveStallMaxMs = 600'000;
// TCP_RTO_MIN: our last segment went out at least one retransmission timeout after the peer's last
// data (a reply follows a command within milliseconds; its retransmission does not).
constexpr std::uint32_t kMinRtoMs = 200;

// The peer's full-size segments are missing: data that arrived out of order is held (receive memory
// without readable bytes) behind a hole no retransmission has filled; or our last reply was
// retransmitted and reported back as a duplicate (the peer had it: its acknowledgement rode on data
// that never came) and the peer has been silent since.
bool ReceiveStalled(const SocketSample& s, const TcpInfo& t) {
  if (t.last_data_recv_ms < kReceiveStallMs || t.last_data_recv_ms > kReceiveStallMaxMs ||
      t.unacked > 0) {
    return false;
  }
  const bool hole = t.rcv_ooopack.value_or(0) > 0 && s.rmem_alloc.value_or(0) > 0 && s.rqueue == 0;
  const std::uint32_t dups = t.dsack_dups.value_or(0);
  const bool echoed_reply = dups > 0 && dups == t.total_retrans && t.data_segs_in.value_or(0) > 0 &&
                            t.bytes_retrans.value_or(t.snd_mss) < t.snd_mss &&
                            t.last_data_recv_ms - t.last_data_sent_ms >= kMinRtoMs;
  return hole || echoed_reply;
}
}  // namespace

PathClass ClassifyPath(const SocketSample& s, std::uint32_t link_mtu) {
  if (s.state != kEstablished || !s.info) return PathClass::kHealthy;
  const TcpInfo& t = *s.info;
  const bool stuck =
      t.ca_state == kCaLoss && (t.backoff >= 2 || t.retransmits >= 2) && t.unacked > 0;
  if (stuck) {
    const bool full_size = t.snd_mss >= 1200 && (t.snd_mss >= t.advmss || t.pmtu >= link_mtu);
    // A full-size segment is among what is outstanding, not only a short reply or banner.
    const bool full_outstanding = s.wqueue >= t.snd_mss;
    // The peer has heard us: it acknowledged our earlier (small) data or SACKed a short tail.
    const bool peer_heard = t.sacked > 0 || t.bytes_acked.value_or(0) > 0;
    if (full_size && full_outstanding && t.lost > 0 && peer_heard)
      return PathClass::kBlackholeSuspect;
    if (t.sacked == 0 && (!peer_heard || !full_outstanding)) return PathClass::kOutage;
    return PathClass::kGenericLoss;
  }
  // The peer's MTU probing healed its direction: its segments arrive at tcp_base_mss after a hole,
  // and nothing is held behind one any more.
  if (t.rcv_mss == kBaseMss && t.advmss > kBaseMss && t.rcv_ooopack.value_or(0) > 0 &&
      s.rmem_alloc.value_or(1) == 0) {
    return PathClass::kProbingRecovered;
  }
  if (ReceiveStalled(s, t)) return PathClass::kRcvBlackholeSuspect;
  // On loopback-sized MTUs the kernel caps snd_mss at half the window, so a
  // smaller snd_mss there says nothing about the path.
  const bool reduced_mss = t.snd_mss < t.advmss && t.pmtu <= 9216;
  const bool rto_recovered =
      t.total_rto.value_or(0) >= 3 && t.total_rto_recoveries.value_or(0) >= 1;
  if (reduced_mss && t.pmtu >= link_mtu && t.ca_state < 3 &&
      (t.snd_mss <= kBaseMss || rto_recovered) && t.total_retrans > 0) {
    return PathClass::kProbingRecovered;
  }
  // PMTUD worked: the kernel holds a smaller PMTU (a connection opened after the
  // exception was cached advertises the smaller MSS from its SYN on).
  if (t.pmtu < link_mtu && t.pmtu >= 576) return PathClass::kPmtudReduced;
  if (reduced_mss && t.pmtu >= link_mtu && t.total_retrans == 0) return PathClass::kClamped;
  if (t.retransmits > 0 || t.ca_state >= 3) return PathClass::kGenericLoss;
  return PathClass::kHealthy;
}

std::string_view PathClassName(PathClass c) {
  switch (c) {
    case PathClass::kHealthy:
      return "healthy";
    case PathClass::kPmtudReduced:
      return "pmtud_reduced";
    case PathClass::kClamped:
      return "clamped";
    case PathClass::kProbingRecovered:
      return "probing_recovered";
    case PathClass::kBlackholeSuspect:
      return "blackhole_suspect";
    case PathClass::kRcvBlackholeSuspect:
      return "rcv_blackhole_suspect";
    case PathClass::kOutage:
      return "outage";
    case PathClass::kGenericLoss:
      return "generic_loss";
  }
  return "healthy";
}

PathVerdict VerdictOf(PathClass c) {
  switch (c) {
    case PathClass::kBlackholeSuspect:
    case PathClass::kRcvBlackholeSuspect:
    case PathClass::kProbingRecovered:
      return PathVerdict::kBlackhole;
    case PathClass::kOutage:
    case PathClass::kGenericLoss:
      return PathVerdict::kOutage;
    case PathClass::kHealthy:
    case PathClass::kPmtudReduced:
    case PathClass::kClamped:
      return PathVerdict::kHealthy;
  }
  return PathVerdict::kUnknown;
}

std::string_view PathVerdictName(PathVerdict v) {
  switch (v) {
    case PathVerdict::kBlackhole:
      return "blackhole";
    case PathVerdict::kOutage:
      return "outage";
    case PathVerdict::kHealthy:
      return "healthy";
    case PathVerdict::kUnknown:
      return "unknown";
  }
  return "unknown";
}

}  // namespace mailpath::tcp
