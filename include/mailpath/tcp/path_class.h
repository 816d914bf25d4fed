#pragma once

#include <string_view>

#include "mailpath/tcp/socket_sample.h"

namespace mailpath::tcp {

/// What an established socket's tcp_info says about its network path, for
/// either direction of the connection (docs/tcp.md "Path classes", measured
/// in the four-namespace lab of tests/integration/netns_lab.py).
enum class PathClass {
  kHealthy,
  kPmtudReduced,  // pmtu below the interface MTU and snd_mss followed it: PMTUD works
  kClamped,       // snd_mss below advmss from the start, pmtu untouched, nothing retransmitted: MSS
                  // clamping
  kProbingRecovered,     // MTU probing (ours or the peer's) fell back to tcp_base_mss: a healed
                         // blackhole
  kBlackholeSuspect,     // our full-size segments retransmitted into silence while the peer hears
                         // small ones
  kRcvBlackholeSuspect,  // the peer's full-size segments never arrive while its small ones do
  kOutage,  // our segments lost whatever their size, or the peer never heard us: not a size problem
  kGenericLoss,  // retransmitting, but neither shape
};

inline constexpr PathClass kAllPathClasses[] = {
    PathClass::kHealthy,          PathClass::kPmtudReduced,     PathClass::kClamped,
    PathClass::kProbingRecovered, PathClass::kBlackholeSuspect, PathClass::kRcvBlackholeSuspect,
    PathClass::kOutage,           PathClass::kGenericLoss};

/// How long the peer must have been silent with its data visibly missing
/// before a socket is a receive-side suspect (a client's own retransmissions
/// start at 200 ms and double, so a hole still open after this has outlived
/// several of them).
inline constexpr std::uint32_t kReceiveStallMs = 1000;

/// Classifies one socket. `link_mtu` is the MTU the host believes (1500 on
/// Ethernet); only ESTABLISHED sockets with tcp_info are classified (others
/// are healthy). Fields the kernel did not send (short tcp_info, no
/// INET_DIAG_SKMEMINFO) never make a socket a suspect. Pure.
[[nodiscard]] PathClass ClassifyPath(const SocketSample& s, std::uint32_t link_mtu = 1500);

[[nodiscard]] std::string_view PathClassName(PathClass c);

/// The coarse verdict a log-side loss is counted with (attribution): a
/// blackhole shape in either direction (healed by probing included), an
/// outage or other loss, or a healthy path.
enum class PathVerdict { kBlackhole, kOutage, kHealthy, kUnknown };

[[nodiscard]] PathVerdict VerdictOf(PathClass c);
[[nodiscard]] std::string_view PathVerdictName(PathVerdict v);

}  // namespace mailpath::tcp
