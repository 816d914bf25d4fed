#pragma once

#include <string>
#include <string_view>

namespace mailpath::metrics {

/// The character every unusable byte or control character of a label value
/// becomes: U+FFFD REPLACEMENT CHARACTER, UTF-8 "\xEF\xBF\xBD".
inline constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";

/// True when `value` can be written as a label value as it is: valid UTF-8
/// (what Prometheus's text parser demands, model.LabelValue.IsValid) with no
/// C0 control, DEL or C1 control character. Pure.
[[nodiscard]] bool IsCleanLabelValue(std::string_view value);

/// Makes text from outside (log lines, showq records) safe as a label value:
/// every invalid UTF-8 sequence (a stray byte, an overlong form, a surrogate,
/// a code point above U+10FFFF: one U+FFFD per sequence, as utfcpp's
/// replace_invalid decides) and every C0/DEL/C1 control character (newline
/// included) becomes U+FFFD. The same input always gives the same output, so
/// a series keeps its identity and rate() works across scrapes; different
/// invalid bytes at one place fold into the same value. Clean input is
/// returned unchanged. Pure.
[[nodiscard]] std::string CleanLabelValue(std::string_view value);

}  // namespace mailpath::metrics
