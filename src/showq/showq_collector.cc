#include "mailpath/showq/showq_collector.h"

#include <cerrno>

#include "mailpath/showq/showq_families.h"
#include "mailpath/showq/showq_parser.h"

namespace mailpath::showq {

std::string DescribeTransportError(const std::string& address, const Error& error) {
  std::string out = error.message;
  switch (error.error_number) {
    case EACCES:
    case EPERM:
      out +=
          "; the exporter's user must be in group postdrop (Postfix's public/ directory is "
          "mode 0710, group postdrop), e.g. usermod -aG postdrop <user>";
      break;
    case ENOENT:
      out +=
          "; is Postfix running, and is --postfix.showq_path its "
          "$queue_directory/public/showq?";
      break;
    case ECONNREFUSED:
      out += "; Postfix (its master process or the showq service) is not running";
      break;
    case ETIMEDOUT:
      out += "; showq did not answer in time";
      break;
    default:
      break;
  }
  return out;
}

ShowqCollector::ShowqCollector(std::unique_ptr<ShowqTransport> transport,
                               ShowqCollectorOptions options, WallClock clock)
    : transport_(std::move(transport)),
      options_(options),
      clock_(std::move(clock)),
      flight_([this](const Deadline&) {
        try {
          return ReadOnce();
        } catch (const std::exception& e) {
          ReadResult failed;
          failed.error = std::string("showq read failed: ") + e.what();
          return failed;
        }
      }) {}

ShowqCollector::ReadResult ShowqCollector::ReadOnce() {
  reads_.fetch_add(1);
  ReadResult result;
  QueueAggregator aggregator(clock_(), options_.deferred_domains_cap);
  ShowqParser parser(aggregator);
  if (const Status read =
          transport_->Read([&](std::string_view chunk) { return parser.Feed(chunk); });
      !read) {
    result.error = DescribeTransportError(transport_->address(), read.error());
    return result;
  }
  if (!parser.Finish()) {
    result.error = parser.error() + " (from " + transport_->address() + ")";
    return result;
  }
  result.ok = true;
  result.snapshot = aggregator.Finish();
  return result;
}

void ShowqCollector::Collect(std::vector<prometheus::MetricFamily>& out) {
  const auto result = flight_.Get();
  if (!result->ok) {
    std::vector<prometheus::MetricFamily> keep;
    keep.push_back(UpFamily(transport_->address(), false));
    throw metrics::CollectError(result->error, std::move(keep));
  }
  out.push_back(UpFamily(transport_->address(), true));
  AppendShowqFamilies(result->snapshot, out);
}

}  // namespace mailpath::showq
