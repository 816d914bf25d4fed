#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include "mailpath/common/logger.h"
#include "mailpath/logs/checkpoint.h"

namespace mailpath::logs {

/// The log pipeline's checkpoint in --state.dir (log-checkpoint.json): read
/// once at start, written atomically on every save. A missing file is a first
/// start; a damaged or unreadable one is logged and ignored, never fatal.
/// Without a state dir it reads nothing and writes nothing.
class CheckpointStore {
 public:
  CheckpointStore(std::string state_dir, Logger& logger);

  /// The saved checkpoint, or an empty one.
  [[nodiscard]] Checkpoint Load();
  /// Writes `cp`; a failure is counted and logged (at most once a minute).
  /// Returns false on failure.
  bool Save(const Checkpoint& cp);

  [[nodiscard]] bool enabled() const { return !path_.empty(); }
  [[nodiscard]] std::uint64_t writes() const { return writes_.load(); }
  [[nodiscard]] std::uint64_t failures() const { return failures_.load(); }

 private:
  std::string path_;  // empty: no state dir
  Logger& logger_;
  std::atomic<std::uint64_t> writes_{0};
  std::atomic<std::uint64_t> failures_{0};
};

}  // namespace mailpath::logs
