// libFuzzer target: the showq stream parser, aggregator and reason classifier.
// The input is a raw showq stream (the captures in tests/fixtures/showq are
// seeds); its length picks the chunk size, so record and attribute
// boundaries land anywhere between Feed calls.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "mailpath/showq/queue_aggregator.h"
#include "mailpath/showq/reason_class.h"
#include "mailpath/showq/showq_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::size_t chunk = 1 + size % 61;
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  mailpath::showq::QueueAggregator aggregator(1e9, 3);
  mailpath::showq::ShowqParser parser(aggregator);
  bool ok = true;
  for (std::size_t at = 0; at < input.size() && ok; at += chunk) {
    ok = parser.Feed(input.substr(at, chunk));
  }
  ok = ok && parser.Finish();
  if (!ok && parser.error().empty()) std::abort();
  if (!ok && parser.Feed("x")) std::abort();  // errors are sticky
  if (ok) {
    const auto snapshot = aggregator.Finish();
    std::uint64_t messages = 0;
    for (const auto& q : snapshot.queues) messages += q.messages;
    if (messages != parser.messages()) std::abort();
    if (snapshot.deferred_domains.top.size() > 3) std::abort();
  }
  (void)mailpath::showq::ClassifyReason(input, input.substr(0, 5));
  return 0;
}
