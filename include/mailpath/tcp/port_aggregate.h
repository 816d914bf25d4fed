#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "mailpath/common/bucket_counts.h"
#include "mailpath/tcp/path_class.h"
#include "mailpath/tcp/socket_sample.h"

namespace mailpath::tcp {

/// Which mail port a socket belongs to, and in which direction.
struct PortKey {
  std::uint16_t port = 0;
  bool inbound =
      true;  // local port is a mail port (server side); else remote port (our smtp client)
  auto operator<=>(const PortKey&) const = default;
};

/// One per-port histogram: its bounds and its counts.
struct Histogram : BucketCounts {
  std::vector<double> bounds;
  explicit Histogram(std::vector<double> b) : BucketCounts(b.size()), bounds(std::move(b)) {}
  void Observe(double v) { BucketCounts::Observe(bounds, v); }
};

/// Everything one dump says about one port and direction.
struct PortStats {
  std::map<std::string, std::uint64_t> states;  // TCP state name -> sockets
  std::map<PathClass, std::uint64_t> classes;   // established sockets by class
  Histogram snd_mss, advmss, pmtu, rtt_seconds, retransmits;
  PortStats();
};

/// A listening port of one address family.
struct ListenerKey {
  std::uint16_t port = 0;
  std::uint8_t family = 0;  // AF_INET, AF_INET6 (a dual-stack listener is AF_INET6)
  auto operator<=>(const ListenerKey&) const = default;
};

/// The LISTEN sockets of one port and family (several with SO_REUSEPORT or
/// per-address binds). For a listener the kernel reports the accept queue's
/// length in idiag_rqueue (sk_ack_backlog) and its limit, the listen()
/// backlog capped by net.core.somaxconn, in idiag_wqueue (sk_max_ack_backlog;
/// inet_diag.c inet_sk_diag_fill). The queue is full above the backlog
/// (sk_acceptq_is_full), so it can read backlog + 1.
struct ListenerStats {
  std::uint64_t sockets = 0;
  std::uint64_t queue = 0;    // sum of accept queue lengths
  std::uint64_t backlog = 0;  // sum of backlogs
};

/// Result of one dump, aggregated.
struct DumpAggregate {
  std::map<PortKey, PortStats> ports;              // every state but LISTEN
  std::map<ListenerKey, ListenerStats> listeners;  // LISTEN sockets on the local (inbound) ports
  std::uint32_t info_bytes = 0;  // tcp_info length this kernel sends (0: none seen)
  std::uint64_t sockets = 0;
};

/// Aggregates dumps per port and direction (never per peer) and keeps the
/// per-socket counters' previous values by socket cookie, so retransmitted
/// segments and RTO events become monotonic per-port counters. A socket that
/// closes between two dumps loses what it retransmitted since the last dump.
/// LISTEN sockets go to `listeners` only, by local port and family.
/// Pure: no I/O, no clock.
class PortAggregator {
 public:
  PortAggregator(std::set<std::uint16_t> local_ports, std::set<std::uint16_t> remote_ports,
                 std::uint32_t link_mtu = 1500);

  /// Where a socket belongs; false if neither port matches.
  [[nodiscard]] bool Key(const SocketSample& s, PortKey& key) const;

  /// Folds one complete dump into a fresh aggregate and advances the counters.
  [[nodiscard]] DumpAggregate Apply(const std::vector<SocketSample>& dump);

  /// Monotonic counters per port: segments retransmitted, RTO events (6.7+).
  [[nodiscard]] const std::map<PortKey, std::uint64_t>& retransmitted_segments() const {
    return retrans_total_;
  }
  [[nodiscard]] const std::map<PortKey, std::uint64_t>& rto_events() const { return rto_total_; }

  /// The configured local (inbound) ports.
  [[nodiscard]] const std::set<std::uint16_t>& local_ports() const { return local_; }

 private:
  struct Previous {
    std::uint32_t total_retrans = 0;
    std::uint16_t total_rto = 0;
  };
  std::set<std::uint16_t> local_;
  std::set<std::uint16_t> remote_;
  std::uint32_t link_mtu_;
  std::unordered_map<std::uint64_t, Previous> previous_;  // by socket cookie
  std::map<PortKey, std::uint64_t> retrans_total_;
  std::map<PortKey, std::uint64_t> rto_total_;
};

}  // namespace mailpath::tcp
