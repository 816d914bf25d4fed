#include "mailpath/process/proc_stat.h"

#include <charconv>
#include <vector>

namespace mailpath::process {
namespace {

template <typename T>
bool ToNumber(std::string_view s, T& out) {
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

std::vector<std::string_view> SplitSpaces(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\n' || s[i] == '\t')) ++i;
    std::size_t j = i;
    while (j < s.size() && s[j] != ' ' && s[j] != '\n' && s[j] != '\t') ++j;
    if (j > i) out.push_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

}  // namespace

Result<ProcStat> ParseProcStat(std::string_view text) {
  const std::size_t close = text.rfind(')');
  if (close == std::string_view::npos) return Error{"no ')' after the command name"};
  // After ")": field 3 (state) is index 0, so field N is index N-3.
  const auto f = SplitSpaces(text.substr(close + 1));
  if (f.size() < 22) return Error{"fewer than 24 fields"};
  ProcStat st;
  if (!ToNumber(f[14 - 3], st.utime_ticks) || !ToNumber(f[15 - 3], st.stime_ticks) ||
      !ToNumber(f[22 - 3], st.starttime_ticks) || !ToNumber(f[23 - 3], st.vsize_bytes) ||
      !ToNumber(f[24 - 3], st.rss_pages)) {
    return Error{"utime, stime, starttime, vsize or rss is not a number"};
  }
  return st;
}

Result<std::uint64_t> ParseBootTime(std::string_view text) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    std::string_view line = text.substr(pos, nl == std::string_view::npos ? text.npos : nl - pos);
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    if (line.starts_with("btime ")) {
      std::uint64_t v = 0;
      if (ToNumber(line.substr(6), v)) return v;
      return Error{"btime is not a number"};
    }
  }
  return Error{"no btime line"};
}

Result<std::uint64_t> ParseMaxOpenFiles(std::string_view text) {
  const Error missing{"no soft limit on a 'Max open files' line"};
  const std::size_t at = text.find("Max open files");
  if (at == std::string_view::npos) return missing;
  const std::size_t nl = text.find('\n', at);
  const auto f =
      SplitSpaces(text.substr(at + 14, nl == std::string_view::npos ? text.npos : nl - at - 14));
  if (f.empty()) return missing;
  if (f[0] == "unlimited") return std::uint64_t{0};
  std::uint64_t v = 0;
  if (!ToNumber(f[0], v)) return missing;
  return v;
}

}  // namespace mailpath::process
