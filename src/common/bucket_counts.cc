#include "mailpath/common/bucket_counts.h"

#include <algorithm>

namespace mailpath {

void BucketCounts::Observe(const std::vector<double>& bounds, double value) {
  if (counts.size() != bounds.size() + 1) counts.assign(bounds.size() + 1, 0);
  const auto it = std::lower_bound(bounds.begin(), bounds.end(), value);
  ++counts[static_cast<std::size_t>(it - bounds.begin())];
  sum += value;
}

std::vector<std::uint64_t> BucketCounts::Cumulative() const {
  std::vector<std::uint64_t> out;
  out.reserve(counts.size());
  std::uint64_t running = 0;
  for (const auto c : counts) out.push_back(running += c);
  return out;
}

}  // namespace mailpath
