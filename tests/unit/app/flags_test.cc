#include "mailpath/app/flags.h"

#include <gtest/gtest.h>

namespace mailpath::app {
namespace {

const std::vector<CollectorInfo> kCollectors = {
    {"showq", "queues", true}, {"tcp", "tcp", true}, {"extra", "off by default", false}};

Result<FlagAction> Parse(std::vector<std::string> args, Options& o) {
  return ParseFlags(args, kCollectors, o);
}

// The action of a parse that must succeed; an error fails the test, showing its message.
FlagAction Checked(const Result<FlagAction>& r) {
  EXPECT_TRUE(r.ok()) << r.message();
  return r.ok() ? *r : FlagAction::kRun;
}

TEST(ParseFlags, accepts_equals_and_separate_values_and_repeats_listen_address) {
  Options o;
  const auto r = Parse({"--web.listen-address=:1", "--web.listen-address", "127.0.0.1:2",
                        "--web.telemetry-path=/m", "--log.level", "debug", "--log.format=json"},
                       o);
  ASSERT_EQ("", MessageOrEmpty(r));
  EXPECT_EQ((std::vector<std::string>{":1", "127.0.0.1:2"}), o.listen_addresses);
  EXPECT_EQ("/m", o.telemetry_path);
  EXPECT_EQ(LogLevel::kDebug, o.log_level);
  EXPECT_EQ(LogFormat::kJson, o.log_format);
}

TEST(ParseFlags, accepts_prometheus_postfix_exporter_flag_names) {
  Options o;
  const auto r = Parse({"--postfix.showq_path=/x/showq", "--postfix.logfile_path=/var/log/mail.log",
                        "--systemd.enable", "--systemd.unit=postfix@-.service"},
                       o);
  ASSERT_EQ("", MessageOrEmpty(r));
  EXPECT_EQ("/x/showq", o.showq_path);
  EXPECT_EQ(std::vector<std::string>{"/var/log/mail.log"}, o.log_files);
  EXPECT_TRUE(o.systemd_enable);
  EXPECT_EQ(std::vector<std::string>{"postfix@-.service"}, o.systemd_units);
}

TEST(ParseFlags, bool_flags_take_no_prefix_and_explicit_values) {
  Options o;
  ASSERT_EQ(FlagAction::kRun, Checked(Parse({"--once", "--no-systemd.enable"}, o)));
  EXPECT_TRUE(o.once);
  EXPECT_FALSE(o.systemd_enable);
  ASSERT_EQ(FlagAction::kRun, Checked(Parse({"--once=false"}, o)));
  EXPECT_FALSE(o.once);
}

TEST(ParseFlags, unknown_flag_is_an_error_naming_it) {
  Options o;
  const auto r = Parse({"--web.listen-adress=:1"}, o);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ("unknown long flag '--web.listen-adress'", r.message());
}

TEST(ParseFlags, bad_value_is_an_error_naming_flag_and_value) {
  Options o;
  const auto r = Parse({"--web.max-requests=-3"}, o);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ("invalid value for flag '--web.max-requests': expected a positive integer, got '-3'",
            r.message());
  EXPECT_FALSE(Parse({"--log.format=xml"}, o).ok());
  EXPECT_FALSE(Parse({"--web.telemetry-path=metrics"}, o).ok());
  EXPECT_FALSE(Parse({"--no-web.telemetry-path"}, o).ok());
}

TEST(ParseFlags, missing_value_and_positional_arguments_are_errors) {
  Options o;
  EXPECT_EQ("expected argument for flag '--log.level'", MessageOrEmpty(Parse({"--log.level"}, o)));
  EXPECT_EQ("unexpected argument 'stray'", MessageOrEmpty(Parse({"stray"}, o)));
}

TEST(ParseFlags, help_and_version_stop_parsing) {
  Options o;
  EXPECT_EQ(FlagAction::kHelp, Checked(Parse({"--help", "--bogus"}, o)));
  EXPECT_EQ(FlagAction::kVersion, Checked(Parse({"--version"}, o)));
}

TEST(CollectorEnabled, defaults_switches_and_disable_defaults) {
  Options o;
  ASSERT_EQ(FlagAction::kRun, Checked(Parse({"--no-collector.tcp"}, o)));
  EXPECT_TRUE(CollectorEnabled(o, kCollectors[0]));
  EXPECT_FALSE(CollectorEnabled(o, kCollectors[1]));
  EXPECT_FALSE(CollectorEnabled(o, kCollectors[2]));

  Options d;
  ASSERT_EQ(FlagAction::kRun,
            Checked(Parse(
                {"--collector.disable-defaults", "--collector.extra", "--collector.tcp=true"}, d)));
  EXPECT_FALSE(CollectorEnabled(d, kCollectors[0]));
  EXPECT_TRUE(CollectorEnabled(d, kCollectors[1]));
  EXPECT_TRUE(CollectorEnabled(d, kCollectors[2]));
}

TEST(CollectorEnabled, unknown_collector_flag_is_an_error) {
  Options o;
  EXPECT_EQ("unknown collector 'nope' in flag '--collector.nope'",
            MessageOrEmpty(Parse({"--collector.nope"}, o)));
}

TEST(FindConfigFileFlag, finds_both_forms) {
  EXPECT_EQ("/a.json", FindConfigFileFlag({"--once", "--config.file", "/a.json"}));
  EXPECT_EQ("/b.json", FindConfigFileFlag({"--config.file=/b.json"}));
  EXPECT_EQ("", FindConfigFileFlag({"--once"}));
}

TEST(UsageText, lists_every_flag_and_collector) {
  const std::string text = UsageText(kCollectors);
  for (const char* needle : {"--web.listen-address", "--web.telemetry-path", "--web.config.file",
                             "--log.level", "--log.format", "--[no-]collector.disable-defaults",
                             "--config.file", "--[no-]once", "--postfix.showq_path",
                             "--[no-]systemd.enable", "--[no-]collector.extra", "Default off."}) {
    EXPECT_NE(std::string::npos, text.find(needle)) << needle;
  }
}

}  // namespace
}  // namespace mailpath::app
