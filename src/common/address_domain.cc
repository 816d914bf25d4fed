#include "mailpath/common/address_domain.h"

#include <cstddef>

namespace mailpath {

std::string AddressDomain(std::string_view address) {
  constexpr std::size_t kMaxDomainBytes = 255;
  const std::size_t at = address.rfind('@');
  if (at == std::string_view::npos) return "";
  std::string_view domain = address.substr(at + 1);
  while (!domain.empty() && domain.back() == '.') domain.remove_suffix(1);
  std::string out(domain.substr(0, kMaxDomainBytes));
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace mailpath
