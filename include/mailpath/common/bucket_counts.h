#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace mailpath {

/// The counts of one histogram series over fixed bounds (client_golang
/// semantics: a value lands in the first bucket whose upper bound is >= it).
/// The bounds live with the owner, which shares them across series. Pure.
struct BucketCounts {
  std::vector<std::uint64_t> counts;  // per bucket, non-cumulative, +Inf last
  double sum = 0;

  BucketCounts() = default;
  explicit BucketCounts(std::size_t bound_count) : counts(bound_count + 1, 0) {}

  void Observe(const std::vector<double>& bounds, double value);
  /// Cumulative counts, one per bound, then the total.
  [[nodiscard]] std::vector<std::uint64_t> Cumulative() const;
};

}  // namespace mailpath
