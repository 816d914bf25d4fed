#include "mailpath/logs/follow_decision.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <string_view>

namespace mailpath::logs {
namespace {

bool Compressed(std::string_view name) {
  static constexpr std::array<std::string_view, 8> kSuffixes = {".gz",  ".bz2",  ".xz", ".zst",
                                                                ".lz4", ".lzma", ".Z",  ".br"};
  return std::any_of(kSuffixes.begin(), kSuffixes.end(),
                     [&](std::string_view s) { return name.ends_with(s); });
}

/// The N of ".N", or nullopt.
std::optional<std::uint64_t> RotationNumber(std::string_view suffix) {
  if (suffix.size() < 2 || suffix[0] != '.') return std::nullopt;
  std::uint64_t n = 0;
  const auto* end = suffix.data() + suffix.size();
  const auto [ptr, ec] = std::from_chars(suffix.data() + 1, end, n);
  if (ec != std::errc() || ptr != end) return std::nullopt;
  return n;
}

/// a was rotated after b, judged by name alone (both are base + suffix).
bool NamedNewer(std::string_view a, std::string_view b, std::size_t base_len) {
  const std::string_view sa = a.substr(base_len), sb = b.substr(base_len);
  const auto na = RotationNumber(sa), nb = RotationNumber(sb);
  if (na && nb) return *na < *nb;  // logrotate's default: .1 is the newest
  return sa > sb;                  // dateext and the like: later sorts later
}

}  // namespace

FollowAction DecideFollow(const std::optional<OpenFile>& open, const PathStat& path) {
  if (!open) return path.exists ? FollowAction::kOpen : FollowAction::kWait;
  // Truncation of the open file first: if it was also renamed since, the next
  // poll drains the rest and moves on.
  if (open->fd_size < open->offset || open->prefix_changed) return FollowAction::kTruncated;
  if (!path.exists) return FollowAction::kVanished;
  if (!(path.id == open->id)) return FollowAction::kRotated;
  if (open->fd_size > open->offset) return FollowAction::kRead;
  return FollowAction::kIdle;
}

std::vector<std::string> RotatedAfter(const std::string& base, const Sibling& resumed,
                                      const std::vector<Sibling>& siblings) {
  const auto newer = [&](const Sibling& a, const Sibling& b) {
    if (a.mtime_ns != b.mtime_ns) return a.mtime_ns > b.mtime_ns;
    return NamedNewer(a.name, b.name, base.size());
  };
  std::vector<Sibling> picked;
  for (const Sibling& s : siblings) {
    if (s.name.size() <= base.size() || !s.name.starts_with(base) || s.name == resumed.name)
      continue;
    const char sep = s.name[base.size()];
    if ((sep != '.' && sep != '-' && sep != '_') || Compressed(s.name)) continue;
    if (newer(s, resumed)) picked.push_back(s);
  }
  std::sort(picked.begin(), picked.end(),
            [&](const Sibling& a, const Sibling& b) { return newer(b, a); });
  std::vector<std::string> names;
  names.reserve(picked.size());
  for (const Sibling& s : picked) names.push_back(s.name);
  return names;
}

}  // namespace mailpath::logs
