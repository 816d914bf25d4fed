#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "mailpath/common/logger.h"
#include "mailpath/logs/checkpoint.h"
#include "mailpath/logs/follow_decision.h"
#include "mailpath/logs/line_splitter.h"

namespace mailpath::logs {

/// Counters of one followed file.
struct FollowerStats {
  std::uint64_t bytes_read = 0;
  std::uint64_t rotations = 0;
  std::uint64_t truncations = 0;
  std::uint64_t open_errors = 0;
  bool open = false;
};

/// Follows one log file by polling: appends, rename-and-create rotation (the
/// old file is drained to its end before the new one is read from 0),
/// copytruncate, delete and re-create, a file missing at start. Each Poll()
/// reads what is new and calls `on_line` for every complete line; the
/// decisions are DecideFollow's. Not thread-safe: one owner thread polls.
class FileFollower {
 public:
  using OnLine = std::function<void(std::string_view line, bool oversized)>;

  FileFollower(std::string path, std::size_t max_line_bytes, Logger& logger);
  ~FileFollower();
  FileFollower(const FileFollower&) = delete;
  FileFollower& operator=(const FileFollower&) = delete;

  /// Chooses where reading starts. With a saved position that still matches
  /// (same file by inode and fingerprint, at the path or among its rotated
  /// siblings in the same directory), resume there, then read every
  /// uncompressed sibling rotated after it and the current file, in order;
  /// otherwise start at the end of the current file, or at 0 with
  /// `from_beginning`. A file present but unreadable at start (permissions)
  /// starts at its end too, whenever it first becomes readable (or at its
  /// saved position, when the checkpoint names it). Only regular
  /// files are opened: a FIFO, device or directory at the path leaves the
  /// source down with the reason logged, and never blocks.
  void Start(const std::optional<FilePosition>& saved, bool from_beginning);

  /// Reads everything new. Lines go to `on_line`.
  void Poll(const OnLine& on_line);

  /// The position just past the last complete line handed out, for the
  /// checkpoint; nullopt when no file is open.
  [[nodiscard]] std::optional<FilePosition> Position();

  [[nodiscard]] const FollowerStats& stats() const { return stats_; }
  [[nodiscard]] const std::string& path() const { return path_; }

 private:
  bool OpenAt(const std::string& path, std::uint64_t offset, bool at_end);
  void ResumeAt(const FilePosition& saved);  // seek fd_ to `saved` if it still matches
  void Adopt(int fd, std::uint64_t offset, bool at_end);
  void Close();
  void ReadToEnd(const OnLine& on_line);
  void RefreshFingerprint();
  std::optional<std::string> FindSibling(const FilePosition& saved);
  void QueueNewerSiblings(const std::string& rotated);
  bool Matches(int fd, const FilePosition& pos);

  const std::string path_;
  Logger& logger_;
  LineSplitter splitter_;
  int fd_ = -1;
  // After a restart into a rotated file: the files to read after it, oldest
  // first (rotated siblings newer than it, then the file current at start).
  std::deque<int> queued_fds_;
  FileId id_;
  std::uint64_t offset_ = 0;  // bytes consumed from fd_
  std::uint64_t fingerprint_ = 0;
  std::uint32_t fingerprint_len_ = 0;
  std::uint64_t last_size_ = 0;     // fd size at the previous poll
  std::int64_t last_mtime_ns_ = 0;  // fd mtime at the previous poll
  FollowerStats stats_;
  // The file at path_ at start, without checkpoint, that could not be read
  // then: read from its end when it first opens.
  std::optional<FileId> unread_at_start_;
  // The checkpointed file, still at path_ at start but unreadable then.
  std::optional<FilePosition> unread_saved_;
};

}  // namespace mailpath::logs
