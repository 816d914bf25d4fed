#pragma once

#include <optional>
#include <string_view>

namespace mailpath {

/// A duration in Go's time.ParseDuration syntax, as exporter-toolkit's YAML
/// reads it: "300ms", "1.5s", "1m30s", "2h", "0"; units ns, us (µs), ms, s,
/// m, h. A bare integer is nanoseconds (yaml.v2 decodes an int into
/// time.Duration as such). Returns seconds, or nullopt when malformed or
/// negative. Pure.
[[nodiscard]] std::optional<double> ParseGoDuration(std::string_view text);

}  // namespace mailpath
