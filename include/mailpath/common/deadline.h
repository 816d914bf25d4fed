#pragma once

#include <atomic>
#include <chrono>

namespace mailpath {

/// When the work on this thread must stop waiting: the scrape's deadline
/// (from X-Prometheus-Scrape-Timeout-Seconds) and the process's shutdown.
/// CollectorRunner sets it around each collector; a source that waits on a
/// peer (the showq socket) stops at it, so no read outlives its scrape.
struct Deadline {
  using Clock = std::chrono::steady_clock;
  Clock::time_point at = Clock::time_point::max();
  /// Set when the exporter is shutting down (SIGTERM); may be null.
  const std::atomic<bool>* cancelled = nullptr;

  [[nodiscard]] bool Cancelled() const { return cancelled != nullptr && cancelled->load(); }
};

/// The deadline set on this thread by the innermost ScopedDeadline, or none
/// (`at` is time_point::max()).
[[nodiscard]] Deadline CurrentDeadline();

/// Sets this thread's deadline for the scope's lifetime, then restores the
/// previous one.
class ScopedDeadline {
 public:
  explicit ScopedDeadline(Deadline deadline);
  ~ScopedDeadline();
  ScopedDeadline(const ScopedDeadline&) = delete;
  ScopedDeadline& operator=(const ScopedDeadline&) = delete;

 private:
  Deadline previous_;
};

}  // namespace mailpath
