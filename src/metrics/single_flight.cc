#include "mailpath/metrics/single_flight.h"

namespace mailpath::metrics {

std::shared_ptr<const std::string> SingleFlight::Get(const Deadline& deadline) {
  std::unique_lock<std::mutex> lock(mu_);
  if (running_) {
    const std::uint64_t joined = generation_;
    ++waiting_;
    done_.wait(lock, [&] { return generation_ != joined; });
    --waiting_;
    if (last_error_) std::rethrow_exception(last_error_);
    return last_;
  }
  running_ = true;
  lock.unlock();
  std::shared_ptr<const std::string> result;
  std::exception_ptr error;
  try {
    result = std::make_shared<const std::string>(produce_(deadline));
  } catch (...) {
    error = std::current_exception();
  }
  lock.lock();
  last_ = result;
  last_error_ = error;
  running_ = false;
  ++generation_;
  done_.notify_all();
  if (error) std::rethrow_exception(error);
  return result;
}

int SingleFlight::waiting() const {
  std::lock_guard<std::mutex> lock(mu_);
  return waiting_;
}

}  // namespace mailpath::metrics
