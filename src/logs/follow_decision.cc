#include "mailpath/logs/follow_decision.h"

namespace mailpath::logs {

FollowAction DecideFollow(const std::optional<OpenFile>& open, const PathStat& path) {
  if (!open) return path.exists ? FollowAction::kOpen : FollowAction::kWait;
  if (!path.exists) return FollowAction::kVanished;
  if (!(path.id == open->id)) return FollowAction::kRotated;
  if (open->fd_size < open->offset) return FollowAction::kTruncated;
  if (open->fd_size > open->offset) return FollowAction::kRead;
  return FollowAction::kIdle;
}

}  // namespace mailpath::logs
