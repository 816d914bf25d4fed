#include "mailpath/tcp/path_class.h"

namespace mailpath::tcp {

namespace {
constexpr std::uint8_t kEstablished = 1;
constexpr std::uint8_t kCaLoss = 4;
constexpr std::uint32_t kBaseMss = 1024;  // net.ipv4.tcp_base_mss default: where MTU probing restarts
}  // namespace

PathClass ClassifyPath(const SocketSample& s, std::uint32_t link_mtu) {
  if (s.state != kEstablished || !s.info) return PathClass::kHealthy;
  const TcpInfo& t = *s.info;
  const bool full_size = t.snd_mss >= 1200 && (t.snd_mss >= t.advmss || t.pmtu >= link_mtu);
  const bool stuck = t.ca_state == kCaLoss && (t.backoff >= 2 || t.retransmits >= 2);
  if (stuck && full_size && t.unacked > 0 && t.lost > 0) return PathClass::kBlackholeSuspect;
  // On loopback-sized MTUs the kernel caps snd_mss at half the window, so a
  // smaller snd_mss there says nothing about the path.
  const bool reduced_mss = t.snd_mss < t.advmss && t.pmtu <= 9216;
  const bool rto_recovered = t.total_rto.value_or(0) >= 3 && t.total_rto_recoveries.value_or(0) >= 1;
  if (reduced_mss && t.pmtu >= link_mtu && t.ca_state < 3 && (t.snd_mss <= kBaseMss || rto_recovered) &&
      t.total_retrans > 0) {
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
    case PathClass::kHealthy: return "healthy";
    case PathClass::kPmtudReduced: return "pmtud_reduced";
    case PathClass::kClamped: return "clamped";
    case PathClass::kProbingRecovered: return "probing_recovered";
    case PathClass::kBlackholeSuspect: return "blackhole_suspect";
    case PathClass::kGenericLoss: return "generic_loss";
  }
  return "healthy";
}

}  // namespace mailpath::tcp
