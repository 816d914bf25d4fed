#pragma once
// Small string_view helpers shared by the Postfix classifier files.

#include <charconv>
#include <initializer_list>
#include <string_view>

#include "mailpath/common/text.h"

namespace mailpath::logs::classify::text {

inline bool Has(std::string_view s, std::string_view needle) {
  return s.find(needle) != std::string_view::npos;
}

inline bool Eat(std::string_view& s, std::string_view prefix) {
  if (!s.starts_with(prefix)) return false;
  s.remove_prefix(prefix.size());
  return true;
}

/// The text between `open` and the next `close` after it, or "".
inline std::string_view Between(std::string_view s, std::string_view open, std::string_view close) {
  const std::size_t a = s.find(open);
  if (a == std::string_view::npos) return {};
  const std::size_t start = a + open.size();
  const std::size_t b = s.find(close, start);
  return b == std::string_view::npos ? std::string_view{} : s.substr(start, b - start);
}

/// The address inside the last "[...]" of "name[addr]" or "[addr]:port".
inline std::string_view BracketAddress(std::string_view s) {
  const std::size_t a = s.find('[');
  if (a == std::string_view::npos) return {};
  const std::size_t b = s.find(']', a);
  return b == std::string_view::npos ? std::string_view{} : s.substr(a + 1, b - a - 1);
}

/// The value of "key=" up to the next ", " (or end).
inline std::string_view Field(std::string_view s, std::string_view key) {
  std::size_t at = 0;
  while ((at = s.find(key, at)) != std::string_view::npos) {
    if (at == 0 || s[at - 1] == ' ' || s[at - 1] == ',') {
      std::string_view v = s.substr(at + key.size());
      return v.substr(0, v.find(", "));
    }
    at += key.size();
  }
  return {};
}

inline bool IsQueueId(std::string_view s) {
  if (s.size() < 5 || s.size() > 20) return false;
  for (char c : s) {
    if (!IsAsciiAlnum(c)) return false;
  }
  return true;
}

inline double ToDouble(std::string_view s) {
  double v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

inline bool IsReplyCode(std::string_view s) {
  return s.size() == 3 && (s[0] == '2' || s[0] == '4' || s[0] == '5') && s[1] >= '0' &&
         s[1] <= '9' && s[2] >= '0' && s[2] <= '9';
}

inline bool IsDsn(std::string_view s) {
  return s.size() >= 5 && s.size() <= 9 && (s[0] == '2' || s[0] == '4' || s[0] == '5') &&
         s[1] == '.';
}

}  // namespace mailpath::logs::classify::text

namespace mailpath::logs::classify::text {

/// `v` when it is one of `known`, else `fallback`: a label value bounded by construction.
inline std::string_view OneOf(std::string_view v, std::initializer_list<std::string_view> known,
                              std::string_view fallback = "other") {
  for (std::string_view k : known) {
    if (v == k) return k;
  }
  return fallback;
}

}  // namespace mailpath::logs::classify::text
