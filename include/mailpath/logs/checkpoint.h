#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "mailpath/logs/follow_decision.h"

namespace mailpath::logs {

/// Where a followed file was left: identity, the offset just past the last
/// complete line handled, and a fingerprint of the file's first bytes, so a
/// different file that reuses the inode is not mistaken for ours.
struct FilePosition {
  FileId id;
  std::uint64_t offset = 0;
  std::uint64_t fingerprint = 0;      // FNV-1a of the first fingerprint_len bytes
  std::uint32_t fingerprint_len = 0;  // 0..kFingerprintBytes
  bool operator==(const FilePosition&) const = default;
};

inline constexpr std::uint32_t kFingerprintBytes = 256;

/// Everything the log pipeline persists in --state.dir.
struct Checkpoint {
  std::map<std::string, FilePosition> files;  // by configured path
  std::string journal_cursor;
  bool operator==(const Checkpoint&) const = default;
};

/// FNV-1a 64 of `bytes`. Pure.
[[nodiscard]] std::uint64_t Fingerprint(std::string_view bytes);

/// JSON text of a checkpoint, and back. Parse returns nullopt (with `error`)
/// on anything malformed: a damaged checkpoint is reported and ignored, never
/// fatal. Pure.
[[nodiscard]] std::string SerializeCheckpoint(const Checkpoint& cp);
[[nodiscard]] std::optional<Checkpoint> ParseCheckpoint(std::string_view text, std::string& error);

/// Writes `text` to `path` atomically: a temp file in the same directory,
/// fsync, rename. Returns "" or an error naming the path.
[[nodiscard]] std::string WriteFileAtomically(const std::string& path, std::string_view text);

}  // namespace mailpath::logs
