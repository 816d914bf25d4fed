#include "mailpath/tcp/peer_paths.h"

#include <gtest/gtest.h>

namespace mailpath::tcp {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

struct FakeClock {
  PeerPaths::Clock::time_point t{seconds(1000)};
  std::function<PeerPaths::Clock::time_point()> fn() {
    return [this] { return t; };
  }
};

PeerAddress A(const char* text) { return ParsePeerAddress(text).value(); }

TEST(ParsePeerAddress, ipv4_is_keyed_like_a_dual_stack_listeners_mapped_peer) {
  EXPECT_EQ(A("192.0.2.7"), A("::ffff:192.0.2.7"));
  EXPECT_NE(A("192.0.2.7"), A("192.0.2.8"));
  EXPECT_FALSE(ParsePeerAddress("unknown").has_value());
  EXPECT_FALSE(ParsePeerAddress("").has_value());
  EXPECT_FALSE(ParsePeerAddress(std::string(100, '1')).has_value());
}

TEST(PeerNetwork, is_the_slash_24_or_slash_48) {
  EXPECT_EQ("198.51.100.0/24", PeerNetwork(A("198.51.100.200")));
  EXPECT_EQ("198.51.100.0/24", PeerNetwork(A("::ffff:198.51.100.9")));
  EXPECT_EQ("2001:db8:1::/48", PeerNetwork(A("2001:db8:1:2::5")));
}

TEST(PeerPaths, a_loss_is_counted_with_the_worst_recent_verdict_of_that_peer) {
  FakeClock clock;
  PeerPaths paths(16, minutes(15), clock.fn());
  paths.Remember(A("192.0.2.1"), PathClass::kRcvBlackholeSuspect);
  paths.Remember(A("192.0.2.1"),
                 PathClass::kHealthy);  // a later, healthy socket of the same client
  paths.Remember(A("192.0.2.2"), PathClass::kOutage);
  paths.Remember(A("2001:db8::3"), PathClass::kClamped);
  paths.CountLoss("postfix", "tls", "192.0.2.1");
  paths.CountLoss("postfix", "tls", "192.0.2.2");
  paths.CountLoss("dovecot", "tls", "2001:db8::3");
  paths.CountLoss("postfix", "data", "203.0.113.9");  // never seen
  paths.CountLoss("postfix", "tls", "unknown");
  using K = std::array<std::string, 3>;
  const std::map<K, std::uint64_t> want{{K{"postfix", "tls", "blackhole"}, 1},
                                        {K{"postfix", "tls", "outage"}, 1},
                                        {K{"dovecot", "tls", "healthy"}, 1},
                                        {K{"postfix", "data", "unknown"}, 1},
                                        {K{"postfix", "tls", "unknown"}, 1}};
  EXPECT_EQ(want, paths.Losses());
}

TEST(PeerPaths, verdicts_expire_after_the_ttl) {
  FakeClock clock;
  PeerPaths paths(16, minutes(15), clock.fn());
  paths.Remember(A("192.0.2.1"), PathClass::kBlackholeSuspect);
  clock.t += minutes(15);
  EXPECT_EQ(PathVerdict::kBlackhole, paths.Lookup(A("192.0.2.1")));
  clock.t += seconds(1);
  EXPECT_EQ(PathVerdict::kUnknown, paths.Lookup(A("192.0.2.1")));
  paths.Remember(A("192.0.2.9"), PathClass::kHealthy);  // any later record sweeps expired peers
  EXPECT_EQ(1u, paths.size());
}

TEST(PeerPaths, holds_at_most_capacity_peers_dropping_the_least_recently_seen) {
  FakeClock clock;
  PeerPaths paths(2, minutes(15), clock.fn());
  paths.Remember(A("192.0.2.1"), PathClass::kBlackholeSuspect);
  paths.Remember(A("192.0.2.2"), PathClass::kBlackholeSuspect);
  paths.Remember(A("192.0.2.1"), PathClass::kHealthy);  // seen again: now the most recent
  paths.Remember(A("192.0.2.3"), PathClass::kHealthy);
  EXPECT_EQ(2u, paths.size());
  EXPECT_EQ(PathVerdict::kUnknown, paths.Lookup(A("192.0.2.2")));
  EXPECT_EQ(PathVerdict::kBlackhole, paths.Lookup(A("192.0.2.1")));
}

TEST(PeerPaths, suspect_networks_are_capped_with_other) {
  FakeClock clock;
  PeerPaths paths(64, minutes(15), clock.fn());
  paths.Remember(A("198.51.100.1"), PathClass::kBlackholeSuspect);
  paths.Remember(A("198.51.100.2"), PathClass::kRcvBlackholeSuspect);
  paths.Remember(A("2001:db8:1::1"), PathClass::kBlackholeSuspect);
  paths.Remember(A("203.0.113.1"), PathClass::kOutage);
  paths.Remember(A("192.0.2.1"), PathClass::kHealthy);
  using K = std::pair<std::string, std::string>;
  EXPECT_EQ((std::map<K, std::uint64_t>{{K{"198.51.100.0/24", "blackhole"}, 2},
                                        {K{"2001:db8:1::/48", "blackhole"}, 1},
                                        {K{"203.0.113.0/24", "outage"}, 1}}),
            paths.SuspectNetworks(10));
  EXPECT_EQ((std::map<K, std::uint64_t>{{K{"198.51.100.0/24", "blackhole"}, 2},
                                        {K{"other", "blackhole"}, 1},
                                        {K{"other", "outage"}, 1}}),
            paths.SuspectNetworks(1));
}

}  // namespace
}  // namespace mailpath::tcp
