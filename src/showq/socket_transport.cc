#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cerrno>
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

[[noreturn]] void Throw(const std::string& what, int err) {
  throw TransportError(what + ": " + std::strerror(err), err);
}

int RemainingMs(Clock::time_point deadline) {
  // Rounded up: a wait of `left` ms then ends at or after the deadline, never just before it.
  const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
  return left.count() <= 0 ? 0 : static_cast<int>(std::min<std::int64_t>(left.count(), 1 << 30));
}

// How often a wait looks at the shutdown flag.
constexpr int kCancelCheckMs = 100;

// Waits for `events` on a non-blocking socket until the deadline, or until
// the exporter shuts down.
void Wait(int fd, short events, const Deadline& deadline, const std::string& what) {
  for (;;) {
    if (deadline.Cancelled()) Throw(what + " (the exporter is shutting down)", ECANCELED);
    const int left = RemainingMs(deadline.at);
    pollfd p{fd, events, 0};
    const int n = ::poll(&p, 1, std::min(left, kCancelCheckMs));
    if (n > 0) return;
    if (n == 0 && left <= kCancelCheckMs) Throw(what, ETIMEDOUT);
    if (n < 0 && errno != EINTR) Throw(what, errno);
  }
}

// Non-blocking connect with the deadline; returns the connected socket.
int Connect(int family, const sockaddr* addr, socklen_t len, const Deadline& deadline,
            const std::string& what) {
  const int fd = ::socket(family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) Throw(what, errno);
  if (::connect(fd, addr, len) == 0) return fd;
  const int err = errno;
  if (err != EINPROGRESS) {
    ::close(fd);
    Throw(what, err);
  }
  try {
    Wait(fd, POLLOUT, deadline, what);
  } catch (...) {
    ::close(fd);
    throw;
  }
  int so_error = 0;
  socklen_t so_len = sizeof(so_error);
  ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &so_error, &so_len);
  if (so_error != 0) {
    ::close(fd);
    Throw(what, so_error);
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
  void Read(const std::function<bool(std::string_view)>& on_chunk) override {
    Deadline deadline = CurrentDeadline();
    deadline.at = std::min(deadline.at, Clock::now() + timeout_);
    Fd fd(address_.find('/') != std::string::npos ? ConnectUnix(deadline) : ConnectTcp(deadline));
    std::string buf(kChunkBytes, '\0');
    const std::string what = "read showq " + address_;
    for (;;) {
      const ssize_t n = ::recv(fd.get(), buf.data(), buf.size(), 0);
      if (n > 0) {
        if (!on_chunk(std::string_view(buf.data(), static_cast<std::size_t>(n)))) return;
        // A peer that never stops sending is bounded too, not only a silent one.
        if (deadline.Cancelled()) Throw(what + " (the exporter is shutting down)", ECANCELED);
        if (Clock::now() >= deadline.at) Throw(what + " (still sending at the deadline)", ETIMEDOUT);
        continue;
      }
      if (n == 0) return;
      if (errno == EINTR) continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK) Throw(what, errno);
      Wait(fd.get(), POLLIN, deadline, what);
    }
  }

 private:
  int ConnectUnix(const Deadline& deadline) const {
    const std::string what = "connect to showq socket " + address_;
    sockaddr_un sun{};
    sun.sun_family = AF_UNIX;
    if (address_.size() >= sizeof(sun.sun_path)) Throw(what, ENAMETOOLONG);
    std::memcpy(sun.sun_path, address_.data(), address_.size());
    return Connect(AF_UNIX, reinterpret_cast<const sockaddr*>(&sun), sizeof(sun), deadline, what);
  }

  int ConnectTcp(const Deadline& deadline) const {
    const std::string what = "connect to showq service " + address_;
    std::string host, port;
    if (!SplitHostPort(address_, host, port)) {
      throw TransportError(what + ": not a socket path (no '/') nor host:port", EINVAL);
    }
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* res = nullptr;
    if (const int rc = ::getaddrinfo(host.c_str(), port.c_str(), &hints, &res); rc != 0) {
      throw TransportError(what + ": " + ::gai_strerror(rc), 0);
    }
    int last_error = ECONNREFUSED;
    for (addrinfo* ai = res; ai != nullptr; ai = ai->ai_next) {
      try {
        const int fd = Connect(ai->ai_family, ai->ai_addr, ai->ai_addrlen, deadline, what);
        ::freeaddrinfo(res);
        return fd;
      } catch (const TransportError& e) {
        last_error = e.error_number();
      }
    }
    ::freeaddrinfo(res);
    Throw(what, last_error);
  }

  const std::string address_;
  const std::chrono::milliseconds timeout_;
};

}  // namespace

bool SplitHostPort(std::string_view address, std::string& host, std::string& port) {
  std::size_t colon;
  if (!address.empty() && address.front() == '[') {
    const std::size_t close = address.find(']');
    if (close == std::string_view::npos || close + 1 >= address.size() ||
        address[close + 1] != ':') {
      return false;
    }
    host = std::string(address.substr(1, close - 1));
    colon = close + 1;
  } else {
    colon = address.rfind(':');
    if (colon == std::string_view::npos || colon == 0) return false;
    host = std::string(address.substr(0, colon));
    if (host.find(':') != std::string::npos) return false;
  }
  port = std::string(address.substr(colon + 1));
  if (port.empty() || port.find_first_not_of("0123456789") != std::string::npos) return false;
  return !host.empty();
}

std::unique_ptr<ShowqTransport> MakeSocketTransport(std::string address,
                                                    std::chrono::milliseconds timeout) {
  return std::make_unique<SocketTransport>(std::move(address), timeout);
}

}  // namespace mailpath::showq
