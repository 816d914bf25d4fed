#pragma once

#include <cstdint>

namespace mailpath::http {

/// web config `rate_limit`: one token every `interval_seconds`, at most
/// `burst` saved up (exporter-toolkit's rate.NewLimiter(rate.Every(interval),
/// burst); burst 0 refuses everything).
struct RateLimit {
  double interval_seconds = 0;
  std::int64_t burst = 0;
  bool operator==(const RateLimit&) const = default;
};

/// A token bucket that starts full. Time is passed in, so it is pure; not
/// synchronised (the server guards it with a mutex).
class TokenBucket {
 public:
  TokenBucket(RateLimit limit, double now_seconds);
  /// Takes a token if one is there.
  [[nodiscard]] bool Allow(double now_seconds);

 private:
  RateLimit limit_;
  double tokens_;
  double last_;
};

}  // namespace mailpath::http
