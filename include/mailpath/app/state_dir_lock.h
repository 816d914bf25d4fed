#pragma once

#include <memory>
#include <string>

namespace mailpath::app {

/// An exclusive flock(2) on `<state.dir>/lock`, held for the process's life,
/// so that two exporters never write the same checkpoint (each would
/// overwrite the other's position and lines would be skipped). The file holds
/// the holder's pid, for the refusal message. The kernel drops the lock when
/// the process ends, however it ends.
class StateDirLock {
 public:
  /// Takes the lock, or returns null with `error`: with `in_use` set, it
  /// names the holder ("in use by another mailpath_exporter, pid 1234");
  /// otherwise the directory could not be used (missing, permissions).
  [[nodiscard]] static std::unique_ptr<StateDirLock> Acquire(const std::string& dir,
                                                             std::string& error, bool& in_use);
  ~StateDirLock();
  StateDirLock(const StateDirLock&) = delete;
  StateDirLock& operator=(const StateDirLock&) = delete;

 private:
  explicit StateDirLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace mailpath::app
