#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "mailpath/app/options.h"
#include "mailpath/common/result.h"

namespace mailpath::app {

/// How an option's value is written: on the command line always as text, in
/// the JSON config file as the matching JSON type.
enum class OptionKind {
  kString,    // --x=TEXT; JSON string
  kRepeated,  // --x=A --x=B; JSON list of strings (or one string)
  kBool,      // --x, --no-x, --x=true; JSON true/false
  kInt,       // --x=N; JSON integer
  kPorts,     // --x=25,465; JSON list of port numbers (or the flag's text)
};

/// One setting of the exporter. This row is the only place an option is
/// declared: the flag parser (flags.cc), the JSON config (config_file.cc),
/// --help and the docs check (tests/integration/test_docs_match_code.py,
/// against docs/configuration.md and README.md) all walk OptionTable().
struct OptionSpec {
  std::string_view flag;         // "tcp.ports" for --tcp.ports
  std::string_view field;        // JSON "section.key", "tcp.ports"; empty: command line only
  std::string_view alias_field;  // an older JSON name still accepted, or empty
  OptionKind kind;
  std::string_view placeholder;  // "PORTS" in --help; empty for bools
  std::string_view example;      // a valid flag value other than the default (unit tests, docs)
  std::string_view help;         // one sentence or two, with the default
  /// Applies one value in its flag text ("true"/"false" for bools, one item
  /// of a repeated option); an Error says why not, without the flag's name.
  std::function<Status(Options&, const std::string&)> apply;
};

/// Every option, in --help order. Collector switches (--collector.<name>,
/// JSON "collectors": {"<name>": bool}) come from the catalog, not this table.
[[nodiscard]] const std::vector<OptionSpec>& OptionTable();

/// The row of --`flag`, or nullptr.
[[nodiscard]] const OptionSpec* FindOption(std::string_view flag);

/// Parses "true"/"1"/"false"/"0"; anything else is an Error naming the value.
[[nodiscard]] Result<bool> ParseBoolText(const std::string& text);

}  // namespace mailpath::app
