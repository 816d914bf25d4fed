#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

namespace mailpath::showq {

/// A failed connect or read. `error_number` is the errno (0 if none), so the
/// collector can say what to do about EACCES or ENOENT.
class TransportError : public std::runtime_error {
 public:
  TransportError(const std::string& what, int error_number)
      : std::runtime_error(what), error_number_(error_number) {}
  [[nodiscard]] int error_number() const { return error_number_; }

 private:
  int error_number_;
};

/// Where showq's bytes come from. One call = one connection read to EOF.
class ShowqTransport {
 public:
  virtual ~ShowqTransport() = default;
  /// Connects, then hands every chunk read to `on_chunk` until EOF. Stops
  /// early when `on_chunk` returns false. Throws TransportError.
  virtual void Read(const std::function<bool(std::string_view)>& on_chunk) = 0;
  /// The address as given, for logs and the `path` label.
  [[nodiscard]] virtual const std::string& address() const = 0;
};

/// The real transport: a UNIX stream socket when `address` contains a '/'
/// (Postfix's `public/showq`), otherwise TCP `host:port` (`[v6]:port`) for
/// a showq service exposed in master.cf. `timeout` bounds the connect and
/// the whole read.
[[nodiscard]] std::unique_ptr<ShowqTransport> MakeSocketTransport(
    std::string address, std::chrono::milliseconds timeout);

/// Splits "host:port" / "[v6]:port"; false when it is not of that form. Pure.
[[nodiscard]] bool SplitHostPort(std::string_view address, std::string& host, std::string& port);

}  // namespace mailpath::showq
