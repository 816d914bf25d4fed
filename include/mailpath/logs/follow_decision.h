#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mailpath::logs {

/// Identity of a file: (device, inode).
struct FileId {
  std::uint64_t dev = 0;
  std::uint64_t ino = 0;
  bool operator==(const FileId&) const = default;
};

/// What stat(2) says about the followed path right now.
struct PathStat {
  bool exists = false;
  FileId id;
  std::uint64_t size = 0;
};

/// What the follower has open.
struct OpenFile {
  FileId id;
  std::uint64_t offset = 0;   // bytes consumed so far
  std::uint64_t fd_size = 0;  // fstat(2) size of the open descriptor
  /// The file's first bytes no longer match what they were when opened: it was
  /// truncated and has already grown past our offset again (copytruncate
  /// between two polls), so size alone cannot tell.
  bool prefix_changed = false;
};

enum class FollowAction {
  kOpen,       // nothing open, the path exists: open it
  kWait,       // nothing open, the path is missing: wait for it to appear
  kIdle,       // same file, nothing new
  kRead,       // same file, it grew: read to its end
  kTruncated,  // same file, shorter than our offset or rewritten (copytruncate): seek to 0
  kRotated,  // the path is another file now: drain the open one to its end, then open the path at 0
  kVanished,  // the path is gone (deleted, or renamed without a successor yet): drain, keep waiting
};

/// mtail's end-of-file decisions as a pure function. Pure.
[[nodiscard]] FollowAction DecideFollow(const std::optional<OpenFile>& open, const PathStat& path);

/// A file in the followed file's directory whose name starts with its name.
struct Sibling {
  std::string name;  // e.g. "mail.log.1", "mail.log-20261122"
  std::int64_t mtime_ns = 0;
};

/// Which siblings were rotated after `resumed` (the file a restart resumes
/// in), oldest first: uncompressed ones (`.gz`, `.xz`, ... cannot be
/// followed) newer by mtime, ties broken by the rotation name (`.1` is newer
/// than `.2`; a later `-DATE` is newer). `base` is the followed file's own
/// name, which is not a sibling. Pure.
[[nodiscard]] std::vector<std::string> RotatedAfter(const std::string& base, const Sibling& resumed,
                                                    const std::vector<Sibling>& siblings);

}  // namespace mailpath::logs
