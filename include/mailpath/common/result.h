#pragma once

#include <cerrno>
#include <string>
#include <system_error>
#include <type_traits>
#include <utility>
#include <variant>

namespace mailpath {

/// Why a fallible call failed: one line for a human (it names the file,
/// field or flag concerned, never the caller's context twice), and the errno
/// when the failure came from a system call (0 otherwise), so that callers can
/// tell EACCES from ENOENT without parsing text.
struct Error {
  std::string message;
  int error_number = 0;
};

/// The result of a fallible call: a T, or an Error. The one convention for
/// calls that can fail (C++20 has no std::expected):
///
///   Result<Target> ParseTarget(std::string_view spec);   // value or why not
///   Status LoadConfigFile(const std::string& file, Options& options);  // Result<void>
///
///   if (auto target = ParseTarget(spec); !target) return target.error();
///   use(*target);
///
/// Construct from a T for success and from an Error for failure
/// (`return Error{"expected a port, got 'x'"};`). std::optional stays for
/// lookups where "none" is an ordinary answer with nothing to explain
/// (WellKnownTarget(port), OpenSslCipherName(name)); a bool stays for
/// predicates. Exceptions are kept only where a library forces them on us
/// (nlohmann::json's parser, std::thread, allocation) and are turned into an
/// Error where they are caught.
///
/// Still on older conventions (docs/contributing.md keeps the list): src/logs
/// and src/tcp (ReadSmallFile's std::system_error, error strings), the
/// collectors' metrics::CollectError (a failed Collect that keeps some
/// families), and starting or reloading the HTTP server (std::runtime_error,
/// TlsFileError from constructors).
template <typename T>
class [[nodiscard]] Result {
  static_assert(!std::is_same_v<std::decay_t<T>, Error>, "Result<Error> is ambiguous");

 public:
  Result(T value)
      : state_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  Result(Error error) : state_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  [[nodiscard]] bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  /// The value; only when ok().
  [[nodiscard]] T& value() & { return std::get<0>(state_); }
  [[nodiscard]] const T& value() const& { return std::get<0>(state_); }
  [[nodiscard]] T&& value() && { return std::get<0>(std::move(state_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  /// The failure; only when !ok().
  [[nodiscard]] const Error& error() const { return std::get<1>(state_); }
  [[nodiscard]] const std::string& message() const { return error().message; }

 private:
  std::variant<T, Error> state_;
};

/// Success with nothing to return, or an Error. Default-constructed = success.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT: implicit by design

  [[nodiscard]] bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  /// The failure; only when !ok().
  [[nodiscard]] const Error& error() const { return error_; }
  [[nodiscard]] const std::string& message() const { return error_.message; }

 private:
  Error error_;
  bool ok_ = true;
};

using Status = Result<void>;

/// The message of a failed result, "" for success: for tests
/// (`EXPECT_EQ("", MessageOrEmpty(Parse(...)))` shows the message on failure)
/// and log fields, never to signal success in an interface.
template <typename T>
[[nodiscard]] std::string MessageOrEmpty(const Result<T>& result) {
  return result.ok() ? std::string() : result.message();
}

/// An Error carrying the current errno: `return ErrnoError("open " + path);`
/// gives "open PATH: No such file or directory" with error_number ENOENT.
[[nodiscard]] inline Error ErrnoError(const std::string& what, int error_number = errno) {
  return Error{what + ": " + std::generic_category().message(error_number), error_number};
}

}  // namespace mailpath
