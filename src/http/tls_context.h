#pragma once

// Private to src/http: the OpenSSL side of the civetweb server.

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <string>

#include "mailpath/http/tls_settings.h"

namespace mailpath::http {

/// Configures the SSL_CTX civetweb creates (versions, client verification)
/// and serves the certificate per handshake from files that are re-read when
/// they change, so certificate rotation needs no restart.
class TlsContext {
 public:
  /// Loads the certificate, key and client CA file now; throws
  /// std::runtime_error naming the file when one is unusable, or when the
  /// OpenSSL 3 shim for civetweb cannot be found.
  explicit TlsContext(TlsSettings settings);
  ~TlsContext();
  TlsContext(const TlsContext&) = delete;
  TlsContext& operator=(const TlsContext&) = delete;

  /// civetweb's init_ssl callback body: returns 1 (configured) or -1.
  int Configure(void* ssl_ctx);

  struct Identity;

  /// The current certificate and key, re-read at most once a second when the
  /// files' (inode, size, mtime) changed and the new pair loads and matches.
  std::shared_ptr<const Identity> Current();

 private:
  struct FileStamp {
    ino_t ino = 0;
    off_t size = -1;
    long long mtime_ns = 0;
    bool operator==(const FileStamp&) const = default;
  };
  static FileStamp Stamp(const std::string& path);

  TlsSettings settings_;
  std::mutex mu_;  // guards identity_, stamps_ and last_check_
  std::shared_ptr<const Identity> identity_;
  FileStamp cert_stamp_, key_stamp_;
  std::chrono::steady_clock::time_point last_check_;
};

}  // namespace mailpath::http
