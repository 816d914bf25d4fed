#pragma once

#include <string_view>

#include "mailpath/common/result.h"

namespace mailpath {

/// A duration in Go's time.ParseDuration syntax, as exporter-toolkit's YAML
/// reads it: "300ms", "1.5s", "1m30s", "2h", "0"; units ns, us (µs), ms, s,
/// m, h. A bare integer is nanoseconds (yaml.v2 decodes an int into
/// time.Duration as such). Returns seconds; an Error ("not a duration: TEXT")
/// when malformed or negative. Pure.
[[nodiscard]] Result<double> ParseGoDuration(std::string_view text);

}  // namespace mailpath
