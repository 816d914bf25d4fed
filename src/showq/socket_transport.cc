#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>

#include "mailpath/common/deadline.h"
#include "mailpath/showq/showq_transport.h"

namespace mailpath::showq {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::size_t kChunkBytes = 64 * 1024;

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  [[nodiscard]] int get() const { return fd_; }

 private:
  int fd_;
};

Error Failed(const std::string& what, int err) { return ErrnoError(what, err); }

int RemainingMs(Clock::time_point deadline) {
  // Rounded up: a wait of `left` ms then ends at or after the deadline, never just before it.
  const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
  return left.count() <= 0 ? 0 : static_cast<int>(std::min<std::int64_t>(left.count(), 1 << 30));
}

// How often a wait looks at the shutdown flag.
constexpr int kCancelCheckMs = 100;

// Waits for `events` on a non-blocking socket until the deadline, or until
// the exporter shuts down.
Status Wait(int fd, short events, const Deadline& deadline, const std::string& what) {
  for (;;) {
    if (deadline.Cancelled()) return Failed(what + " (the exporter is shutting down)", ECANCELED);
    const int left = RemainingMs(deadline.at);
    pollfd p{fd, events, 0};
    const int n = ::poll(&p, 1, std::min(left, kCancelCheckMs));
    if (n > 0) return {};
    if (n == 0 && left <= kCancelCheckMs) return Failed(what, ETIMEDOUT);
    if (n < 0 && errno != EINTR) return Failed(what, errno);
  }
}

// Non-blocking connect with the deadline; returns the connected socket.
Result<int> Connect(int family, const sockaddr* addr, socklen_t len, const Deadline& deadline,
                    const std::string& what) {
  const int fd = ::socket(family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) return Failed(what, errno);
  if (::connect(fd, addr, len) == 0) return fd;
  const int err = errno;
  if (err != EINPROGRESS) {
    ::close(fd);
    return Failed(what, err);
  }
  if (Status waited = Wait(fd, POLLOUT, deadline, what); !waited) {
    ::close(fd);
    return waited.error();
  }
  int so_error = 0;
  socklen_t so_len = sizeof(so_error);
  ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &so_error, &so_len);
  if (so_error != 0) {
    ::close(fd);
    return Failed(what, so_error);
  }
  return fd;
}

class SocketTransport final : public ShowqTransport {
 public:
  SocketTransport(std::string address, std::chrono::milliseconds timeout)
      : address_(std::move(address)), timeout_(timeout) {}

  const std::string& address() const override { return address_; }

  // Bounded by our own timeout and by the scrape's deadline, whichever comes
  // first: a showq that accepts and never answers cannot outlive the scrape.
  Status Read(const std::function<bool(std::string_view)>& on_chunk) override {
    Deadline deadline = CurrentDeadline();
    deadline.at = std::min(deadline.at, Clock::now() + timeout_);
    const Result<int> connected =
        address_.find('/') != std::string::npos ? ConnectUnix(deadline) : ConnectTcp(deadline);
    if (!connected) return connected.error();
    Fd fd(*connected);
    std::string buf(kChunkBytes, '\0');
    const std::string what = "read showq " + address_;
    for (;;) {
      const ssize_t n = ::recv(fd.get(), buf.data(), buf.size(), 0);
      if (n > 0) {
        if (!on_chunk(std::string_view(buf.data(), static_cast<std::size_t>(n)))) return {};
        // A peer that never stops sending is bounded too, not only a silent one.
        if (deadline.Cancelled())
          return Failed(what + " (the exporter is shutting down)", ECANCELED);
        if (Clock::now() >= deadline.at)
          return Failed(what + " (still sending at the deadline)", ETIMEDOUT);
        continue;
      }
      if (n == 0) return {};
      if (errno == EINTR) continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK) return Failed(what, errno);
      if (Status waited = Wait(fd.get(), POLLIN, deadline, what); !waited) return waited;
    }
  }

 private:
  Result<int> ConnectUnix(const Deadline& deadline) const {
    const std::string what = "connect to showq socket " + address_;
    sockaddr_un sun{};
    sun.sun_family = AF_UNIX;
    if (address_.size() >= sizeof(sun.sun_path)) return Failed(what, ENAMETOOLONG);
    std::memcpy(sun.sun_path, address_.data(), address_.size());
    return Connect(AF_UNIX, reinterpret_cast<const sockaddr*>(&sun), sizeof(sun), deadline, what);
  }

  Result<int> ConnectTcp(const Deadline& deadline) const {
    const std::string what = "connect to showq service " + address_;
    const auto host_port = SplitHostPort(address_);
    if (!host_port) return Error{what + ": not a socket path (no '/') nor host:port", EINVAL};
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* res = nullptr;
    if (const int rc =
            ::getaddrinfo(host_port->host.c_str(), host_port->port.c_str(), &hints, &res);
        rc != 0) {
      return Error{what + ": " + ::gai_strerror(rc), 0};
    }
    int last_error = ECONNREFUSED;
    for (addrinfo* ai = res; ai != nullptr; ai = ai->ai_next) {
      const Result<int> fd = Connect(ai->ai_family, ai->ai_addr, ai->ai_addrlen, deadline, what);
      if (fd) {
        ::freeaddrinfo(res);
        return fd;
      }
      last_error = fd.error().error_number;
    }
    ::freeaddrinfo(res);
    return Failed(what, last_error);
  }

  const std::string address_;
  const std::chrono::milliseconds timeout_;
};

}  // namespace

Result<HostPort> SplitHostPort(std::string_view address) {
  const Error malformed{"not host:port or [v6]:port: '" + std::string(address) + "'"};
  HostPort out;
  std::size_t colon;
  if (!address.empty() && address.front() == '[') {
    const std::size_t close = address.find(']');
    if (close == std::string_view::npos || close + 1 >= address.size() ||
        address[close + 1] != ':') {
      return malformed;
    }
    out.host = std::string(address.substr(1, close - 1));
    colon = close + 1;
  } else {
    colon = address.rfind(':');
    if (colon == std::string_view::npos || colon == 0) return malformed;
    out.host = std::string(address.substr(0, colon));
    if (out.host.find(':') != std::string::npos) return malformed;
  }
  out.port = std::string(address.substr(colon + 1));
  if (out.port.empty() || out.port.find_first_not_of("0123456789") != std::string::npos)
    return malformed;
  if (out.host.empty()) return malformed;
  return out;
}

std::unique_ptr<ShowqTransport> MakeSocketTransport(std::string address,
                                                    std::chrono::milliseconds timeout) {
  return std::make_unique<SocketTransport>(std::move(address), timeout);
}

}  // namespace mailpath::showq
