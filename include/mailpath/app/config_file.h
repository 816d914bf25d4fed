#pragma once

#include <string>
#include <string_view>

#include "mailpath/app/options.h"
#include "mailpath/common/result.h"

namespace mailpath::app {

/// Applies a JSON configuration document (docs/configuration.md) to
/// `options`, all or nothing. An Error is one line naming the file, the line
/// and the field ("FILE:LINE: field /web/max_requests: expected a positive
/// integer, got '0'"). Unknown fields are errors, so typos do not pass
/// silently. Pure.
[[nodiscard]] Status ApplyConfigJson(std::string_view text, const std::string& filename,
                                     Options& options);

/// Reads FILE and applies it; an unreadable file is an Error naming it.
[[nodiscard]] Status LoadConfigFile(const std::string& filename, Options& options);

}  // namespace mailpath::app
