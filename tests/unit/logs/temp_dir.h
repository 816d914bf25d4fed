#pragma once

#include <stdlib.h>

#include <filesystem>
#include <string>

namespace mailpath::logs::test_support {

/// A fresh directory under /tmp, removed with everything in it at scope end.
struct TempDir {
  std::filesystem::path path;
  TempDir() {
    char tmpl[] = "/tmp/mailpath-logs-XXXXXX";
    path = ::mkdtemp(tmpl);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
};

}  // namespace mailpath::logs::test_support
