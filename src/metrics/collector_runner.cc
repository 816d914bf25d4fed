#include "mailpath/metrics/collector_runner.h"

#include <algorithm>
#include <exception>

#include "mailpath/metrics/family_builder.h"

namespace mailpath::metrics {

CollectorRunner::CollectorRunner(BuildInfo build, Logger& logger, MonotonicClock clock)
    : build_(std::move(build)), logger_(logger), clock_(std::move(clock)) {}

void CollectorRunner::Add(std::string name, std::unique_ptr<Collector> collector) {
  entries_.push_back({std::move(name), std::move(collector)});
}

std::vector<std::string> CollectorRunner::Names() const {
  std::vector<std::string> names;
  for (const auto& e : entries_) names.push_back(e.name);
  return names;
}

std::vector<prometheus::MetricFamily> CollectorRunner::Scrape() const {
  std::vector<prometheus::MetricFamily> out;
  FamilyBuilder success("mailpath_exporter_collector_success",
                        "1 if the collector's last scrape succeeded, 0 if its source failed.",
                        prometheus::MetricType::Gauge);
  FamilyBuilder duration("mailpath_exporter_collector_duration_seconds",
                         "Time the collector took for this scrape.",
                         prometheus::MetricType::Gauge);
  for (const Entry& e : entries_) {
    const auto start = clock_();
    const std::size_t before = out.size();
    bool ok = true;
    try {
      e.collector->Collect(out);
    } catch (const CollectError& ex) {
      ok = false;
      out.resize(before);
      out.insert(out.end(), ex.keep().begin(), ex.keep().end());
      logger_.LogEvery("collector-failed:" + e.name, std::chrono::minutes(1),
                       LogLevel::kWarn, "collector failed",
                       {{"collector", e.name}, {"err", ex.what()}});
    } catch (const std::exception& ex) {
      ok = false;
      out.resize(before);
      logger_.LogEvery("collector-failed:" + e.name, std::chrono::minutes(1),
                       LogLevel::kWarn, "collector failed",
                       {{"collector", e.name}, {"err", ex.what()}});
    } catch (...) {
      ok = false;
      out.resize(before);
      logger_.LogEvery("collector-failed:" + e.name, std::chrono::minutes(1),
                       LogLevel::kWarn, "collector failed",
                       {{"collector", e.name}, {"err", "unknown exception"}});
    }
    const std::chrono::duration<double> took = clock_() - start;
    success.Gauge({{"collector", e.name}}, ok ? 1 : 0);
    duration.Gauge({{"collector", e.name}}, took.count());
  }
  out.push_back(std::move(success).Build());
  out.push_back(std::move(duration).Build());
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
