#include "mailpath/tcp/peer_paths.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>
#include <vector>

namespace mailpath::tcp {

std::optional<PeerAddress> ParsePeerAddress(std::string_view text) {
  if (text.empty() || text.size() >= INET6_ADDRSTRLEN) return std::nullopt;
  char buf[INET6_ADDRSTRLEN];
  std::memcpy(buf, text.data(), text.size());
  buf[text.size()] = '\0';
  PeerAddress a{};
  if (inet_pton(AF_INET6, buf, a.data()) == 1) return a;
  if (inet_pton(AF_INET, buf, a.data() + 12) != 1) return std::nullopt;
  a[10] = a[11] = 0xff;
  return a;
}

std::string PeerNetwork(const PeerAddress& a) {
  static constexpr std::uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  char buf[INET6_ADDRSTRLEN] = {0};
  if (std::memcmp(a.data(), kMapped, 12) == 0) {
    const std::uint8_t net[4] = {a[12], a[13], a[14], 0};
    inet_ntop(AF_INET, net, buf, sizeof buf);
    return std::string(buf) + "/24";
  }
  PeerAddress net{};
  std::memcpy(net.data(), a.data(), 6);
  inet_ntop(AF_INET6, net.data(), buf, sizeof buf);
  return std::string(buf) + "/48";
}

std::size_t PeerPaths::Hash::operator()(const PeerAddress& a) const noexcept {
  std::uint64_t hi, lo;
  std::memcpy(&hi, a.data(), 8);
  std::memcpy(&lo, a.data() + 8, 8);
  return std::hash<std::uint64_t>()(hi * 0x9e3779b97f4a7c15ULL ^ lo);
}

PeerPaths::PeerPaths(std::size_t capacity, std::chrono::seconds ttl,
                     std::function<Clock::time_point()> now)
    : capacity_(std::max<std::size_t>(capacity, 1)), ttl_(ttl), now_(std::move(now)) {}

void PeerPaths::Remember(const PeerAddress& peer, PathClass c) {
  const auto now = now_();
  std::lock_guard<std::mutex> lock(mu_);
  auto [it, fresh] = peers_.try_emplace(peer);
  if (fresh) {
    lru_.push_front(peer);
  } else {
    lru_.splice(lru_.begin(), lru_, it->second.lru);
  }
  it->second.lru = lru_.begin();
  switch (VerdictOf(c)) {
    case PathVerdict::kBlackhole:
      it->second.seen.blackhole = now;
      break;
    case PathVerdict::kOutage:
      it->second.seen.outage = now;
      break;
    default:
      it->second.seen.healthy = now;
      break;
  }
  while (peers_.size() > capacity_) {
    peers_.erase(lru_.back());
    lru_.pop_back();
  }
  ExpireLocked(now);
}

void PeerPaths::ExpireLocked(Clock::time_point now) {
  while (!lru_.empty()) {
    const Seen& s = peers_.at(lru_.back()).seen;
    const auto latest =
        std::max({s.blackhole.value_or(Clock::time_point{}), s.outage.value_or(Clock::time_point{}),
                  s.healthy.value_or(Clock::time_point{})});
    if (now - latest <= ttl_) break;
    peers_.erase(lru_.back());
    lru_.pop_back();
  }
}

PathVerdict PeerPaths::VerdictLocked(const Seen& s, Clock::time_point now) const {
  const auto recent = [&](const std::optional<Clock::time_point>& t) {
    return t && now - *t <= ttl_;
  };
  if (recent(s.blackhole)) return PathVerdict::kBlackhole;
  if (recent(s.outage)) return PathVerdict::kOutage;
  if (recent(s.healthy)) return PathVerdict::kHealthy;
  return PathVerdict::kUnknown;
}

PathVerdict PeerPaths::Lookup(const PeerAddress& peer) {
  const auto now = now_();
  std::lock_guard<std::mutex> lock(mu_);
  auto it = peers_.find(peer);
  return it == peers_.end() ? PathVerdict::kUnknown : VerdictLocked(it->second.seen, now);
}

void PeerPaths::CountLoss(std::string_view daemon, std::string_view stage, std::string_view peer) {
  const auto addr = ParsePeerAddress(peer);
  const PathVerdict v = addr ? Lookup(*addr) : PathVerdict::kUnknown;
  std::lock_guard<std::mutex> lock(mu_);
  ++losses_[{daemon == "dovecot" ? "dovecot" : "postfix", stage == "data" ? "data" : "tls",
             std::string(PathVerdictName(v))}];
}

std::map<std::array<std::string, 3>, std::uint64_t> PeerPaths::Losses() const {
  std::lock_guard<std::mutex> lock(mu_);
  return losses_;
}

std::map<std::pair<std::string, std::string>, std::uint64_t> PeerPaths::SuspectNetworks(
    std::size_t max_networks) const {
  const auto now = now_();
  std::map<std::pair<std::string, std::string>, std::uint64_t> all;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [peer, e] : peers_) {
      const PathVerdict v = VerdictLocked(e.seen, now);
      if (v == PathVerdict::kBlackhole || v == PathVerdict::kOutage) {
        ++all[{PeerNetwork(peer), std::string(PathVerdictName(v))}];
      }
    }
  }
  std::map<std::string, std::uint64_t> per_network;
  for (const auto& [k, n] : all) per_network[k.first] += n;
  if (per_network.size() <= max_networks) return all;
  std::vector<std::pair<std::uint64_t, std::string>> ranked;
  for (const auto& [net, n] : per_network) ranked.emplace_back(n, net);
  // Most peers first; ties by name, so the kept set is stable between scrapes.
  std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  std::map<std::string, bool> kept;
  for (std::size_t i = 0; i < max_networks; ++i) kept[ranked[i].second] = true;
  std::map<std::pair<std::string, std::string>, std::uint64_t> out;
  for (const auto& [k, n] : all) out[{kept.count(k.first) ? k.first : "other", k.second}] += n;
  return out;
}

std::size_t PeerPaths::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return peers_.size();
}

}  // namespace mailpath::tcp
