#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <list>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "mailpath/common/path_attribution.h"
#include "mailpath/tcp/path_class.h"

namespace mailpath::tcp {

/// A peer address in network order, IPv4 as ::ffff:a.b.c.d (how a dual-stack
/// listener's sockets carry it).
using PeerAddress = std::array<std::uint8_t, 16>;

/// Parses "192.0.2.1", "2001:db8::1" or "::ffff:192.0.2.1". Pure.
[[nodiscard]] std::optional<PeerAddress> ParsePeerAddress(std::string_view text);

/// "192.0.2.0/24" for IPv4 (mapped or not), "2001:db8:1::/48" for IPv6. Pure.
[[nodiscard]] std::string PeerNetwork(const PeerAddress& a);

/// Recent path verdicts by peer address: the tcp collector records every
/// established mail socket's verdict after each dump; the log classifiers ask
/// it when they count a loss (PathAttribution). Bounded: at most `capacity`
/// peers, the least recently seen dropped first; a verdict older than `ttl`
/// is forgotten. A peer's worst recent verdict wins (blackhole over outage
/// over healthy), so a client whose stalled socket is gone by the time its
/// daemon logs the loss is still told apart. Losses are counted by daemon,
/// stage and verdict (at most 2 x 2 x 4 series). Thread-safe.
class PeerPaths final : public PathAttribution {
 public:
  using Clock = std::chrono::steady_clock;
  PeerPaths(std::size_t capacity = 4096, std::chrono::seconds ttl = std::chrono::minutes(15),
            std::function<Clock::time_point()> now = Clock::now);

  void Remember(const PeerAddress& peer, PathClass c);
  [[nodiscard]] PathVerdict Lookup(const PeerAddress& peer);
  void CountLoss(std::string_view daemon, std::string_view stage, std::string_view peer) override;

  /// (daemon, stage, verdict) -> losses counted so far.
  [[nodiscard]] std::map<std::array<std::string, 3>, std::uint64_t> Losses() const;
  /// Networks (/24, /48) of peers whose recent verdict is a blackhole or an
  /// outage: (network, verdict) -> peers. At most `max_networks` networks by
  /// peer count, the rest summed under "other".
  [[nodiscard]] std::map<std::pair<std::string, std::string>, std::uint64_t> SuspectNetworks(
      std::size_t max_networks) const;
  [[nodiscard]] std::size_t size() const;

 private:
  struct Seen {
    std::optional<Clock::time_point> blackhole, outage, healthy;
  };
  struct Entry {
    Seen seen;
    std::list<PeerAddress>::iterator lru;
  };
  struct Hash {
    std::size_t operator()(const PeerAddress& a) const noexcept;
  };
  PathVerdict VerdictLocked(const Seen& s, Clock::time_point now) const;
  void ExpireLocked(Clock::time_point now);

  const std::size_t capacity_;
  const std::chrono::seconds ttl_;
  const std::function<Clock::time_point()> now_;
  mutable std::mutex mu_;  // guards everything below
  std::unordered_map<PeerAddress, Entry, Hash> peers_;
  std::list<PeerAddress> lru_;  // most recently seen first
  std::map<std::array<std::string, 3>, std::uint64_t> losses_;
};

}  // namespace mailpath::tcp
