#include "mailpath/metrics/collector_runner.h"

#include <gtest/gtest.h>

#include <sstream>

#include "mailpath/metrics/exposition.h"
#include "mailpath/metrics/family_builder.h"

namespace mailpath::metrics {
namespace {

class FixedCollector : public Collector {
 public:
  explicit FixedCollector(std::string name) : name_(std::move(name)) {}
  void Collect(std::vector<prometheus::MetricFamily>& out) override {
    FamilyBuilder b(name_, "help", prometheus::MetricType::Gauge);
    b.Gauge({}, 7);
    out.push_back(std::move(b).Build());
  }

 private:
  std::string name_;
};

class FailingCollector : public Collector {
 public:
  void Collect(std::vector<prometheus::MetricFamily>& out) override {
    FamilyBuilder b("half_written", "help", prometheus::MetricType::Gauge);
    b.Gauge({}, 1);
    out.push_back(std::move(b).Build());
    throw CollectError("socket missing");
  }
};

// Fails but keeps a health gauge, as the showq collector does with postfix_up 0.
class FailingWithHealthCollector : public Collector {
 public:
  void Collect(std::vector<prometheus::MetricFamily>& out) override {
    out.push_back(
        FamilyBuilder("data_series", "help", prometheus::MetricType::Gauge).Gauge({}, 0).family());
    std::vector<prometheus::MetricFamily> keep;
    keep.push_back(
        FamilyBuilder("source_up", "help", prometheus::MetricType::Gauge).Gauge({}, 0).family());
    throw CollectError("source down", std::move(keep));
  }
};

std::chrono::steady_clock::time_point Tick() {
  static std::chrono::steady_clock::time_point t{};
  t += std::chrono::milliseconds(250);
  return t;
}

const prometheus::MetricFamily* Find(const std::vector<prometheus::MetricFamily>& fs,
                                     const std::string& name) {
  for (const auto& f : fs) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

double ValueFor(const prometheus::MetricFamily& f, const std::string& collector) {
  for (const auto& m : f.metric) {
    if (m.label.size() == 1 && m.label[0].value == collector) return m.gauge.value;
  }
  return -1;
}

TEST(CollectorRunner, failing_collector_reports_success_zero_while_others_report) {
  std::ostringstream log;
  Logger logger(log, LogLevel::kDebug, LogFormat::kLogfmt);
  CollectorRunner runner({"1.2.3", "abc", "gcc"}, logger, Tick);
  runner.Add("good", std::make_unique<FixedCollector>("good_metric"));
  runner.Add("bad", std::make_unique<FailingCollector>());
  runner.Add("also_good", std::make_unique<FixedCollector>("other_metric"));

  const auto families = runner.Scrape();

  const auto* success = Find(families, "mailpath_exporter_collector_success");
  ASSERT_NE(success, nullptr);
  EXPECT_EQ(1, ValueFor(*success, "good"));
  EXPECT_EQ(0, ValueFor(*success, "bad"));
  EXPECT_EQ(1, ValueFor(*success, "also_good"));
  EXPECT_NE(nullptr, Find(families, "good_metric"));
  EXPECT_NE(nullptr, Find(families, "other_metric"));
  EXPECT_EQ(nullptr, Find(families, "half_written"))
      << "a failed collector's partial output is dropped";
  EXPECT_NE(std::string::npos, log.str().find("socket missing"));
}

TEST(CollectorRunner, failed_collector_still_serves_the_families_its_error_keeps) {
  std::ostringstream log;
  Logger logger(log, LogLevel::kDebug, LogFormat::kLogfmt);
  CollectorRunner runner({"1", "r", "c"}, logger, Tick);
  runner.Add("src", std::make_unique<FailingWithHealthCollector>());

  const auto families = runner.Scrape();

  const auto* success = Find(families, "mailpath_exporter_collector_success");
  ASSERT_NE(success, nullptr);
  EXPECT_EQ(0, ValueFor(*success, "src"));
  const auto* up = Find(families, "source_up");
  ASSERT_NE(up, nullptr);
  EXPECT_EQ(0, up->metric.at(0).gauge.value);
  EXPECT_EQ(nullptr, Find(families, "data_series"));
  EXPECT_NE(std::string::npos, log.str().find("source down"));
}

TEST(CollectorRunner, reports_duration_per_collector_from_injected_clock) {
  std::ostringstream log;
  Logger logger(log, LogLevel::kDebug, LogFormat::kLogfmt);
  CollectorRunner runner({"1", "r", "c"}, logger, Tick);
  runner.Add("good", std::make_unique<FixedCollector>("good_metric"));
  const auto families = runner.Scrape();
  const auto* duration = Find(families, "mailpath_exporter_collector_duration_seconds");
  ASSERT_NE(duration, nullptr);
  EXPECT_DOUBLE_EQ(0.25, ValueFor(*duration, "good"));
}

TEST(CollectorRunner, exports_build_info_and_sorts_families_by_name) {
  std::ostringstream log;
  Logger logger(log, LogLevel::kDebug, LogFormat::kLogfmt);
  CollectorRunner runner({"1.2.3", "abc", "gcc"}, logger, Tick);
  runner.Add("z", std::make_unique<FixedCollector>("zzz_metric"));
  runner.Add("a", std::make_unique<FixedCollector>("aaa_metric"));
  const auto families = runner.Scrape();
  for (std::size_t i = 1; i < families.size(); ++i) {
    EXPECT_LE(families[i - 1].name, families[i].name);
  }
  const std::string text = SerializeText(families);
  EXPECT_NE(
      std::string::npos,
      text.find(
          "mailpath_exporter_build_info{version=\"1.2.3\",revision=\"abc\",compiler=\"gcc\"} 1"));
}

TEST(CollectorRunner, failure_is_logged_once_per_minute_not_every_scrape) {
  std::ostringstream log;
  Logger logger(log, LogLevel::kDebug, LogFormat::kLogfmt,
                [] { return std::chrono::system_clock::time_point{}; });
  CollectorRunner runner({"1", "r", "c"}, logger, Tick);
  runner.Add("bad", std::make_unique<FailingCollector>());
  (void)runner.Scrape();
  (void)runner.Scrape();
  const std::string text = log.str();
  EXPECT_EQ(text.find("socket missing"), text.rfind("socket missing"));
}

}  // namespace
}  // namespace mailpath::metrics

namespace mailpath::metrics {
namespace {

// Sees the deadline its thread was given, and fails when asked to wait past it.
class DeadlineProbe : public Collector {
 public:
  explicit DeadlineProbe(bool fail_at_deadline) : fail_(fail_at_deadline) {}
  void Collect(std::vector<prometheus::MetricFamily>& out) override {
    ++calls;
    seen = CurrentDeadline();
    if (fail_) throw CollectError("peer did not answer in time");
    out.push_back(
        FamilyBuilder("probe", "help", prometheus::MetricType::Gauge).Gauge({}, 1).family());
  }
  int calls = 0;
  Deadline seen;

 private:
  bool fail_;
};

double CounterFor(const prometheus::MetricFamily& f, const std::string& collector) {
  for (const auto& m : f.metric) {
    if (m.label.size() == 1 && m.label[0].value == collector) return m.counter.value;
  }
  return -1;
}

TEST(CollectorRunnerDeadline, each_collector_runs_under_the_scrape_deadline_less_the_reserve) {
  std::ostringstream log;
  Logger logger(log, LogLevel::kDebug, LogFormat::kLogfmt);
  CollectorRunner runner({"1", "r", "c"}, logger, Tick);
  auto probe = std::make_unique<DeadlineProbe>(false);
  DeadlineProbe& p = *probe;
  runner.Add("probe", std::move(probe));
  Deadline d;
  d.at = Deadline::Clock::now() + std::chrono::seconds(5);

  const auto families = runner.Scrape(d);

  EXPECT_EQ(1, p.calls);
  EXPECT_TRUE(d.at - CollectorRunner::kReserve == p.seen.at);
  EXPECT_EQ(Deadline::Clock::time_point::max(), CurrentDeadline().at)
      << "restored after the collector";
  EXPECT_EQ(0, CounterFor(*Find(families, "mailpath_exporter_collector_deadline_exceeded_total"),
                          "probe"));
}

TEST(CollectorRunnerDeadline, a_collector_failing_at_or_reached_after_the_deadline_is_counted) {
  std::ostringstream log;
  Logger logger(log, LogLevel::kDebug, LogFormat::kLogfmt);
  CollectorRunner runner({"1", "r", "c"}, logger, Tick);
  auto slow = std::make_unique<DeadlineProbe>(true);
  auto after = std::make_unique<DeadlineProbe>(false);
  DeadlineProbe& a = *after;
  runner.Add("slow", std::move(slow));
  runner.Add("after", std::move(after));
  Deadline past;
  past.at = Deadline::Clock::now() - std::chrono::seconds(1);

  const auto families = runner.Scrape(past);

  EXPECT_EQ(0, a.calls) << "not started once the deadline has passed";
  const auto* success = Find(families, "mailpath_exporter_collector_success");
  EXPECT_EQ(0, ValueFor(*success, "slow"));
  EXPECT_EQ(0, ValueFor(*success, "after"));
  const auto* exceeded = Find(families, "mailpath_exporter_collector_deadline_exceeded_total");
  ASSERT_NE(nullptr, exceeded);
  EXPECT_EQ(prometheus::MetricType::Counter, exceeded->type);
  EXPECT_EQ(1, CounterFor(*exceeded, "slow"));
  EXPECT_EQ(1, CounterFor(*exceeded, "after"));
  EXPECT_NE(std::string::npos, log.str().find("deadline had passed"));
}

TEST(CollectorRunnerDeadline, cancel_reaches_the_deadline_every_collector_sees) {
  std::ostringstream log;
  Logger logger(log, LogLevel::kDebug, LogFormat::kLogfmt);
  CollectorRunner runner({"1", "r", "c"}, logger, Tick);
  auto probe = std::make_unique<DeadlineProbe>(false);
  DeadlineProbe& p = *probe;
  runner.Add("probe", std::move(probe));
  (void)runner.Scrape();
  EXPECT_FALSE(p.seen.Cancelled());
  runner.CancelInFlight();
  (void)runner.Scrape();
  EXPECT_TRUE(p.seen.Cancelled());
}

}  // namespace
}  // namespace mailpath::metrics
