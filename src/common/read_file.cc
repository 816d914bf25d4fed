#include "mailpath/common/read_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace mailpath {

Result<std::string> ReadFileContents(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoError("open " + path);
  std::string out;
  char buf[4096];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      ::close(fd);
      return ErrnoError("read " + path, err);
    }
    if (n == 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return out;
}

std::string ReadSmallFile(const std::string& path) {
  Result<std::string> text = ReadFileContents(path);
  if (text) return std::move(*text);
  // system_error appends the errno's text itself: "open PATH", not the message twice.
  const int err = text.error().error_number;
  std::string what = text.message();
  if (const std::string suffix = ": " + std::generic_category().message(err);
      what.ends_with(suffix)) {
    what.resize(what.size() - suffix.size());
  }
  throw std::system_error(err, std::generic_category(), what);
}

}  // namespace mailpath
