#include "mailpath/metrics/collector_runner.h"

#include <algorithm>
#include <exception>

#include "mailpath/metrics/family_builder.h"

namespace mailpath::metrics {

CollectorRunner::CollectorRunner(BuildInfo build, Logger& logger, MonotonicClock clock)
    : build_(std::move(build)), logger_(logger), clock_(std::move(clock)) {}

void CollectorRunner::Add(std::string name, std::unique_ptr<Collector> collector) {
  entries_.push_back(
      {std::move(name), std::move(collector), std::make_unique<std::atomic<std::uint64_t>>(0)});
}

std::vector<std::string> CollectorRunner::Names() const {
  std::vector<std::string> names;
  for (const auto& e : entries_) names.push_back(e.name);
  return names;
}

std::vector<prometheus::MetricFamily> CollectorRunner::Scrape(Deadline deadline) const {
  if (deadline.cancelled == nullptr) deadline.cancelled = &cancelled_;
  Deadline per_collector = deadline;
  if (deadline.at != Deadline::Clock::time_point::max()) per_collector.at -= kReserve;
  std::vector<prometheus::MetricFamily> out;
  FamilyBuilder success("mailpath_exporter_collector_success",
                        "1 if the collector's last scrape succeeded, 0 if its source failed.",
                        prometheus::MetricType::Gauge);
  FamilyBuilder duration("mailpath_exporter_collector_duration_seconds",
                         "Time the collector took for this scrape.", prometheus::MetricType::Gauge);
  for (const Entry& e : entries_) {
    const auto start = clock_();
    const std::size_t before = out.size();
    bool ok = true;
    bool late = false;
    try {
      if (Deadline::Clock::now() >= per_collector.at) {
        late = true;
        throw std::runtime_error("not started: the scrape's deadline had passed");
      }
      const ScopedDeadline scope(per_collector);
      e.collector->Collect(out);
    } catch (const CollectError& ex) {
      ok = false;
      out.resize(before);
      out.insert(out.end(), ex.keep().begin(), ex.keep().end());
      logger_.LogEvery("collector-failed:" + e.name, std::chrono::minutes(1), LogLevel::kWarn,
                       "collector failed", {{"collector", e.name}, {"err", ex.what()}});
    } catch (const std::exception& ex) {
      ok = false;
      out.resize(before);
      logger_.LogEvery("collector-failed:" + e.name, std::chrono::minutes(1), LogLevel::kWarn,
                       "collector failed", {{"collector", e.name}, {"err", ex.what()}});
    } catch (...) {
      ok = false;
      out.resize(before);
      logger_.LogEvery("collector-failed:" + e.name, std::chrono::minutes(1), LogLevel::kWarn,
                       "collector failed", {{"collector", e.name}, {"err", "unknown exception"}});
    }
    const std::chrono::duration<double> took = clock_() - start;
    if (!ok && (late || Deadline::Clock::now() >= per_collector.at))
      e.deadline_exceeded->fetch_add(1);
    success.Gauge({{"collector", e.name}}, ok ? 1 : 0);
    duration.Gauge({{"collector", e.name}}, took.count());
  }
  FamilyBuilder exceeded("mailpath_exporter_collector_deadline_exceeded_total",
                         "Scrapes in which the collector failed at the scrape's deadline "
                         "(X-Prometheus-Scrape-Timeout-Seconds less 0.5 s, else 9.5 s) or "
                         "was reached after it.",
                         prometheus::MetricType::Counter);
  for (const Entry& e : entries_) {
    exceeded.Counter({{"collector", e.name}}, static_cast<double>(e.deadline_exceeded->load()));
  }
  out.push_back(std::move(success).Build());
  out.push_back(std::move(duration).Build());
  out.push_back(std::move(exceeded).Build());
  out.push_back(FamilyBuilder("mailpath_exporter_build_info",
                              "A metric with a constant '1' value labeled by version, "
                              "revision and compiler of this mailpath_exporter build.",
                              prometheus::MetricType::Gauge)
                    .Gauge({{"version", build_.version},
                            {"revision", build_.revision},
                            {"compiler", build_.compiler}},
                           1)
                    .family());
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.name < b.name; });
  return out;
}

}  // namespace mailpath::metrics
