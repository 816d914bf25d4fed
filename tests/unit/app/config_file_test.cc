#include "mailpath/app/config_file.h"

#include <gtest/gtest.h>

namespace mailpath::app {
namespace {

TEST(ApplyConfigJson, applies_every_section) {
  Options o;
  const std::string err = MessageOrEmpty(ApplyConfigJson(R"({
    "web": {"listen_addresses": [":1", ":2"], "telemetry_path": "/m", "max_requests": 5},
    "log": {"level": "warn", "format": "json"},
    "collectors": {"process": false},
    "path": {"procfs": "/host/proc"},
    "postfix": {"showq_path": "/s", "logfile_paths": ["/var/log/mail.log"]},
    "systemd": {"enable": true, "unit": "postfix@-.service"}
  })",
                                                         "c.json", o));
  ASSERT_EQ("", err);
  EXPECT_EQ((std::vector<std::string>{":1", ":2"}), o.listen_addresses);
  EXPECT_EQ("/m", o.telemetry_path);
  EXPECT_EQ(5, o.web_max_requests);
  EXPECT_EQ(LogLevel::kWarn, o.log_level);
  EXPECT_EQ(LogFormat::kJson, o.log_format);
  EXPECT_FALSE(o.collector_switches.at("process"));
  EXPECT_EQ("/host/proc", o.procfs);
  EXPECT_EQ("/s", o.showq_path);
  EXPECT_EQ(std::vector<std::string>{"/var/log/mail.log"}, o.log_files);
  EXPECT_TRUE(o.systemd_enable);
}

TEST(ApplyConfigJson, syntax_error_names_file_and_line) {
  Options o;
  EXPECT_EQ(
      0u, MessageOrEmpty(ApplyConfigJson("{\n\"log\": {\n\"level\": \"info\",\n}\n}", "c.json", o))
              .rfind("c.json:4: invalid JSON: ", 0));
}

TEST(ApplyConfigJson, type_error_names_line_and_field_path) {
  Options o;
  EXPECT_EQ("c.json:3: field /postfix/logfile_paths/1: expected a string",
            MessageOrEmpty(ApplyConfigJson(
                "{\n \"postfix\": {\n  \"logfile_paths\": [\"/a\", 3]\n }\n}", "c.json", o)));
}

TEST(ApplyConfigJson, unknown_field_is_an_error) {
  Options o;
  EXPECT_EQ("c.json:1: field /web/listen: unknown field",
            MessageOrEmpty(ApplyConfigJson(R"({"web": {"listen": ":1"}})", "c.json", o)));
}

TEST(ApplyConfigJson, failed_document_leaves_options_untouched) {
  Options o;
  o.telemetry_path = "/keep";
  EXPECT_NE("", MessageOrEmpty(ApplyConfigJson(
                    R"({"web": {"telemetry_path": "/new", "max_requests": 0}})", "c", o)));
  EXPECT_EQ("/keep", o.telemetry_path);
}

TEST(LoadConfigFile, unreadable_file_is_named) {
  Options o;
  EXPECT_EQ(0u, MessageOrEmpty(LoadConfigFile("/nonexistent/c.json", o))
                    .rfind("/nonexistent/c.json: cannot read", 0));
}

}  // namespace
}  // namespace mailpath::app

namespace mailpath::app {
namespace {

// Found by config_file_fuzz: nlohmann throws out_of_range, not parse_error.
TEST(ApplyConfigJson, number_overflow_is_an_error_not_a_crash) {
  Options o;
  EXPECT_EQ("c.json: invalid JSON: number overflow parsing '-1072e390'",
            MessageOrEmpty(ApplyConfigJson("-1072e390", "c.json", o)));
}

}  // namespace
}  // namespace mailpath::app
