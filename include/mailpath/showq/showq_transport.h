#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "mailpath/common/result.h"

namespace mailpath::showq {

/// Where showq's bytes come from. One call = one connection read to EOF.
class ShowqTransport {
 public:
  virtual ~ShowqTransport() = default;
  /// Connects, then hands every chunk read to `on_chunk` until EOF. Stops
  /// early when `on_chunk` returns false. A failed connect or read is an
  /// Error with its errno (0 if none), so the collector can say what to do
  /// about EACCES or ENOENT.
  virtual Status Read(const std::function<bool(std::string_view)>& on_chunk) = 0;
  /// The address as given, for logs and the `path` label.
  [[nodiscard]] virtual const std::string& address() const = 0;
};

/// The real transport: a UNIX stream socket when `address` contains a '/'
/// (Postfix's `public/showq`), otherwise TCP `host:port` (`[v6]:port`) for
/// a showq service exposed in master.cf. `timeout` bounds the connect and
/// the whole read.
[[nodiscard]] std::unique_ptr<ShowqTransport> MakeSocketTransport(
    std::string address, std::chrono::milliseconds timeout);

struct HostPort {
  std::string host;  // without the brackets of a v6 address
  std::string port;  // digits
};

/// Splits "host:port" / "[v6]:port"; an Error when it is not of that form. Pure.
[[nodiscard]] Result<HostPort> SplitHostPort(std::string_view address);

}  // namespace mailpath::showq
