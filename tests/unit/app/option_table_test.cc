#include "mailpath/app/option_table.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "mailpath/app/config_file.h"
#include "mailpath/app/flags.h"

namespace mailpath::app {
namespace {

using nlohmann::json;

// The example of `spec` as the JSON value its config field takes.
json JsonValue(const OptionSpec& spec) {
  const std::string text(spec.example);
  switch (spec.kind) {
    case OptionKind::kBool:
      return text == "true";
    case OptionKind::kInt:
      return std::stoi(text);
    case OptionKind::kRepeated:
      return json::array({text});
    case OptionKind::kPorts: {
      json ports = json::array();
      for (std::size_t start = 0; start < text.size();) {
        const std::size_t comma = std::min(text.find(',', start), text.size());
        ports.push_back(std::stoi(text.substr(start, comma - start)));
        start = comma + 1;
      }
      return ports;
    }
    case OptionKind::kString:
      break;
  }
  return text;
}

json Document(std::string_view field, const json& value) {
  const std::size_t dot = field.find('.');
  return {{std::string(field.substr(0, dot)), {{std::string(field.substr(dot + 1)), value}}}};
}

TEST(OptionTable, every_option_but_config_file_is_settable_from_the_file_as_from_its_flag) {
  for (const auto& spec : OptionTable()) {
    SCOPED_TRACE(std::string(spec.flag));
    if (spec.flag == "config.file") {
      EXPECT_EQ("", spec.field);
      continue;
    }
    ASSERT_NE("", spec.field);
    ASSERT_NE("", spec.example);
    Options by_flag;
    const auto r =
        ParseFlags({"--" + std::string(spec.flag) + "=" + std::string(spec.example)}, {}, by_flag);
    ASSERT_EQ("", MessageOrEmpty(r));
    EXPECT_NE(Options(), by_flag) << "the example must differ from the default";
    Options by_file;
    ASSERT_EQ("", MessageOrEmpty(ApplyConfigJson(Document(spec.field, JsonValue(spec)).dump(),
                                                 "c.json", by_file)));
    EXPECT_EQ(by_flag, by_file);
  }
}

TEST(OptionTable, flags_and_fields_are_unique_and_fields_are_section_dot_key) {
  std::set<std::string_view> flags, fields;
  for (const auto& spec : OptionTable()) {
    SCOPED_TRACE(std::string(spec.flag));
    EXPECT_TRUE(flags.insert(spec.flag).second);
    for (std::string_view field : {spec.field, spec.alias_field}) {
      if (field.empty()) continue;
      EXPECT_TRUE(fields.insert(field).second) << field;
      EXPECT_EQ(1, std::count(field.begin(), field.end(), '.')) << field;
      EXPECT_EQ(std::string_view::npos, field.find('-')) << field;
    }
  }
}

TEST(OptionTable, help_shows_every_flag_with_its_config_field) {
  const std::string text = UsageText({});
  for (const auto& spec : OptionTable()) {
    SCOPED_TRACE(std::string(spec.flag));
    const std::string left =
        (spec.kind == OptionKind::kBool ? "--[no-]" : "--") + std::string(spec.flag) +
        (spec.kind == OptionKind::kBool ? "" : "=" + std::string(spec.placeholder));
    const std::size_t at = text.find("      " + left);
    ASSERT_NE(std::string::npos, at) << left;
    const std::string line =
        text.substr(at, text.find('\n', text.find(std::string(spec.help), at)) - at);
    if (!spec.field.empty()) {
      EXPECT_NE(std::string::npos, line.find("[config: " + std::string(spec.field) + "]")) << line;
    }
  }
}

TEST(ApplyConfigJson, repeated_fields_take_a_list_or_one_string) {
  Options o;
  ASSERT_EQ("", MessageOrEmpty(ApplyConfigJson(
                    R"({"systemd": {"unit": ["postfix@-.service", "dovecot.service"],
                                                "slice": "mail.slice"}})",
                    "c.json", o)));
  EXPECT_EQ((std::vector<std::string>{"postfix@-.service", "dovecot.service"}), o.systemd_units);
  EXPECT_EQ(std::vector<std::string>{"mail.slice"}, o.systemd_slices);
}

TEST(ApplyConfigJson, old_field_log_files_still_sets_the_log_files) {
  Options o;
  ASSERT_EQ("", MessageOrEmpty(
                    ApplyConfigJson(R"({"log": {"files": ["/var/log/mail.log"]}})", "c.json", o)));
  EXPECT_EQ(std::vector<std::string>{"/var/log/mail.log"}, o.log_files);
}

TEST(ApplyConfigJson, field_values_are_checked_by_the_flags_own_parser) {
  Options o;
  EXPECT_EQ("c.json:1: field /tcp/ports: expected a comma-separated list of ports, got '25,70000'",
            MessageOrEmpty(ApplyConfigJson(R"({"tcp": {"ports": [25, 70000]}})", "c.json", o)));
  EXPECT_EQ("c.json:1: field /log/max_line_bytes: expected a positive integer, got '\"big\"'",
            MessageOrEmpty(ApplyConfigJson(R"({"log": {"max_line_bytes": "big"}})", "c.json", o)));
  EXPECT_EQ("c.json:1: field /systemd/journal_path: expected a string",
            MessageOrEmpty(ApplyConfigJson(R"({"systemd": {"journal_path": 1}})", "c.json", o)));
  EXPECT_EQ(
      "c.json:1: field /cert/targets/0: unknown kind \"ftp\" (smtp, smtps, imap, imaps, pop3, "
      "pop3s)",
      MessageOrEmpty(ApplyConfigJson(R"({"cert": {"targets": ["21:ftp"]}})", "c.json", o)));
}

}  // namespace
}  // namespace mailpath::app
