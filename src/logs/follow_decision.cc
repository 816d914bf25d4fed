#include "mailpath/logs/follow_decision.h"

namespace mailpath::logs {

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

}  // namespace mailpath::logs
