#pragma once

#include <memory>
#include <string>

#include "mailpath/common/result.h"

namespace mailpath::app {

/// An exclusive flock(2) on `<state.dir>/lock`, held for the process's life,
/// so that two exporters never write the same checkpoint (each would
/// overwrite the other's position and lines would be skipped). The file holds
/// the holder's pid, for the refusal message. The kernel drops the lock when
/// the process ends, however it ends.
class StateDirLock {
 public:
  /// Takes the lock, or says why not: error_number EWOULDBLOCK when another
  /// process holds it (the message names it: "in use by another
  /// mailpath_exporter, pid 1234"), otherwise the directory could not be
  /// used (missing, permissions) and error_number is that errno.
  [[nodiscard]] static Result<std::unique_ptr<StateDirLock>> Acquire(const std::string& dir);
  ~StateDirLock();
  StateDirLock(const StateDirLock&) = delete;
  StateDirLock& operator=(const StateDirLock&) = delete;

 private:
  explicit StateDirLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace mailpath::app
