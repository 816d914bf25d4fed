#pragma once

#include <string>
#include <vector>

#include "mailpath/app/options.h"
#include "mailpath/common/result.h"

namespace mailpath::app {

/// What the command line asks for, when ParseFlags succeeds.
enum class FlagAction { kRun, kHelp, kVersion };

/// The known collector names, for --collector.<name> validation and --help.
struct CollectorInfo {
  std::string name;
  std::string help;
  bool default_enabled;
};

/// Parses kingpin-style flags (`--name=value`, `--name value`, `--bool`,
/// `--no-bool`) into `options`. Unknown flags and bad values give an Error,
/// one line naming the flag. Pure: reads no file (the config file is applied
/// separately).
[[nodiscard]] Result<FlagAction> ParseFlags(const std::vector<std::string>& args,
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
