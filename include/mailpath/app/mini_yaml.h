#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "mailpath/common/result.h"

namespace mailpath::app {

/// One node of the small YAML subset that exporter-toolkit web configs use.
struct YamlNode {
  enum class Kind { kNull, kScalar, kMap, kList };
  Kind kind = Kind::kNull;
  int line = 0;                // 1-based line where the node starts
  std::string scalar;          // kScalar: the unquoted value
  std::string key;             // set on the entries of a kMap
  std::vector<YamlNode> map;   // kMap: entries in file order, each with its key
  std::vector<YamlNode> list;  // kList
};

/// Parses block mappings and sequences by indentation (spaces only), plain,
/// 'single' and "double" quoted scalars, flow sequences `[a, b]` and flat flow
/// mappings `{a: b}`, and `#` comments. Anchors, tags, multi-line scalars and
/// multiple documents are rejected. Duplicate keys are an error, "line N: reason".
/// Pure.
[[nodiscard]] Status ParseYamlSubset(std::string_view text, YamlNode& out);

}  // namespace mailpath::app
