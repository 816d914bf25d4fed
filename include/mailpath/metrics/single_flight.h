#pragma once

#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "mailpath/common/deadline.h"

namespace mailpath::metrics {

/// The type-independent part of SingleFlight<T>: who produces, who waits.
class SingleFlightGate {
 public:
  /// Callers currently waiting for someone else's result (for tests).
  [[nodiscard]] int waiting() const;
  /// Callers so far that shared a result another caller produced.
  [[nodiscard]] std::uint64_t joined() const;

 protected:
  /// Runs `produce` unless a run is in flight, in which case it waits for
  /// that run and returns its result (or rethrows its exception).
  std::shared_ptr<const void> Run(const std::function<std::shared_ptr<const void>()>& produce);

 private:
  mutable std::mutex mu_;  // guards everything below, with done_
  std::condition_variable done_;
  bool running_ = false;
  std::uint64_t generation_ = 0;  // completed runs
  int waiting_ = 0;
  std::uint64_t joined_ = 0;
  std::shared_ptr<const void> last_;  // the last run's result, kept only while sharers wait for it
  std::exception_ptr last_error_;
};

/// Concurrent callers share one result: a caller that arrives while one is
/// being produced waits for it and gets that same result; a caller that
/// arrives when none is running starts a new one. Nothing is cached across
/// time, so a lone caller always sees fresh data, and only one producer runs
/// at a time (it may keep unguarded state between runs). Used for the whole
/// exposition (main) and for the collectors whose source is costly to read
/// (showq, tcp). Thread-safe.
template <typename T>
class SingleFlight : public SingleFlightGate {
 public:
  using Producer = std::function<T(const Deadline&)>;
  explicit SingleFlight(Producer produce) : produce_(std::move(produce)) {}

  /// The result of the run in flight, or of a new one bounded by `deadline`
  /// (a sharer gets the running one's, which started earlier). Rethrows the
  /// producer's exception to every caller that shared that run.
  [[nodiscard]] std::shared_ptr<const T> Get(const Deadline& deadline = {}) {
    return std::static_pointer_cast<const T>(Run([&]() -> std::shared_ptr<const void> {
      return std::make_shared<const T>(produce_(deadline));
    }));
  }

 private:
  Producer produce_;
};

}  // namespace mailpath::metrics
