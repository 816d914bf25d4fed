#include "mailpath/metrics/single_flight.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <stdexcept>
#include <thread>
#include <vector>

namespace mailpath::metrics {
namespace {

// A producer that blocks until released, counting its calls.
struct Gate {
  std::atomic<int> calls{0};
  std::promise<void> release;
  std::shared_future<void> released{release.get_future().share()};
  std::atomic<bool> entered{false};
  std::string Produce() {
    const int n = ++calls;
    entered = true;
    released.wait();
    return "scrape " + std::to_string(n);
  }
};

TEST(SingleFlight, callers_during_a_scrape_share_it_and_later_callers_start_a_new_one) {
  Gate gate;
  SingleFlight<std::string> flight([&gate](const Deadline&) { return gate.Produce(); });
  auto first = std::async(std::launch::async, [&] { return *flight.Get(); });
  while (!gate.entered) std::this_thread::yield();
  std::vector<std::future<std::string>> joiners;
  for (int i = 0; i < 5; ++i)
    joiners.push_back(std::async(std::launch::async, [&] { return *flight.Get(); }));
  while (flight.waiting() < 5) std::this_thread::yield();
  gate.release.set_value();
  EXPECT_EQ(first.get(), "scrape 1");
  for (auto& j : joiners) EXPECT_EQ(j.get(), "scrape 1");
  EXPECT_EQ(gate.calls, 1);
  EXPECT_EQ(*flight.Get(), "scrape 2");  // nothing in flight: a fresh scrape, never a cached one
  EXPECT_EQ(gate.calls, 2);
}

TEST(SingleFlight, an_exception_reaches_every_sharer_and_the_next_call_retries) {
  int calls = 0;
  SingleFlight<std::string> flight([&calls](const Deadline&) -> std::string {
    if (++calls == 1) throw std::runtime_error("collector exploded");
    return "ok";
  });
  EXPECT_THROW((void)flight.Get(), std::runtime_error);
  EXPECT_EQ(*flight.Get(), "ok");
}

}  // namespace
}  // namespace mailpath::metrics
