#include "mailpath/http/token_bucket.h"

#include <algorithm>

namespace mailpath::http {

TokenBucket::TokenBucket(RateLimit limit, double now_seconds)
    : limit_(limit), tokens_(static_cast<double>(limit.burst)), last_(now_seconds) {}

bool TokenBucket::Allow(double now_seconds) {
  const auto burst = static_cast<double>(limit_.burst);
  if (now_seconds > last_ && limit_.interval_seconds > 0) {
    tokens_ = std::min(burst, tokens_ + (now_seconds - last_) / limit_.interval_seconds);
  }
  last_ = std::max(last_, now_seconds);
  if (tokens_ < 1) return false;
  tokens_ -= 1;
  return true;
}

}  // namespace mailpath::http
