// The collectors built together: the log classifiers with the pipeline that
// feeds them, and what happens when that pipeline is off.
#include "mailpath/app/catalog.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "mailpath/metrics/exposition.h"

namespace mailpath::app {
namespace {

std::vector<std::string> Names(const BuiltCollectors& built) {
  std::vector<std::string> out;
  for (const auto& [name, collector] : built.collectors) out.push_back(name);
  return out;
}

// Options with only the given collectors switched (the rest at their defaults).
Options Switched(std::map<std::string, bool> switches) {
  Options o;
  o.collector_switches = std::move(switches);
  return o;
}

TEST(CheckCollectorFeeds,
     a_log_classifier_asked_for_by_name_without_the_logs_collector_is_refused) {
  const std::string err = CheckCollectorFeeds(Switched({{"logs", false}, {"postfix", true}}));
  EXPECT_NE(std::string::npos, err.find("'postfix'")) << err;
  EXPECT_NE(std::string::npos, err.find("--collector.logs")) << err;
  EXPECT_EQ("", CheckCollectorFeeds(Switched({{"logs", false}})))
      << "on by default only: left out, not refused";
  EXPECT_EQ("", CheckCollectorFeeds(Switched({{"postfix", true}})));
}

TEST(BuildCollectors,
     without_the_logs_collector_the_default_classifiers_are_left_out_with_a_warning) {
  std::ostringstream log;
  Logger logger(log, LogLevel::kInfo, LogFormat::kLogfmt);
  Lifecycle life;
  const BuiltCollectors built = BuildCollectors(
      Switched({{"logs", false}, {"process", false}, {"showq", false}, {"tcp", false}}), logger,
      life);
  EXPECT_TRUE(built.collectors.empty());
  EXPECT_FALSE(built.replay) << "--replay needs the logs collector";
  for (const char* name : {"collector=postfix", "collector=dovecot"}) {
    EXPECT_NE(std::string::npos, log.str().find(name)) << log.str();
  }
  EXPECT_NE(std::string::npos, log.str().find("collector not enabled")) << log.str();
}

TEST(BuildCollectors, a_replayed_file_reaches_the_classifiers_built_with_the_pipeline) {
  std::ostringstream log;
  Logger logger(log, LogLevel::kInfo, LogFormat::kLogfmt);
  Lifecycle life;
  Options o = Switched({{"process", false}, {"showq", false}, {"tcp", false}});
  o.replay_files = {std::string(MAILPATH_FIXTURES_DIR) + "/logs/mixed/mixed.log"};
  BuiltCollectors built = BuildCollectors(o, logger, life);
  EXPECT_EQ((std::vector<std::string>{"postfix", "dovecot", "logs"}), Names(built));
  ASSERT_TRUE(built.replay);
  EXPECT_EQ("", built.replay(o.replay_files[0]));
  std::vector<prometheus::MetricFamily> out;
  for (auto& [name, collector] : built.collectors) collector->Collect(out);
  const std::string text = metrics::SerializeText(out);
  EXPECT_NE(std::string::npos, text.find("dovecot_logins_total{")) << text;
  EXPECT_NE(std::string::npos, text.find("postfix_")) << text;
  life.Shutdown();
}

}  // namespace
}  // namespace mailpath::app
