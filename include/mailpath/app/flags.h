#pragma once

#include <string>
#include <vector>

#include "mailpath/app/options.h"

namespace mailpath::app {

/// What ParseFlags decided.
struct FlagResult {
  enum class Action { kRun, kHelp, kVersion, kError } action = Action::kRun;
  std::string error;  // set with kError: one line naming the flag
};

/// The known collector names, for --collector.<name> validation and --help.
struct CollectorInfo {
  std::string name;
  std::string help;
  bool default_enabled;
};

/// Parses kingpin-style flags (`--name=value`, `--name value`, `--bool`,
/// `--no-bool`) into `options`. Unknown flags and bad values give kError.
/// Pure: reads no file (the config file is applied separately).
[[nodiscard]] FlagResult ParseFlags(const std::vector<std::string>& args,
                                    const std::vector<CollectorInfo>& collectors,
                                    Options& options);

/// Returns only the value of --config.file if present (scanned before the
/// full parse, so that flags can override the file).
[[nodiscard]] std::string FindConfigFileFlag(const std::vector<std::string>& args);

/// The --help text.
[[nodiscard]] std::string UsageText(const std::vector<CollectorInfo>& collectors);

/// Whether a collector runs, given defaults, --collector.disable-defaults and
/// explicit switches.
[[nodiscard]] bool CollectorEnabled(const Options& options, const CollectorInfo& info);

}  // namespace mailpath::app
