#pragma once

// Byte-level text helpers shared by the parsers of procfs, postconf/doveconf output and log stamps.
// ASCII only on purpose: the inputs are kernel and daemon output whose syntax is ASCII, and
// <cctype>'s answers depend on the locale.

#include <string_view>
#include <vector>

namespace mailpath {

/// '0'..'9' only.
[[nodiscard]] constexpr bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }

/// '0'..'9', 'A'..'Z', 'a'..'z' only.
[[nodiscard]] constexpr bool IsAsciiAlnum(char c) {
  return IsAsciiDigit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/// The words of `s` separated by runs of spaces and tabs (empty words never appear). The views
/// point into `s`.
[[nodiscard]] std::vector<std::string_view> SplitWords(std::string_view s);

/// The lines of `t` split at '\n' (the newline itself dropped; a final newline gives no empty last
/// line). The views point into `t`.
[[nodiscard]] std::vector<std::string_view> SplitLines(std::string_view t);

}  // namespace mailpath
