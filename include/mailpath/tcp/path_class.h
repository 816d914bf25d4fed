#pragma once

#include <string_view>

#include "mailpath/tcp/socket_sample.h"

namespace mailpath::tcp {

/// What an established socket's tcp_info says about its network path
/// (shared/notes/tcp-info-and-pmtud.md §4.3, measured in a three-namespace lab).
enum class PathClass {
  kHealthy,
  kPmtudReduced,      // pmtu below the interface MTU and snd_mss followed it: PMTUD works
  kClamped,           // snd_mss below advmss from the start, pmtu untouched, nothing retransmitted: MSS clamping
  kProbingRecovered,  // kernel MTU probing fell back to a small MSS after RTOs: a healed blackhole
  kBlackholeSuspect,  // full-size segments retransmitted into silence: PMTUD blackhole
  kGenericLoss,       // retransmitting, but not the blackhole shape
};

inline constexpr PathClass kAllPathClasses[] = {PathClass::kHealthy, PathClass::kPmtudReduced,
                                                PathClass::kClamped, PathClass::kProbingRecovered,
                                                PathClass::kBlackholeSuspect, PathClass::kGenericLoss};

/// Classifies one socket. `link_mtu` is the MTU the host believes (1500 on
/// Ethernet); only ESTABLISHED sockets with tcp_info are classified (others
/// are healthy). Pure.
[[nodiscard]] PathClass ClassifyPath(const SocketSample& s, std::uint32_t link_mtu = 1500);

[[nodiscard]] std::string_view PathClassName(PathClass c);

}  // namespace mailpath::tcp
