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

/// Concurrent scrapes share one exposition: a caller that arrives while one
/// is being produced waits for it and gets that same text; a caller that
/// arrives when none is running starts a new one. Nothing is cached across
/// time, so a lone scrape always sees fresh data. Thread-safe.
class SingleFlight {
 public:
  using Producer = std::function<std::string(const Deadline&)>;
  explicit SingleFlight(Producer produce) : produce_(std::move(produce)) {}

  /// The text of the scrape in flight, or of a new one bounded by `deadline`
  /// (a sharer gets the running scrape's, which started earlier). Rethrows the
  /// producer's exception to every caller that shared that scrape.
  [[nodiscard]] std::shared_ptr<const std::string> Get(const Deadline& deadline = {});

  /// Callers currently waiting for someone else's scrape (for tests).
  [[nodiscard]] int waiting() const;

 private:
  Producer produce_;
  mutable std::mutex mu_;
  std::condition_variable done_;
  bool running_ = false;
  std::uint64_t generation_ = 0;  // completed scrapes
  int waiting_ = 0;
  std::shared_ptr<const std::string> last_;
  std::exception_ptr last_error_;
};

}  // namespace mailpath::metrics
