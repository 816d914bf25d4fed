#include "mailpath/common/deadline.h"

namespace mailpath {
namespace {

// Trivially destructible, one per thread: the scrape running on that thread.
thread_local Deadline current;

}  // namespace

Deadline CurrentDeadline() { return current; }

ScopedDeadline::ScopedDeadline(Deadline deadline) : previous_(current) { current = deadline; }

ScopedDeadline::~ScopedDeadline() { current = previous_; }

}  // namespace mailpath
