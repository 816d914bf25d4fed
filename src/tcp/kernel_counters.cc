#include "mailpath/tcp/kernel_counters.h"

#include <charconv>
#include <vector>

#include "mailpath/common/text.h"

namespace mailpath::tcp {
namespace {

bool ToU64(std::string_view s, std::uint64_t& v) {
  std::int64_t signed_v = 0;  // some snmp fields (MaxConn) are -1
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), signed_v);
  if (ec != std::errc() || p != s.data() + s.size()) return false;
  v = signed_v < 0 ? 0 : static_cast<std::uint64_t>(signed_v);
  return true;
}

}  // namespace

std::map<std::string, std::uint64_t> ParseNetstatPairs(std::string_view text) {
  std::map<std::string, std::uint64_t> out;
  const auto lines = SplitLines(text);
  for (std::size_t i = 0; i + 1 < lines.size(); i += 2) {
    const auto names = SplitWords(lines[i]);
    const auto values = SplitWords(lines[i + 1]);
    if (names.empty() || values.empty() || names[0] != values[0] || names.size() != values.size())
      continue;
    std::string prefix(names[0].substr(0, names[0].size() - 1));  // "TcpExt:" -> "TcpExt"
    for (std::size_t k = 1; k < names.size(); ++k) {
      std::uint64_t v = 0;
      if (ToU64(values[k], v)) out[prefix + "." + std::string(names[k])] = v;
    }
  }
  return out;
}

std::map<std::string, std::uint64_t> ParseSnmp6(std::string_view text) {
  std::map<std::string, std::uint64_t> out;
  for (std::string_view line : SplitLines(text)) {
    const auto w = SplitWords(line);
    std::uint64_t v = 0;
    if (w.size() == 2 && ToU64(w[1], v)) out[std::string(w[0])] = v;
  }
  return out;
}

}  // namespace mailpath::tcp
