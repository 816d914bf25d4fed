#include "mailpath/metrics/single_flight.h"

namespace mailpath::metrics {

std::shared_ptr<const void> SingleFlightGate::Run(
    const std::function<std::shared_ptr<const void>()>& produce) {
  std::unique_lock<std::mutex> lock(mu_);
  if (running_) {
    const std::uint64_t joined = generation_;
    ++waiting_;
    ++joined_;
    done_.wait(lock, [&] { return generation_ != joined; });
    std::shared_ptr<const void> result = last_;
    std::exception_ptr error = last_error_;
    if (--waiting_ == 0) {  // the last sharer out: hold nothing between runs
      last_.reset();
      last_error_ = nullptr;
    }
    if (error) std::rethrow_exception(error);
    return result;
  }
  running_ = true;
  lock.unlock();
  std::shared_ptr<const void> result;
  std::exception_ptr error;
  try {
    result = produce();
  } catch (...) {
    error = std::current_exception();
  }
  lock.lock();
  if (waiting_ > 0) {
    last_ = result;
    last_error_ = error;
  }
  running_ = false;
  ++generation_;
  done_.notify_all();
  if (error) std::rethrow_exception(error);
  return result;
}

int SingleFlightGate::waiting() const {
  std::lock_guard<std::mutex> lock(mu_);
  return waiting_;
}

std::uint64_t SingleFlightGate::joined() const {
  std::lock_guard<std::mutex> lock(mu_);
  return joined_;
}

}  // namespace mailpath::metrics
