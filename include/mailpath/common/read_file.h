#pragma once

#include <string>

namespace mailpath {

/// Reads a whole (small) file such as a procfs entry. Throws
/// std::system_error naming the path on failure.
[[nodiscard]] std::string ReadSmallFile(const std::string& path);

}  // namespace mailpath
