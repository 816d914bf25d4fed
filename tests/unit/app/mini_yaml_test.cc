#include "mailpath/app/mini_yaml.h"

#include <gtest/gtest.h>

namespace mailpath::app {
namespace {

using Kind = YamlNode::Kind;

TEST(ParseYamlSubset, nested_maps_and_lists_with_lines) {
  YamlNode root;
  ASSERT_EQ("", MessageOrEmpty(ParseYamlSubset(
                    "a:\n  b: 1\n  c:\n  - x\n  - 'y # not a comment'\nd: [p, \"q\"]\n", root)));
  ASSERT_EQ(Kind::kMap, root.kind);
  ASSERT_EQ(2u, root.map.size());
  const YamlNode& a = root.map[0];
  ASSERT_EQ(Kind::kMap, a.kind);
  EXPECT_EQ("1", a.map[0].scalar);
  EXPECT_EQ(2, a.map[0].line);
  const YamlNode& c = a.map[1];
  ASSERT_EQ(Kind::kList, c.kind);
  ASSERT_EQ(2u, c.list.size());
  EXPECT_EQ("y # not a comment", c.list[1].scalar);
  const YamlNode& d = root.map[1];
  ASSERT_EQ(Kind::kList, d.kind);
  EXPECT_EQ("q", d.list[1].scalar);
  EXPECT_EQ(6, d.line);
}

TEST(ParseYamlSubset, quoting_rules) {
  YamlNode root;
  ASSERT_EQ("",
            MessageOrEmpty(ParseYamlSubset("a: 'it''s'\nb: \"tab\\there\"\nc: x#y\nd: ~\n", root)));
  EXPECT_EQ("it's", root.map[0].scalar);
  EXPECT_EQ("tab\there", root.map[1].scalar);
  EXPECT_EQ("x#y", root.map[2].scalar);
  EXPECT_EQ(Kind::kNull, root.map[3].kind);
}

TEST(ParseYamlSubset, unsupported_syntax_is_an_error_with_its_line) {
  struct Case {
    const char* name;
    const char* text;
    const char* error;
  };
  const Case cases[] = {
      {"anchor", "a: &x 1\n", "line 1: unsupported YAML syntax '&'"},
      {"block scalar", "a: |\n  text\n", "line 1: unsupported YAML syntax '|'"},
      {"map in list", "a:\n- b: c\n", "line 2: mappings inside sequences are not supported"},
      {"unterminated", "a: \"x\n", "line 1: unterminated quoted string"},
      {"no colon", "a:\n  just text\n", "line 2: expected 'key: value'"},
      {"two documents", "a: 1\n---\nb: 2\n", "line 2: only one YAML document is supported"},
      {"indented start", "  a: 1\n", "line 1: unexpected indentation"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    YamlNode root;
    EXPECT_EQ(c.error, MessageOrEmpty(ParseYamlSubset(c.text, root)));
  }
}

TEST(ParseYamlSubset, nesting_depth_is_bounded) {
  std::string text;
  for (int i = 0; i < 40; ++i) text += std::string(2 * i, ' ') + "k:\n";
  YamlNode root;
  EXPECT_EQ("line 33: nested too deeply", MessageOrEmpty(ParseYamlSubset(text, root)));
}

}  // namespace
}  // namespace mailpath::app
