#include "mailpath/metrics/label_value.h"

#include <utf8.h>

#include <iterator>

namespace mailpath::metrics {
namespace {

bool IsC0OrDel(unsigned char c) { return c < 0x20 || c == 0x7F; }

// C1 controls U+0080..U+009F are "\xC2\x80".."\xC2\x9F" in UTF-8.
bool IsC1At(std::string_view s, std::size_t i) {
  return static_cast<unsigned char>(s[i]) == 0xC2 && i + 1 < s.size() &&
         static_cast<unsigned char>(s[i + 1]) >= 0x80 &&
         static_cast<unsigned char>(s[i + 1]) <= 0x9F;
}

}  // namespace

bool IsCleanLabelValue(std::string_view value) {
  bool ascii = true;
  for (const char ch : value) {
    const auto c = static_cast<unsigned char>(ch);
    if (IsC0OrDel(c)) return false;
    if (c >= 0x80) ascii = false;
  }
  if (ascii) return true;
  if (!utf8::is_valid(value.begin(), value.end())) return false;
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (IsC1At(value, i)) return false;
  }
  return true;
}

std::string CleanLabelValue(std::string_view value) {
  if (IsCleanLabelValue(value)) return std::string(value);
  std::string valid;
  valid.reserve(value.size() + 8);
  utf8::replace_invalid(value.begin(), value.end(), std::back_inserter(valid), 0xFFFDu);
  std::string out;
  out.reserve(valid.size() + 8);
  for (std::size_t i = 0; i < valid.size(); ++i) {
    if (IsC0OrDel(static_cast<unsigned char>(valid[i]))) {
      out += kReplacementCharacter;
    } else if (IsC1At(valid, i)) {
      out += kReplacementCharacter;
      ++i;
    } else {
      out += valid[i];
    }
  }
  return out;
}

}  // namespace mailpath::metrics
