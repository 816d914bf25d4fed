#pragma once

#include <string>

#include "mailpath/common/result.h"

namespace mailpath {

/// Reads a whole (small) file such as a procfs entry; an Error names the
/// path and carries the errno.
[[nodiscard]] Result<std::string> ReadFileContents(const std::string& path);

/// ReadFileContents throwing std::system_error instead: the older
/// convention, kept for the callers in src/logs and src/tcp until they move.
[[nodiscard]] std::string ReadSmallFile(const std::string& path);

}  // namespace mailpath
