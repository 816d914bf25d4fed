#include "mailpath/certs/probe_filter.h"

namespace mailpath::certs {

bool IsProbeLine(std::string_view m, std::string_view address) {
  if (address.empty()) return false;
  for (std::size_t at = m.find(address); at != std::string_view::npos;
       at = m.find(address, at + 1)) {
    const std::size_t end = at + address.size();
    const char after = end < m.size() ? m[end] : '\0';
    if (at > 0 && m[at - 1] == '[' && after == ']') return true;  // Postfix: localhost[127.0.0.153]
    if (at >= 4 && m.substr(at - 4, 4) == "rip=" && (after == ',' || after == ' ' || after == '\0'))
      return true;
  }
  return false;
}

}  // namespace mailpath::certs
