#pragma once
// The one row walker behind every wording table: a row is a literal with an
// anchor, the first row whose literal is found wins. No regular expressions.

#include <cstdint>
#include <span>
#include <string_view>

namespace mailpath::logs::classify {

/// Where a row's literal is looked for in the text.
enum class Anchor : std::uint8_t { kPrefix, kContains, kEquals, kSuffix };

/// Whether `text` holds `literal` the way `anchor` says. Pure.
[[nodiscard]] constexpr bool Holds(Anchor anchor, std::string_view text, std::string_view literal) {
  switch (anchor) {
    case Anchor::kPrefix:
      return text.starts_with(literal);
    case Anchor::kContains:
      return text.find(literal) != std::string_view::npos;
    case Anchor::kEquals:
      return text == literal;
    case Anchor::kSuffix:
      return text.ends_with(literal);
  }
  return false;
}

/// A literal and the bounded label value it means, with one example text that
/// lands on the row and the wording's source (Postfix/Dovecot file and
/// version, an RFC or a public report).
struct LiteralRow {
  Anchor anchor;
  std::string_view literal;
  std::string_view value;
  std::string_view example;
  std::string_view source;
};

/// The index of the first row of `rows` found in `text`, or -1. Pure.
template <class Row>
[[nodiscard]] int FirstRow(std::span<const Row> rows, std::string_view text) {
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (Holds(rows[i].anchor, text, rows[i].literal)) return static_cast<int>(i);
  }
  return -1;
}

/// The value of the first row found in `text`, or `fallback`. Pure.
[[nodiscard]] inline std::string_view ValueOf(std::span<const LiteralRow> rows,
                                              std::string_view text,
                                              std::string_view fallback = "other") {
  const int i = FirstRow(rows, text);
  return i < 0 ? fallback : rows[static_cast<std::size_t>(i)].value;
}

/// A small cause table by name, for the test that walks every table.
struct NamedLiteralTable {
  std::string_view name;
  std::span<const LiteralRow> rows;
};

}  // namespace mailpath::logs::classify
