#include "mailpath/common/go_duration.h"

#include <array>
#include <cstddef>
#include <string>
#include <utility>

#include "mailpath/common/text.h"

namespace mailpath {
namespace {}  // namespace

Result<double> ParseGoDuration(std::string_view s) {
  const Error malformed{"not a duration: " + std::string(s)};
  if (s.empty()) return malformed;
  if (s == "0") return 0.0;
  bool bare_integer = true;
  for (char c : s) bare_integer = bare_integer && IsAsciiDigit(c);
  if (bare_integer) {
    if (s.size() > 18) return malformed;
    double ns = 0;
    for (char c : s) ns = ns * 10 + (c - '0');
    return ns / 1e9;
  }
  static constexpr std::array<std::pair<std::string_view, double>, 8> kUnits = {{
      {"ns", 1e-9},
      {"us", 1e-6},
      {"\xC2\xB5s", 1e-6},
      {"\xCE\xBCs", 1e-6},  // µ (micro sign, mu)
      {"ms", 1e-3},
      {"s", 1.0},
      {"m", 60.0},
      {"h", 3600.0},
  }};
  double total = 0;
  std::size_t i = 0;
  while (i < s.size()) {
    // A number: digits, optionally a fraction.
    const std::size_t start = i;
    double value = 0;
    while (i < s.size() && IsAsciiDigit(s[i])) value = value * 10 + (s[i++] - '0');
    bool any_digit = i > start;
    if (i < s.size() && s[i] == '.') {
      ++i;
      double scale = 0.1;
      while (i < s.size() && IsAsciiDigit(s[i])) {
        value += (s[i++] - '0') * scale;
        scale /= 10;
        any_digit = true;
      }
    }
    if (!any_digit) return malformed;
    // Its unit: the longest that matches ("ms" before "m").
    std::size_t best_len = 0;
    double factor = 0;
    for (const auto& [name, f] : kUnits) {
      if (s.substr(i).starts_with(name) && name.size() > best_len) {
        best_len = name.size();
        factor = f;
      }
    }
    if (best_len == 0) return malformed;  // Go requires a unit unless the whole string is "0"
    i += best_len;
    total += value * factor;
  }
  return total;
}

}  // namespace mailpath
