#pragma once

#include <string>
#include <string_view>

#include "mailpath/app/options.h"

namespace mailpath::app {

/// Applies a JSON configuration document (docs/configuration.md) to
/// `options`. Returns "" on success, or one line naming the file, the line
/// and the field ("FILE:LINE: field /web/max_requests: expected a positive
/// integer"). Unknown fields are errors, so typos do not pass silently. Pure.
[[nodiscard]] std::string ApplyConfigJson(std::string_view text, const std::string& filename,
                                          Options& options);

/// Reads FILE and applies it; an unreadable file is an error naming it.
[[nodiscard]] std::string LoadConfigFile(const std::string& filename, Options& options);

}  // namespace mailpath::app
