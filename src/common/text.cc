#include "mailpath/common/text.h"

namespace mailpath {

std::vector<std::string_view> SplitWords(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    std::size_t j = i;
    while (j < s.size() && s[j] != ' ' && s[j] != '\t') ++j;
    if (j > i) out.push_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

std::vector<std::string_view> SplitLines(std::string_view t) {
  std::vector<std::string_view> out;
  while (!t.empty()) {
    const std::size_t nl = t.find('\n');
    out.push_back(t.substr(0, nl));
    t = nl == std::string_view::npos ? std::string_view{} : t.substr(nl + 1);
  }
  return out;
}

}  // namespace mailpath
